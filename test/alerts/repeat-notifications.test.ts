/**
 * Repeat notifications end to end (issue 14 §7): a webhook channel with `repeat_every` and
 * `repeat_max`, the worker's own steps (processFlips, queueDueRepeats, delivery) on a fake clock,
 * and a real loopback receiver that must see exactly the repeats promised.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import {
  type AlertGate,
  deliverDueNotifications,
  processFlips,
  queueDueRepeats,
} from '../../src/alerts/index.js'
import type { Check, Project } from '../../src/db/index.js'
import { buildChannel, buildCheck, buildProject } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const HOUR = 3_600_000

describeEachDatabase('repeat notifications', (dialect) => {
  let ctx: TestContext
  let cap: CaptureServer
  let project: Project
  let check: Check
  before(async () => {
    cap = await startCaptureServer()
  })
  after(() => cap.close())
  beforeEach(async () => {
    cap.requests.length = 0
    ctx = await createTestContext(dialect, { INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True' })
    project = (await buildProject(ctx, 'alice@example.org', 'Backups')).project
    await ctx.db.kysely.deleteFrom('channels').where('project_id', '=', project.id).execute()
    check = await buildCheck(ctx, project, { name: 'nightly', status: 'up' })
  })
  afterEach(() => ctx.drop())

  async function channel(repeat: { repeat_every: number; repeat_max: number }) {
    const c = await buildChannel(
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
    await ctx.db.kysely.updateTable('channels').set(repeat).where('id', '=', c.id).execute()
    return c
  }

  async function flip(new_status: 'up' | 'down') {
    const old_status = new_status === 'down' ? 'up' : 'down'
    await ctx.db.kysely
      .updateTable('checks')
      .set({ status: new_status })
      .where('id', '=', check.id)
      .execute()
    await ctx.db.kysely
      .insertInto('flips')
      .values({ check_id: check.id, created: ctx.clock.now(), old_status, new_status, reason: '' })
      .execute()
  }

  /** One worker pass: flips, due repeats, deliveries. */
  async function pass(gates?: readonly AlertGate[]) {
    await processFlips(ctx, ctx.clock.now())
    const repeats = await queueDueRepeats(ctx, ctx.clock.now(), { gates })
    await deliverDueNotifications(ctx, { workerId: 'w1', limit: 100 })
    return repeats
  }

  const paths = () => cap.requests.map((r) => r.url)

  test('a down alert is repeated every interval while down, and stops at the maximum', async () => {
    await channel({ repeat_every: 3600, repeat_max: 2 })
    await flip('down')
    await pass()
    assert.deepEqual(paths(), ['/down'])
    ctx.clock.advance(HOUR - 1)
    assert.deepEqual(await pass(), [])
    assert.deepEqual(paths(), ['/down'], 'not before the interval')
    ctx.clock.advance(1)
    assert.deepEqual(await pass(), ['queued'])
    assert.deepEqual(paths(), ['/down', '/down'])
    ctx.clock.advance(HOUR)
    await pass()
    assert.deepEqual(paths(), ['/down', '/down', '/down'])
    ctx.clock.advance(10 * HOUR)
    assert.deepEqual(await pass(), [])
    assert.equal(cap.requests.length, 3, 'two repeats at most')
    const rows = await ctx.db.kysely
      .selectFrom('notifications')
      .select(['repeat_n', 'status', 'repeat_at'])
      .orderBy('id')
      .execute()
    assert.deepEqual(rows, [
      { repeat_n: 0, status: 'sent', repeat_at: null },
      { repeat_n: 1, status: 'sent', repeat_at: null },
      { repeat_n: 2, status: 'sent', repeat_at: null },
    ])
  })

  test('repeats stop when the check recovers', async () => {
    await channel({ repeat_every: 600, repeat_max: 10 })
    await flip('down')
    await pass()
    ctx.clock.advance(600_000)
    await pass()
    assert.deepEqual(paths(), ['/down', '/down'])
    ctx.clock.advance(60_000)
    await flip('up')
    await pass()
    assert.deepEqual(paths(), ['/down', '/down', '/up'])
    ctx.clock.advance(600_000)
    assert.deepEqual(await pass(), ['stopped'])
    ctx.clock.advance(10 * 600_000)
    assert.deepEqual(await pass(), [])
    assert.deepEqual(paths(), ['/down', '/down', '/up'])
  })

  test('a new outage starts its own repeats; the old chain does not come back', async () => {
    await channel({ repeat_every: 600, repeat_max: 10 })
    await flip('down')
    await pass()
    ctx.clock.advance(60_000)
    await flip('up')
    await pass()
    ctx.clock.advance(60_000)
    await flip('down')
    await pass()
    assert.deepEqual(paths(), ['/down', '/up', '/down'])
    // The first chain was due at 600 s and is stopped; the second is due at 720 s.
    ctx.clock.advance(480_000)
    assert.deepEqual(await pass(), ['stopped'])
    ctx.clock.advance(120_000)
    assert.deepEqual(await pass(), ['queued'])
    assert.deepEqual(paths(), ['/down', '/up', '/down', '/down'])
  })

  test('a gate that holds or suppresses the down flip (snooze, maintenance) skips repeats until it lets go', async () => {
    await channel({ repeat_every: 600, repeat_max: 10 })
    await flip('down')
    await pass()
    let snoozedUntil = ctx.clock.now() + 1_500_000
    const snooze: AlertGate = {
      name: 'test-snooze',
      async decide({ now }) {
        return now < snoozedUntil
          ? { kind: 'hold', recheckAt: snoozedUntil, reason: 'snoozed' }
          : { kind: 'alert' }
      },
    }
    ctx.clock.advance(600_000)
    assert.deepEqual(await pass([snooze]), ['held'])
    ctx.clock.advance(600_000)
    assert.deepEqual(
      await pass([snooze]),
      [],
      'held until the snooze ends, not re-read each interval',
    )
    ctx.clock.advance(300_000)
    assert.deepEqual(await pass([snooze]), ['queued'])
    assert.deepEqual(paths(), ['/down', '/down'])
    const suppress: AlertGate = {
      name: 'test-parent',
      decide: async () => ({ kind: 'suppress', reason: 'parent is down' }),
    }
    ctx.clock.advance(600_000)
    assert.deepEqual(await pass([suppress]), ['skipped'])
    assert.deepEqual(paths(), ['/down', '/down'])
    snoozedUntil = 0
    ctx.clock.advance(600_000)
    assert.deepEqual(await pass([snooze]), ['queued'])
    assert.deepEqual(paths(), ['/down', '/down', '/down'])
  })

  test('a channel without repeats, and up alerts, are never repeated', async () => {
    await channel({ repeat_every: 0, repeat_max: 0 })
    await flip('down')
    await pass()
    ctx.clock.advance(30 * 24 * HOUR)
    assert.deepEqual(await pass(), [])
    assert.deepEqual(paths(), ['/down'])
  })

  test('two workers deciding the same due repeat queue it once', async () => {
    await channel({ repeat_every: 600, repeat_max: 10 })
    await flip('down')
    await pass()
    ctx.clock.advance(600_000)
    const [a, b] = await Promise.all([
      queueDueRepeats(ctx, ctx.clock.now()),
      queueDueRepeats(ctx, ctx.clock.now()),
    ])
    assert.deepEqual([...a, ...b], ['queued'])
    await deliverDueNotifications(ctx, { workerId: 'w1', limit: 100 })
    assert.deepEqual(paths(), ['/down', '/down'])
  })
})
