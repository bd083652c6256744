import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, test } from 'node:test'
import {
  decideDownFlip,
  type FlapCheck,
  processFlips,
  processOneFlip,
} from '../../src/alerts/index.js'
import type { Check, PingKind, Project, StoredStatus } from '../../src/db/index.js'
import { buildChannel, buildCheck, buildProject, ruleCheckBase } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const T0 = Date.parse('2026-01-15T12:00:00Z')
const MIN = 60_000

function check(fields: Partial<FlapCheck>): FlapCheck {
  return { ...ruleCheckBase(T0), alert_failures: 1, alert_delay: 0, ...fields }
}

describe('decideDownFlip', () => {
  const fail = { created: T0, reason: 'fail' }
  const timeout = { created: T0, reason: 'timeout' }
  const cases: [string, Parameters<typeof decideDownFlip>, ReturnType<typeof decideDownFlip>][] = [
    ['no protection alerts at once', [fail, check({}), ['fail'], T0], { kind: 'alert' }],
    [
      'a delay holds until it ends',
      [timeout, check({ alert_delay: 600 }), [], T0 + MIN],
      { kind: 'hold', recheckAt: T0 + 10 * MIN },
    ],
    [
      'a delay alerts exactly when it ends',
      [timeout, check({ alert_delay: 600 }), [], T0 + 10 * MIN],
      { kind: 'alert' },
    ],
    [
      'back up within the delay is suppressed',
      [timeout, check({ alert_delay: 600, status: 'up' }), [], T0 + MIN],
      { kind: 'suppress' },
    ],
    [
      'paused within the delay is suppressed',
      [timeout, check({ alert_delay: 600, status: 'paused' }), [], T0 + MIN],
      { kind: 'suppress' },
    ],
    [
      'one failure of three required is held a minute',
      [fail, check({ alert_failures: 3 }), ['fail', 'success'], T0],
      { kind: 'hold', recheckAt: T0 + MIN },
    ],
    [
      'three consecutive failures alert',
      [fail, check({ alert_failures: 3 }), ['fail', 'fail', 'fail', 'success'], T0],
      { kind: 'alert' },
    ],
    [
      'a success between failures restarts the count',
      [fail, check({ alert_failures: 3 }), ['fail', 'success', 'fail'], T0],
      { kind: 'hold', recheckAt: T0 + MIN },
    ],
    [
      'a timeout is not held for the failure count',
      [timeout, check({ alert_failures: 3 }), [], T0],
      { kind: 'alert' },
    ],
    [
      'a held failure is released when the job also misses its next deadline',
      [fail, check({ alert_failures: 3 }), ['fail'], T0 + 65 * MIN],
      { kind: 'alert' },
    ],
    [
      'both conditions: enough failures but delay pending',
      [fail, check({ alert_failures: 2, alert_delay: 300 }), ['fail', 'fail'], T0 + MIN],
      { kind: 'hold', recheckAt: T0 + 5 * MIN },
    ],
  ]
  for (const [name, args, expected] of cases) {
    test(name, () => assert.deepEqual(decideDownFlip(...args), expected))
  }
})

