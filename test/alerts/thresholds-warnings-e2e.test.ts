import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import { startWorker, type WorkerHandle } from '../../src/alerts/index.js'
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

describeEachDatabase('thresholds and warnings, end to end', (dialect) => {
  let ctx: TestContext
  let cap: CaptureServer
  let worker: WorkerHandle
  before(async () => {
    cap = await startCaptureServer()
  })
  after(() => cap.close())
  beforeEach(async () => {
    cap.requests.length = 0
    ctx = await createTestContext(dialect, {
      INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True',
      // The fake clock jumps up to an hour between ticks: not a worker outage here.
      WORKER_OUTAGE_THRESHOLD: '86400',
    })
    worker = startWorker(ctx, { workerId: 'w1' })
  })
  afterEach(async () => {
    await worker.stop()
    await ctx.drop()
  })

  // The checks accept POST only, so a GET is stored as an `ign` ping.
  const ping = async (check: Check, action: 'success' | 'fail' | 'ign') => {
    const r = await recordPing(ctx, {
      target: { code: check.code },
      action: action === 'ign' ? 'success' : action,
      exitstatus: null,
      rid: null,
      client: {
        remoteAddr: '127.0.0.1',
        scheme: 'http',
        method: action === 'ign' ? 'GET' : 'POST',
        ua: 'test',
        body: null,
      },
    })
    assert.ok(r.ok)
  }
  const hook = (name: string) => ({
    method_down: 'POST',
    url_down: `${cap.url}/${name}/down`,
    body_down: '$STATUS|$WARNING|$DETAIL',
    method_up: 'POST',
    url_up: `${cap.url}/${name}/up`,
    body_up: '$STATUS',
  })
  const seen = () => cap.requests.map((r) => `${r.url} ${r.body}`)

  test('a late warning reaches only the channel that opted in, then down and up reach both', async () => {
    const { project } = await buildProject(ctx)
    const check = await buildCheck(ctx, project, {
      timeout: 3600,
      grace: 600,
      warn_after: 300,
      methods: 'POST',
    })
    await buildChannel(ctx, project, 'webhook', hook('opted'), [check], { notify_late: true })
    await buildChannel(ctx, project, 'webhook', hook('plain'), [check])
    const t0 = ctx.clock.now()
    await ping(check, 'success')
    const row = await ctx.db.kysely
      .selectFrom('checks')
      .select(['alert_after', 'warn_at'])
      .where('id', '=', check.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { alert_after: t0 + 70 * MIN, warn_at: t0 + 65 * MIN })

    // A ping before the warning time moves it: nothing at the first warning time.
    ctx.clock.advance(30 * MIN)
    await ping(check, 'success')
    ctx.clock.advance(35 * MIN)
    await settle(worker)
    assert.deepEqual(seen(), [])

    ctx.clock.advance(30 * MIN - 1)
    await settle(worker)
    assert.deepEqual(seen(), [], 'one millisecond before the warning time')
    ctx.clock.advance(1)
    await settle(worker)
    await cap.waitFor(1)
    const warned = seen()
    assert.equal(warned.length, 1)
    assert.match(
      warned[0],
      /^\/opted\/down late\|late\|last ping .*; goes down at .* unless a ping arrives$/,
    )
    // Another pass does not warn twice.
    await settle(worker)
    assert.equal(cap.requests.length, 1)
    const warnings = await ctx.db.kysely.selectFrom('warnings').selectAll().execute()
    assert.equal(warnings.length, 1)
    assert.equal(warnings[0].kind, 'late')

    ctx.clock.advance(5 * MIN + 1)
    await settle(worker)
    await cap.waitFor(3)
    assert.deepEqual(seen().slice(1).sort(), ['/opted/down down||', '/plain/down down||'])
    await ping(check, 'success')
    await settle(worker)
    await cap.waitFor(5)
    assert.deepEqual(seen().slice(3).sort(), ['/opted/up up', '/plain/up up'])
    assert.equal(cap.requests.length, 5)
  })

  test('K of the last N runs failing alerts once, ign pings not counted; the up alert waits for M successes', async () => {
    const { project } = await buildProject(ctx)
    const check = await buildCheck(ctx, project, {
      timeout: 3600,
      grace: 600,
      fail_window: 3,
      fail_threshold: 2,
      recover_successes: 2,
      methods: 'POST',
    })
    await buildChannel(ctx, project, 'webhook', hook('h'), [check])
    await ping(check, 'success')
    await settle(worker)

    // One failure, then a success: a blip nobody hears of.
    await ping(check, 'fail')
    await settle(worker)
    ctx.clock.advance(MIN)
    await settle(worker)
    assert.deepEqual(seen(), [])
    await ping(check, 'success')
    await settle(worker)
    assert.deepEqual(seen(), [])

    // success, success, fail + three ign pings: 1 failure in the last 3 runs; held.
    await ping(check, 'success')
    await ping(check, 'fail')
    for (let i = 0; i < 3; i++) await ping(check, 'ign')
    ctx.clock.advance(MIN)
    await settle(worker)
    assert.deepEqual(seen(), [])
    // A second failure within the window: the held flip alerts at its next look.
    await ping(check, 'fail')
    ctx.clock.advance(MIN)
    await settle(worker)
    await cap.waitFor(1)
    assert.deepEqual(seen(), ['/h/down down||'])

    // Recovery: one success is not enough; a failure before the second one is no news.
    await ping(check, 'success')
    ctx.clock.advance(MIN)
    await settle(worker)
    await ping(check, 'fail')
    ctx.clock.advance(MIN)
    await settle(worker)
    assert.deepEqual(seen(), ['/h/down down||'])
    await ping(check, 'success')
    await ping(check, 'ign')
    await ping(check, 'success')
    // The up flip was held at the first success; its next look (a minute on) sees two.
    ctx.clock.advance(MIN)
    await settle(worker)
    const pings = await ctx.db.kysely
      .selectFrom('pings')
      .select('kind')
      .where('check_id', '=', check.id)
      .orderBy('id')
      .execute()
    assert.equal(pings.filter((p) => p.kind === 'ign').length, 4)
    await cap.waitFor(2)
    assert.deepEqual(seen(), ['/h/down down||', '/h/up up'])
    ctx.clock.advance(MIN)
    await settle(worker)
    assert.equal(cap.requests.length, 2)
    const reasons = await ctx.db.kysely
      .selectFrom('flips')
      .select(['new_status', 'suppressed', 'held_reason'])
      .where('check_id', '=', check.id)
      .orderBy('id')
      .execute()
    assert.ok(
      reasons.some((f) => f.held_reason === 'still down: its recovery was not confirmed yet'),
    )
  })

  test('a run-insight warning (too often) reaches the channel that takes warnings', async () => {
    const { project } = await buildProject(ctx)
    const check = await buildCheck(ctx, project, {
      kind: 'cron',
      schedule: '0 3 * * *',
      tz: 'UTC',
      grace: 600,
      methods: 'POST',
      insight_too_often: 1,
      insight_on: 1,
    })
    await buildChannel(ctx, project, 'webhook', hook('opted'), [check], { notify_late: true })
    await buildChannel(ctx, project, 'webhook', hook('plain'), [check])
    const t = Date.parse('2026-03-10T03:00:00Z')
    ctx.clock.set(t)
    await ping(check, 'success')
    await settle(worker)
    ctx.clock.set(t + 5 * MIN)
    await ping(check, 'success')
    await settle(worker)
    await cap.waitFor(1)
    assert.equal(cap.requests.length, 1)
    assert.match(seen()[0], /^\/opted\/down warning\|too_often\|.*within one period/)
  })

  test('a warning about a snoozed check is recorded but not sent', async () => {
    const { project } = await buildProject(ctx)
    const check = await buildCheck(ctx, project, {
      timeout: 3600,
      grace: 600,
      warn_after: 300,
      methods: 'POST',
    })
    await buildChannel(ctx, project, 'webhook', hook('opted'), [check], { notify_late: true })
    await ping(check, 'success')
    await ctx.db.kysely
      .updateTable('checks')
      .set({ snoozed_until: ctx.clock.now() + 120 * MIN })
      .where('id', '=', check.id)
      .execute()
    ctx.clock.advance(65 * MIN)
    await settle(worker)
    const warnings = await ctx.db.kysely.selectFrom('warnings').selectAll().execute()
    assert.equal(warnings.length, 1)
    assert.notEqual(warnings[0].processed, null)
    assert.deepEqual(seen(), [])
  })
})
