/**
 * Snooze and maintenance windows end to end: the real app (API, ping URLs), the real worker and a
 * real webhook receiver on loopback, which must see exactly the notifications promised.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { startWorker, type WorkerHandle } from '../../src/alerts/index.js'
import { buildApp } from '../../src/app.js'
import { goingDownAfter } from '../../src/checks/status.js'
import type { Check, Project } from '../../src/db/index.js'
import { call } from '../api/api-harness.js'
import { type BuiltProject, buildChannel, buildCheck, buildProject } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const MIN = 60_000
const HOUR = 60 * MIN

describeEachDatabase('snooze and maintenance: what the webhook receives', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let cap: CaptureServer
  let built: BuiltProject
  let project: Project
  let check: Check
  let worker: WorkerHandle
  before(async () => {
    cap = await startCaptureServer()
  })
  after(() => cap.close())
  beforeEach(async () => {
    cap.requests.length = 0
    ctx = await createTestContext(dialect, {
      INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True',
      WORKER_POLL_MS: '60000',
      // The test moves the clock by hours: that is not an outage of the worker (no re-arming).
      WORKER_OUTAGE_THRESHOLD: '0',
    })
    app = await buildApp(ctx)
    built = await buildProject(ctx, 'alice@example.org', 'Backups')
    project = built.project
    const fields = { status: 'up' as const, timeout: 3600, grace: 600, last_ping: ctx.clock.now() }
    check = await buildCheck(ctx, project, {
      ...fields,
      name: 'nightly',
      tags: 'db prod',
      alert_after: goingDownAfter({
        kind: 'simple',
        schedule: '',
        tz: 'UTC',
        last_start: null,
        ...fields,
      }),
    })
    await buildChannel(
      ctx,
      project,
      'webhook',
      {
        method_down: 'GET',
        url_down: `${cap.url}/down`,
        method_up: 'GET',
        url_up: `${cap.url}/up`,
      },
      [check],
    )
    worker = startWorker(ctx, { workerId: 'w1' })
  })
  afterEach(async () => {
    await worker.stop()
    await app.close()
    await ctx.drop()
  })

  /** Moves the clock and lets the worker do everything that is due. */
  async function at(ms: number): Promise<string[]> {
    ctx.clock.advance(ms)
    for (let i = 0; i < 3; i++) {
      await worker.tick()
      await worker.drain()
    }
    return cap.requests.map((r) => r.url)
  }
  const ping = () => call(app, 'POST', `/ping/${check.code}`)
  const api = (method: 'POST' | 'DELETE', path: string, body?: unknown) =>
    call(app, method, `/api/v3${path}`, { key: built.apiKey, body })

  test('down during a snooze: nothing until it ends, then one alert', async () => {
    assert.equal(
      (await api('POST', `/checks/${check.code}/snooze`, { minutes: 180 })).statusCode,
      200,
    )
    assert.deepEqual(await at(71 * MIN), []) // down at 12:00 + 70 min, held
    const flip = await ctx.db.kysely.selectFrom('flips').selectAll().executeTakeFirstOrThrow()
    assert.match(flip.held_reason, /^snoozed until 2026-01-15T15:00:00\+00:00$/)
    assert.deepEqual(await at(HOUR), [])
    assert.deepEqual(await at(HOUR), ['/down']) // 15:01: the snooze is over, still down
    assert.deepEqual(await at(HOUR), ['/down'])
  })

  test('back up before the snooze ends: no down, no up', async () => {
    await api('POST', `/checks/${check.code}/snooze`, { minutes: 180, reason: 'migration' })
    assert.deepEqual(await at(71 * MIN), [])
    assert.equal((await ping()).statusCode, 200)
    assert.deepEqual(await at(MIN), [])
    // Down again at 14:21, inside the snooze, and back up at 14:59: still nothing.
    assert.deepEqual(await at(HOUR + 47 * MIN), []) // 14:59
    assert.equal((await ping()).statusCode, 200)
    assert.deepEqual(await at(MIN), [])
  })

  test('a down announced before the snooze: its recovery is still sent at once', async () => {
    assert.deepEqual(await at(71 * MIN), ['/down'])
    await api('POST', `/checks/${check.code}/snooze`, { minutes: 60 })
    await ping()
    assert.deepEqual(await at(MIN), ['/down', '/up'])
  })

  test('DELETE ends the snooze and the held down alert goes at the next tick', async () => {
    await api('POST', `/checks/${check.code}/snooze`, { minutes: 600 })
    assert.deepEqual(await at(71 * MIN), [])
    assert.equal((await api('DELETE', `/checks/${check.code}/snooze`)).statusCode, 200)
    assert.deepEqual(await at(0), ['/down'])
  })

  test('a snooze of a tag group by API, shortened by the snooze ping URL', async () => {
    await api('POST', '/snooze', { tags: 'prod', minutes: 180 })
    assert.deepEqual(await at(71 * MIN), []) // 13:11, down, held until 15:00
    // A cron line snoozes it for 30 minutes from now: the held alert now waits until 13:41.
    assert.equal((await call(app, 'POST', `/ping/${check.code}/snooze?minutes=30`)).statusCode, 200)
    assert.deepEqual(await at(29 * MIN), []) // 13:40
    assert.deepEqual(await at(2 * MIN), ['/down']) // 13:42
  })

  test('a project window (Europe/Riga): down inside is alerted at its end if still down', async () => {
    // 2026-01-15 is a Thursday; 14:00–16:00 Riga = 12:00–14:00 UTC.
    const w = { schedule: '0 14 * * 4', duration: 7200, tz: 'Europe/Riga' }
    assert.equal((await api('POST', '/maintenance', { maintenance: [w] })).statusCode, 200)
    assert.deepEqual(await at(71 * MIN), []) // 13:11 UTC, down, in the window
    const flip = await ctx.db.kysely.selectFrom('flips').selectAll().executeTakeFirstOrThrow()
    assert.equal(flip.held_reason, 'maintenance window until 2026-01-15T14:00:00+00:00')
    assert.deepEqual(await at(48 * MIN), []) // 13:59
    assert.deepEqual(await at(MIN), ['/down']) // 14:00
  })

  test('a check window: down and back up inside it sends nothing', async () => {
    const r = await api('POST', `/checks/${check.code}`, {
      maintenance: [{ schedule: 'Thu *-*-* 12:30', duration: 3600 }],
    })
    assert.equal(r.statusCode, 200, r.body)
    assert.deepEqual(await at(71 * MIN), []) // 13:11, down in the 12:30–13:30 window
    await ping()
    assert.deepEqual(await at(MIN), [])
    assert.deepEqual(await at(HOUR), [])
  })

  test('removing the window lets its held alert go at the next tick', async () => {
    await api('POST', `/checks/${check.code}`, {
      maintenance: [{ schedule: 'Thu *-*-* 12:30', duration: 7200 }],
    })
    assert.deepEqual(await at(71 * MIN), []) // 13:11, held until 14:30
    assert.equal((await api('POST', `/checks/${check.code}`, { maintenance: [] })).statusCode, 200)
    assert.deepEqual(await at(0), ['/down'])
  })
})