describeEachDatabase('flapping protection in processFlips', (dialect) => {
  let ctx: TestContext
  let project: Project
  let c: Check
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    project = (await buildProject(ctx)).project
    await ctx.db.kysely.deleteFrom('channels').execute()
    c = await buildCheck(ctx, project, {
      status: 'down',
      name: 'backup',
      alert_delay: 600,
      last_ping: ctx.clock.now() - MIN,
    })
    await buildChannel(ctx, project, 'webhook', { url_down: 'http://a', url_up: 'http://a' }, [c])
  })
  afterEach(() => ctx.drop())

  async function flip(old_status: StoredStatus, new_status: StoredStatus, reason = '') {
    return ctx.db.kysely
      .insertInto('flips')
      .values({ check_id: c.id, created: ctx.clock.now(), old_status, new_status, reason })
      .returningAll()
      .executeTakeFirstOrThrow()
  }
  const notifications = () =>
    ctx.db.kysely.selectFrom('notifications').selectAll().orderBy('id').execute()
  const flipRow = (id: number) =>
    ctx.db.kysely.selectFrom('flips').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const setStatus = (status: StoredStatus) =>
    ctx.db.kysely.updateTable('checks').set({ status }).where('id', '=', c.id).execute()

  test('a down flip is held, then alerts when the check is still down after the delay', async () => {
    const f = await flip('up', 'down', 'timeout')
    const r = await processOneFlip(ctx, ctx.clock.now())
    assert.equal(r?.outcome, 'held')
    assert.equal((await flipRow(f.id)).processed, null)
    assert.equal((await flipRow(f.id)).recheck_at, ctx.clock.now() + 10 * MIN)
    assert.equal(
      (await flipRow(f.id)).held_reason,
      'flapping protection: waiting until it has been down 600 s',
    )
    // Not due again before its recheck time.
    assert.equal(await processOneFlip(ctx, ctx.clock.now() + 5 * MIN), null)
    ctx.clock.advance(10 * MIN)
    const again = await processOneFlip(ctx, ctx.clock.now())
    assert.equal(again?.outcome, 'notified')
    assert.equal(again?.queued, 1)
    assert.equal((await notifications()).length, 1)
  })

  test('an up flip within the delay suppresses both flips without alerts', async () => {
    const down = await flip('up', 'down', 'timeout')
    await processFlips(ctx, ctx.clock.now())
    ctx.clock.advance(2 * MIN)
    await setStatus('up')
    const up = await flip('down', 'up')
    assert.equal(await processFlips(ctx, ctx.clock.now()), 1)
    assert.equal((await notifications()).length, 0)
    const d = await flipRow(down.id)
    assert.equal(d.suppressed, 1)
    assert.equal(d.processed, ctx.clock.now())
    assert.equal(d.held_reason, 'back up before the alert was sent')
    assert.equal((await flipRow(up.id)).suppressed, 1)
    // Nothing is left to alert later.
    ctx.clock.advance(20 * MIN)
    assert.equal(await processFlips(ctx, ctx.clock.now()), 0)
    assert.equal((await notifications()).length, 0)
  })

  test('after an announced down, the up flip alerts normally', async () => {
    await flip('up', 'down', 'timeout')
    await processFlips(ctx, ctx.clock.now())
    ctx.clock.advance(10 * MIN)
    await processFlips(ctx, ctx.clock.now())
    await setStatus('up')
    await flip('down', 'up')
    await processFlips(ctx, ctx.clock.now())
    assert.deepEqual(
      (await notifications()).map((n) => n.check_status),
      ['down', 'up'],
    )
  })

  test('N consecutive failures: held until the third failure ping arrives', async () => {
    await ctx.db.kysely
      .updateTable('checks')
      .set({ alert_failures: 3, alert_delay: 0 })
      .where('id', '=', c.id)
      .execute()
    const ping = async (n: number, kind: PingKind) =>
      ctx.db.kysely
        .insertInto('pings')
        .values({
          check_id: c.id,
          n,
          created: ctx.clock.now(),
          kind,
          scheme: 'http',
          remote_addr: null,
          method: 'GET',
          ua: '',
          body: null,
          exitstatus: null,
          rid: null,
        })
        .execute()
    await ping(1, 'success')
    ctx.clock.advance(MIN)
    await ping(2, 'fail')
    await flip('up', 'down', 'fail')
    assert.equal((await processOneFlip(ctx, ctx.clock.now()))?.outcome, 'held')
    ctx.clock.advance(MIN)
    await ping(3, 'fail')
    assert.equal((await processOneFlip(ctx, ctx.clock.now()))?.outcome, 'held')
    ctx.clock.advance(MIN)
    await ping(4, 'fail')
    assert.equal((await processOneFlip(ctx, ctx.clock.now()))?.outcome, 'notified')
    assert.equal((await notifications()).length, 1)
  })

  test('checks without protection are unaffected: down → up both alert', async () => {
    await ctx.db.kysely.updateTable('checks').set({ alert_delay: 0 }).execute()
    await flip('up', 'down', 'timeout')
    await setStatus('up')
    await flip('down', 'up')
    assert.equal(await processFlips(ctx, ctx.clock.now()), 2)
    assert.deepEqual(
      (await notifications()).map((n) => n.check_status),
      ['down', 'up'],
    )
  })
})
