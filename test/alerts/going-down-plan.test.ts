import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { CompiledQuery, type Kysely } from 'kysely'
import { claimDueChecksQuery, GOING_DOWN_BATCH } from '../../src/alerts/index.js'
import type { Database } from '../../src/db/index.js'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

// The worker's per-tick cost must depend on the number of due checks, not on all checks
// (issue 12, item 2): its due-check claim has to read checks_alert_after_idx. A change to the
// query (or the index) that loses the index fails here, on both databases.
describeEachDatabase('the going-down claim plan', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    const { project } = await buildProject(ctx)
    for (let i = 0; i < 20; i++)
      await buildCheck(ctx, project, {
        status: i % 4 === 0 ? 'down' : 'up',
        alert_after: ctx.clock.now() + (i - 10) * 60_000,
      })
  })
  afterEach(() => ctx.drop())

  /** The plan of the claim exactly as the worker builds it, one string per plan line. */
  async function plan(k: Kysely<Database>): Promise<string[]> {
    const q = claimDueChecksQuery(k, dialect, ctx.clock.now(), GOING_DOWN_BATCH).compile()
    const prefix = dialect === 'sqlite' ? 'explain query plan ' : 'explain '
    const r = await k.executeQuery<Record<string, unknown>>(
      CompiledQuery.raw(prefix + q.sql, [...q.parameters]),
    )
    return r.rows.map((row) => String(dialect === 'sqlite' ? row.detail : row['QUERY PLAN']))
  }

  test('finds due checks through checks_alert_after_idx, without scanning the table', async () => {
    const lines =
      dialect === 'sqlite'
        ? await plan(ctx.db.kysely)
        : // A 20-row table is cheapest to scan; with scans priced out, the plan shows whether
          // the index can serve the query at all (the partial predicate must match).
          await ctx.db.kysely.transaction().execute(async (trx) => {
            await trx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'))
            return plan(trx)
          })
    const text = lines.join('\n')
    assert.match(text, /checks_alert_after_idx/, text)
    if (dialect === 'sqlite') assert.doesNotMatch(text, /\bSCAN checks\b/, text)
    else assert.doesNotMatch(text, /Seq Scan on checks/, text)
  })
})
