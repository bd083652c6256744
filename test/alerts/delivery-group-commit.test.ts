import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { Transaction } from 'kysely'
import { type Database, groupCommit } from '../../src/db/index.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

describeEachDatabase('group commit of delivery outcomes', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
  })
  afterEach(() => ctx.drop())

  /**
   * Starts `n` units, each from its own callback of one event-loop phase (as deliveries end in
   * their own I/O callbacks of one poll phase). Immediates queued together always run in the same
   * check phase; zero-delay timers did not always: one created a millisecond after the others (a
   * pause on a loaded machine) fired a turn later, after the first batch had started.
   */
  function fromSeparateCallbacks<T>(n: number, start: (i: number) => Promise<T>): Promise<T[]> {
    return Promise.all(
      Array.from(
        { length: n },
        (_, i) =>
          new Promise<T>((resolve, reject) => setImmediate(() => start(i).then(resolve, reject))),
      ),
    )
  }

  test('units queued by separate callbacks of one event-loop turn share one transaction', async () => {
    const commit = groupCommit(ctx.db.kysely)
    const seen: Transaction<Database>[] = []
    const results = await fromSeparateCallbacks(10, (i) =>
      commit.run(async (trx) => {
        seen.push(trx)
        await trx
          .insertInto('system_status')
          .values({ key: `unit-${i}`, value: String(i), updated: 0 })
          .execute()
        return i
      }),
    )
    assert.deepEqual(results, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    assert.equal(new Set(seen).size, 1)
    const rows = await ctx.db.kysely
      .selectFrom('system_status')
      .select('key')
      .where('key', 'like', 'unit-%')
      .execute()
    assert.equal(rows.length, 10)
  })

  test('a failing unit of a shared batch fails alone; the others commit', async () => {
    const commit = groupCommit(ctx.db.kysely)
    const outcomes = await fromSeparateCallbacks(3, (i) =>
      commit
        .run(async (trx) => {
          if (i === 1) throw new Error('bad unit')
          await trx
            .insertInto('system_status')
            .values({ key: `unit-${i}`, value: String(i), updated: 0 })
            .execute()
          return 'ok'
        })
        .catch((e: Error) => e.message),
    )
    assert.deepEqual(outcomes, ['ok', 'bad unit', 'ok'])
    const rows = await ctx.db.kysely
      .selectFrom('system_status')
      .select('key')
      .where('key', 'like', 'unit-%')
      .orderBy('key')
      .execute()
    assert.deepEqual(
      rows.map((r) => r.key),
      ['unit-0', 'unit-2'],
    )
  })
})
