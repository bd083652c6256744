import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { lockForUpdate } from '../../src/db/index.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

describeEachDatabase('lockForUpdate', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
  })
  afterEach(() => ctx.drop())

  const rows = () => ctx.db.kysely.selectFrom('token_buckets').selectAll().where('value', '=', 'x')

  test('adds FOR UPDATE on PostgreSQL only', () => {
    const q = lockForUpdate(ctx.db, rows()).compile().sql
    if (dialect === 'postgres') assert.match(q, / for update$/)
    else assert.equal(q, rows().compile().sql)
  })

  test('adds SKIP LOCKED when asked, on PostgreSQL only', () => {
    const q = lockForUpdate(ctx.db, rows(), { skipLocked: true }).compile().sql
    if (dialect === 'postgres') assert.match(q, / for update skip locked$/)
    else assert.equal(q, rows().compile().sql)
  })

  if (dialect === 'postgres') {
    test('a row another transaction locked is skipped, not waited for', async () => {
      await ctx.db.kysely
        .insertInto('token_buckets')
        .values({ value: 'x', tokens: 1, updated: 0 })
        .execute()
      let release = () => {}
      const held = new Promise<void>((r) => {
        release = r
      })
      let locked = () => {}
      const isLocked = new Promise<void>((r) => {
        locked = r
      })
      const holder = ctx.db.kysely.transaction().execute(async (trx) => {
        await lockForUpdate(ctx.db, trx.selectFrom('token_buckets').selectAll()).execute()
        locked()
        await held
      })
      await isLocked
      const seen = await ctx.db.kysely.transaction().execute((trx) =>
        lockForUpdate(ctx.db, trx.selectFrom('token_buckets').selectAll(), {
          skipLocked: true,
        }).execute(),
      )
      release()
      await holder
      assert.deepEqual(seen, [])
    })
  }
})
