import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isOutage, rearmedAlertAfter } from '../../src/alerts/index.js'

const T = Date.parse('2026-01-15T12:00:00Z')
const MIN = 60_000
// Last heartbeat at T, the worker is back at T + 30 min.
const outage = { started: T, ended: T + 30 * MIN }
const now = outage.ended

test('ALERTS-outage a deadline inside the outage gets the grace again from the recovery', () => {
  const cases: [string, { status: string; alert_after: number | null }, number | null][] = [
    ['deadline just after the last heartbeat', { status: 'up', alert_after: T + 1 }, now + 5 * MIN],
    ['deadline in the middle', { status: 'up', alert_after: T + 10 * MIN }, now + 5 * MIN],
    ['deadline exactly at the recovery', { status: 'up', alert_after: now }, now + 5 * MIN],
    [
      'a check in its grace period (stored up)',
      { status: 'up', alert_after: T + MIN },
      now + 5 * MIN,
    ],
    [
      'a new check with a deadline (started, never finished)',
      { status: 'new', alert_after: T + MIN },
      now + 5 * MIN,
    ],
    [
      'deadline exactly at the last heartbeat: the running worker had it',
      { status: 'up', alert_after: T },
      null,
    ],
    ['deadline before the outage', { status: 'up', alert_after: T - MIN }, null],
    ['deadline after the recovery', { status: 'up', alert_after: now + 1 }, null],
    ['already down', { status: 'down', alert_after: T + MIN }, null],
    ['no deadline (paused)', { status: 'paused', alert_after: null }, null],
  ]
  for (const [name, check, expected] of cases) {
    assert.equal(rearmedAlertAfter({ ...check, grace: 300 }, outage, now), expected, name)
  }
})

test('ALERTS-outage the rule leaves a deadline that has not passed by now', () => {
  // Applied before the recovery time (a clock behind): nothing has passed yet.
  assert.equal(
    rearmedAlertAfter({ status: 'up', alert_after: T + 20 * MIN, grace: 60 }, outage, T + 10 * MIN),
    null,
  )
  // Applied later than the recovery: still the recovery plus grace, not now plus grace.
  assert.equal(
    rearmedAlertAfter({ status: 'up', alert_after: T + 20 * MIN, grace: 60 }, outage, now + MIN),
    now + MIN,
  )
})

test('ALERTS-outage a heartbeat gap is an outage from the threshold on, and never when off', () => {
  const threshold = 120_000
  assert.equal(isOutage(T, T + threshold - 1, threshold), false)
  assert.equal(isOutage(T, T + threshold, threshold), true)
  assert.equal(isOutage(null, T + 10 * threshold, threshold), false, 'first start ever')
  assert.equal(isOutage(T, T + 100 * threshold, 0), false, 'WORKER_OUTAGE_THRESHOLD=0')
})
