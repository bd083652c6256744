import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { withTransaction } from '../../src/db/index.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

describeEachDatabase('withTransaction', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
  })
  afterEach(() => ctx.drop())

  const emails = async () =>
    (await ctx.db.kysely.selectFrom('users').select('email').orderBy('email').execute()).map(
      (u) => u.email,
    )

  test('use cases called with the bound context commit with the caller, result returned', async () => {
    const made = await withTransaction(ctx, async (t) => (await buildUser(t, 'a@example.org')).id)
    assert.equal(typeof made, 'number')
    assert.deepEqual(await emails(), ['a@example.org'])
  })

  test('a throw rolls back what the bound context and the transaction wrote', async () => {
    await assert.rejects(
      withTransaction(ctx, async (t, trx) => {
        await buildUser(t, 'a@example.org')
        await trx.updateTable('users').set({ email: 'b@example.org' }).execute()
        throw new Error('boom')
      }),
      /boom/,
    )
    assert.deepEqual(await emails(), [])
  })

  test('the bound context is a copy: the caller keeps its own database handle and the rest', async () => {
    await withTransaction(ctx, async (t, trx) => {
      assert.equal(t.db.kysely, trx)
      assert.notEqual(ctx.db.kysely, trx)
      assert.equal(t.clock, ctx.clock)
      assert.equal(t.config, ctx.config)
      assert.equal(t.db.dialect, ctx.db.dialect)
    })
  })
})
