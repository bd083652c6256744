import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import {
  recoverFromOutage,
  startWorker,
  type WorkerHandle,
  writeHeartbeat,
} from '../../src/alerts/index.js'
import { handleLateWarnings } from '../../src/alerts/late-warnings.js'
import { goingDownAfter } from '../../src/checks/status.js'
import type { Check } from '../../src/db/index.js'
import { recordPing } from '../../src/pings/index.js'
import { buildChannel, buildCheck, buildProject } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const MIN = 60_000

async function settle(w: WorkerHandle) {
  for (let i = 0; i < 3; i++) {
    await w.tick()
    await w.drain()
  }
}

describeEachDatabase('outage recovery', (dialect) => {
  let ctx: TestContext
  let cap: CaptureServer
  let worker: WorkerHandle | null = null
  before(async () => {
    cap = await startCaptureServer()
  })
  after(() => cap.close())
  beforeEach(async () => {
    cap.requests.length = 0
    // The fake clock jumps 5 minutes between ticks below; an outage is a gap of 15 here.
    ctx = await createTestContext(dialect, {
      INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True',
      WORKER_OUTAGE_THRESHOLD: '900',
    })
  })
  afterEach(async () => {
    await worker?.stop()
    worker = null
    await ctx.drop()
  })

  test('ALERTS-outage after two hours without a worker, checks due in the gap get their grace again and a ping in it counts', async () => {
    const { project } = await buildProject(ctx)
    const lastBeat = ctx.clock.now()
    await writeHeartbeat(ctx, 'old', 'worker', lastBeat - MIN, lastBeat)
    // Both deadlines fall 20 minutes into the outage (period 1 h, grace 10 min).
    const build = async (name: string): Promise<Check> => {
      const fields = {
        status: 'up' as const,
        timeout: 3600,
        grace: 600,
        last_ping: lastBeat - 50 * MIN,
      }
      const alertAfter = goingDownAfter({
        kind: 'simple',
        schedule: '',
        tz: 'UTC',
        last_start: null,
        ...fields,
      })
      return buildCheck(ctx, project, { ...fields, name, alert_after: alertAfter })
    }
    const silent = await build('silent')
    const late = await build('late')
    await buildChannel(
      ctx,
      project,
      'webhook',
      {
        method_down: 'POST',
        url_down: `${cap.url}/$CODE`,
        body_down: '$STATUS',
        url_up: '',
      },
      [silent, late],
    )

    ctx.clock.advance(120 * MIN)
    const back = ctx.clock.now()
    worker = startWorker(ctx, { workerId: 'w1' })
    await settle(worker)
    const rows = await ctx.db.kysely
      .selectFrom('checks')
      .select(['name', 'status', 'alert_after'])
      .orderBy('name')
      .execute()
    assert.deepEqual(rows, [
      { name: 'late', status: 'up', alert_after: back + 600_000 },
      { name: 'silent', status: 'up', alert_after: back + 600_000 },
    ])
    const outages = await ctx.db.kysely.selectFrom('worker_outages').selectAll().execute()
    assert.equal(outages.length, 1)
    assert.deepEqual(
      [outages[0].started, outages[0].ended, outages[0].detected_by, outages[0].checks_rearmed],
      [lastBeat, back, 'w1', 2],
    )
    assert.equal(cap.requests.length, 0)

    // The late job pings within the re-armed grace.
    ctx.clock.advance(5 * MIN)
    const ping = await recordPing(ctx, {
      target: { code: late.code },
      action: 'success',
      exitstatus: null,
      rid: null,
      client: { remoteAddr: '127.0.0.1', scheme: 'http', method: 'GET', ua: 'test', body: null },
    })
    assert.ok(ping.ok)
    ctx.clock.advance(5 * MIN - 1)
    await settle(worker)
    assert.equal(cap.requests.length, 0, 'still within the grace given again')

    ctx.clock.advance(2)
    await settle(worker)
    await cap.waitFor(1)
    assert.deepEqual(
      cap.requests.map((r) => r.url),
      [`/${silent.code}`],
    )
    const statuses = await ctx.db.kysely
      .selectFrom('checks')
      .select(['name', 'status'])
      .orderBy('name')
      .execute()
    assert.deepEqual(statuses, [
      { name: 'late', status: 'up' },
      { name: 'silent', status: 'down' },
    ])
    // The flip keeps the moment the deadline really passed.
    const flip = await ctx.db.kysely.selectFrom('flips').selectAll().executeTakeFirstOrThrow()
    assert.equal(flip.created, lastBeat + 20 * MIN)
    // The gap is closed: no second outage is recorded.
    assert.equal((await ctx.db.kysely.selectFrom('worker_outages').selectAll().execute()).length, 1)
  })

  test('ALERTS-outage re-arming moves warn_at with the deadline, so the late warning comes again', async () => {
    const { project } = await buildProject(ctx)
    const lastBeat = ctx.clock.now()
    await writeHeartbeat(ctx, 'old', 'worker', lastBeat - MIN, lastBeat)
    // Deadline 20 minutes into the outage; the warning for it (5 min before) was already sent.
    const fields = {
      status: 'up' as const,
      timeout: 3600,
      grace: 600,
      last_ping: lastBeat - 50 * MIN,
    }
    const alertAfter = lastBeat + 20 * MIN
    const warned = await buildCheck(ctx, project, {
      ...fields,
      name: 'warned',
      alert_after: alertAfter,
      warn_after: 300,
      warn_at: null,
    })
    const wide = await buildCheck(ctx, project, {
      ...fields,
      name: 'wide',
      alert_after: alertAfter,
      warn_after: 3600,
      warn_at: null,
    })
    const plain = await buildCheck(ctx, project, {
      ...fields,
      name: 'plain',
      alert_after: alertAfter,
    })
    const hook = await buildChannel(
      ctx,
      project,
      'webhook',
      { method_down: 'POST', url_down: `${cap.url}/$CODE`, body_down: '$STATUS', url_up: '' },
      [warned, wide, plain],
    )
    await ctx.db.kysely
      .updateTable('channels')
      .set({ notify_late: 1 })
      .where('id', '=', hook.id)
      .execute()

    ctx.clock.advance(120 * MIN)
    const back = ctx.clock.now()
    const r = await recoverFromOutage(ctx, 'w1', 'worker', back, back)
    assert.equal(r?.rearmed, 3)
    const rows = await ctx.db.kysely
      .selectFrom('checks')
      .select(['name', 'alert_after', 'warn_at'])
      .orderBy('name')
      .execute()
    assert.deepEqual(rows, [
      { name: 'plain', alert_after: back + 10 * MIN, warn_at: null },
      // warn_after above the grace time warns when the grace time starts: at the recovery.
      { name: 'warned', alert_after: back + 10 * MIN, warn_at: back + 5 * MIN },
      { name: 'wide', alert_after: back + 10 * MIN, warn_at: back },
    ])
    assert.equal(await handleLateWarnings(ctx, back), 1)
    ctx.clock.advance(5 * MIN)
    assert.equal(await handleLateWarnings(ctx, ctx.clock.now()), 1)
    const warnings = await ctx.db.kysely
      .selectFrom('warnings')
      .select(['check_id', 'kind'])
      .orderBy('id')
      .execute()
    assert.deepEqual(warnings, [
      { check_id: wide.id, kind: 'late' },
      { check_id: warned.id, kind: 'late' },
    ])
  })

  test('ALERTS-outage a gap shorter than WORKER_OUTAGE_THRESHOLD flips at once, as before', async () => {
    const { project } = await buildProject(ctx)
    const lastBeat = ctx.clock.now()
    await writeHeartbeat(ctx, 'old', 'worker', lastBeat - MIN, lastBeat)
    const fields = { status: 'up' as const, timeout: 60, grace: 30, last_ping: lastBeat - 80_000 }
    await buildCheck(ctx, project, { ...fields, name: 'quick', alert_after: lastBeat + 10_000 })
    ctx.clock.advance(899_000)
    worker = startWorker(ctx, { workerId: 'w1' })
    await settle(worker)
    const check = await ctx.db.kysely
      .selectFrom('checks')
      .select('status')
      .executeTakeFirstOrThrow()
    assert.equal(check.status, 'down')
    assert.equal((await ctx.db.kysely.selectFrom('worker_outages').selectAll().execute()).length, 0)
  })
})
