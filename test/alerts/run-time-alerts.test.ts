// End to end on each database: pings through the real app, the worker's going-down pass, flip
// processing and webhook delivery to a loopback capture server, for the three run-time reasons:
// "ran too long" (max_runtime, with progress pings), "did not start" and "finished too fast".
import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import { deliverDueNotifications, handleGoingDown, processFlips } from '../../src/alerts/index.js'
import { goingDownAfter } from '../../src/checks/status.js'
import type { Check, NewCheck } from '../../src/db/index.js'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { createPingHarness, type PingHarness, readCheck, readFlips } from '../pings/ping-harness.js'

const S = 1000
const M = 60 * S
const H = 60 * M

describeEachDatabase('run-time alerts', (dialect) => {
  let h: PingHarness
  let cap: CaptureServer
  before(async () => {
    cap = await startCaptureServer()
  })
  after(() => cap.close())
  beforeEach(async () => {
    cap.requests.length = 0
    h = await createPingHarness(dialect, { INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True' })
  })
  afterEach(() => h.close())

  /** An up check that last succeeded an hour ago, with a webhook posting "$NAME: $REASON". */
  async function upCheck(fields: Partial<NewCheck>): Promise<Check> {
    const base = {
      name: 'Nightly backup',
      status: 'up' as const,
      last_ping: h.ctx.clock.now() - H,
      timeout: 86_400,
      grace: 3600,
      ...fields,
    }
    const check = await buildCheck(h.ctx, h.alice.project, {
      ...base,
      alert_after: goingDownAfter({
        kind: 'simple',
        schedule: '* * * * *',
        tz: 'UTC',
        last_start: null,
        ...base,
      }),
    })
    await buildChannel(
      h.ctx,
      h.alice.project,
      'webhook',
      {
        method_down: 'POST',
        url_down: `${cap.url}/down`,
        body_down: '$NAME: $REASON',
        headers_down: {},
        method_up: 'GET',
        url_up: '',
        body_up: '',
        headers_up: {},
      },
      [check],
    )
    return check
  }

  async function ping(path: string): Promise<void> {
    const r = await h.app.inject({ method: 'GET', url: `/ping/${path}` })
    assert.equal(r.statusCode, 200, r.body)
  }

  /** One worker pass at the clock's now: flip overdue checks, queue and send notifications. */
  async function workerPass(): Promise<number> {
    const now = h.ctx.clock.now()
    const flipped = await handleGoingDown(h.ctx, now)
    await processFlips(h.ctx, now)
    await deliverDueNotifications(h.ctx, { workerId: 'w' })
    return flipped
  }

  test('a run past max_runtime goes down as "ran too long"; progress pings held it up until then', async () => {
    const check = await upCheck({ max_runtime: 600 })
    const start = h.ctx.clock.now()
    await ping(`${check.code}/start`)
    // Two progress pings, 9 minutes apart, each moving the deadline 10 minutes on.
    for (let i = 1; i <= 2; i++) {
      h.ctx.clock.advance(9 * M)
      await ping(`${check.code}/progress`)
      assert.equal((await readCheck(h.ctx, check.id)).alert_after, start + i * 9 * M + 10 * M)
    }
    // 18 + 10 minutes: still running at 27:59, down at 28:00.
    h.ctx.clock.set(start + 28 * M - 1)
    assert.equal(await workerPass(), 0)
    h.ctx.clock.set(start + 28 * M + 1)
    assert.equal(await workerPass(), 1)
    const [flip] = await readFlips(h.ctx, check.id)
    assert.deepEqual([flip.reason, flip.created], ['runtime', start + 28 * M])
    assert.equal(cap.requests.length, 1)
    assert.equal(
      cap.requests[0].body,
      'Nightly backup: ran too long: no success or failure signal within the maximum run time',
    )
  })

  test('a progress ping by slug with a run id extends that run; without max_runtime grace still rules', async () => {
    const check = await upCheck({ slug: 'nightly', max_runtime: 600 })
    const rid = '6d6a2b6e-1b0b-4d1a-9f0e-8e8f2d3f4a5b'
    const key = h.alice.project.ping_key
    await ping(`${key}/nightly/start?rid=${rid}`)
    h.ctx.clock.advance(5 * M)
    await ping(`${key}/nightly/progress?rid=${rid}`)
    const row = await readCheck(h.ctx, check.id)
    assert.equal(row.last_progress, h.ctx.clock.now())
    assert.equal(row.alert_after, h.ctx.clock.now() + 10 * M)
    const plain = await upCheck({ name: 'plain' })
    await ping(`${plain.code}/start`)
    await ping(`${plain.code}/progress`)
    const p = await readCheck(h.ctx, plain.id)
    assert.equal(p.alert_after, h.ctx.clock.now() + H)
    assert.equal(p.last_progress, null)
  })

  test('a missed start goes down as "did not start" when the schedule’s grace passes', async () => {
    const check = await upCheck({ max_runtime: 4 * 3600, timeout: 3600, grace: 600 })
    // Last success an hour ago, period 1 hour, grace 10 minutes: due now, down in 10 minutes.
    h.ctx.clock.advance(10 * M - 1)
    assert.equal(await workerPass(), 0)
    h.ctx.clock.advance(2)
    assert.equal(await workerPass(), 1)
    const [flip] = await readFlips(h.ctx, check.id)
    assert.equal(flip.reason, 'no_start')
    assert.equal(
      cap.requests[0].body,
      'Nightly backup: did not start: no start signal on time, grace time passed',
    )
  })

  test('a run shorter than min_runtime goes down as "finished too fast" at the success ping', async () => {
    const check = await upCheck({ min_runtime: 60 })
    await ping(`${check.code}/start`)
    h.ctx.clock.advance(10 * S)
    await ping(check.code)
    const row = await readCheck(h.ctx, check.id)
    assert.deepEqual([row.status, row.last_duration_ms, row.alert_after], ['down', 10 * S, null])
    const [flip] = await readFlips(h.ctx, check.id)
    assert.equal(flip.reason, 'too_fast')
    await workerPass()
    assert.equal(cap.requests.length, 1)
    assert.equal(
      cap.requests[0].body,
      'Nightly backup: finished too fast: the run was shorter than its minimum run time',
    )
  })

  test('unset limits keep Healthchecks: a pending start goes down after grace as a timeout', async () => {
    const check = await upCheck({ grace: 600 })
    await ping(`${check.code}/start`)
    h.ctx.clock.advance(10 * M + 1)
    assert.equal(await workerPass(), 1)
    const [flip] = await readFlips(h.ctx, check.id)
    assert.equal(flip.reason, 'timeout')
    assert.equal(
      cap.requests[0].body,
      'Nightly backup: success signal did not arrive on time, grace time passed',
    )
  })
})
