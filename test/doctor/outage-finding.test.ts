import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { runDoctor } from '../../src/doctor/findings.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const DAY = 86_400_000

describeEachDatabase('doctor: worker outages', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
  })
  afterEach(() => ctx.drop())

  test('WORKER-001 names the last outage of the past 7 days and how many checks were re-armed', async () => {
    const now = ctx.clock.now()
    await ctx.db.kysely
      .insertInto('worker_heartbeats')
      .values({ worker_id: 'w', role: 'worker', started: now - DAY, last_seen: now })
      .execute()
    await ctx.db.kysely
      .insertInto('worker_outages')
      .values([
        { started: now - 10 * DAY, ended: now - 9 * DAY, detected_by: 'w', checks_rearmed: 1 },
        {
          started: now - 2 * DAY - 3_600_000,
          ended: now - 2 * DAY,
          detected_by: 'w',
          checks_rearmed: 12,
        },
      ])
      .execute()
    const found = (await runDoctor(ctx, { network: false })).filter((f) => f.id === 'WORKER-001')
    assert.equal(found.length, 1)
    assert.equal(found[0].severity, 'info')
    assert.match(
      found[0].message,
      /from 2026-01-13T11:00:00\.000Z to 2026-01-13T12:00:00\.000Z \(about 60 min\); 12 check\(s\)/,
    )
  })

  test('no WORKER-001 when the only outage ended more than 7 days ago', async () => {
    const now = ctx.clock.now()
    await ctx.db.kysely
      .insertInto('worker_outages')
      .values({
        started: now - 10 * DAY,
        ended: now - 9 * DAY,
        detected_by: 'w',
        checks_rearmed: 1,
      })
      .execute()
    const found = (await runDoctor(ctx, { network: false })).filter((f) => f.id === 'WORKER-001')
    assert.deepEqual(found, [])
  })
})
