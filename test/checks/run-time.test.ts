// Pure rules of Vigil's run-time limits (checks/run-time.ts and their use in status.ts): the
// start deadline (schedule + grace) apart from the run-time limit, across midnight and DST with
// cron checks; progress moving the deadline; min_runtime's boundary; unset = Healthchecks.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  deadlineReason,
  isTooFast,
  PAIRING_WINDOW_MS,
  pairingWindowMs,
  runDeadline,
  runTimeReasonText,
} from '../../src/checks/run-time.js'
import { goingDownAfter, graceStart, type StatusInput, statusAt } from '../../src/checks/status.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const at = (iso: string) => Date.parse(iso)

/** A nightly 23:00 Berlin cron check with 30 minutes of grace, last run the night before. */
function nightly(overrides: Partial<StatusInput> = {}): StatusInput {
  return {
    kind: 'cron',
    timeout: 86_400,
    grace: 1_800,
    schedule: '0 23 * * *',
    tz: 'Europe/Berlin',
    status: 'up',
    // 28 March 2026, 23:40 CET: the run before the spring DST change (29 March).
    last_ping: at('2026-03-28T22:40:00Z'),
    last_start: null,
    ...overrides,
  }
}

test('unset max_runtime keeps Healthchecks: a pending start goes down grace after the earlier of start and schedule', () => {
  for (const max_runtime of [undefined, null]) {
    const started = nightly({ last_start: at('2026-03-29T21:10:00Z'), max_runtime })
    // Schedule: 29 March 23:00 CEST = 21:00Z, earlier than the start, so grace runs from there.
    assert.equal(graceStart(started, true), at('2026-03-29T21:00:00Z'))
    assert.equal(goingDownAfter(started), at('2026-03-29T21:30:00Z'))
    assert.equal(statusAt(started, at('2026-03-29T21:29:59.999Z')), 'grace')
    assert.equal(statusAt(started, at('2026-03-29T21:30:00Z')), 'down')
    assert.equal(deadlineReason(started), 'timeout')
    assert.equal(runDeadline(started), null)
  }
})

test('with max_runtime, a missing start is still bounded by the schedule and grace (did not start), across the spring DST change', () => {
  const c = nightly({ max_runtime: 2 * 3600 })
  // 23:00 CEST on the day clocks went forward = 21:00Z; grace ends 21:30Z.
  assert.equal(graceStart(c, true), at('2026-03-29T21:00:00Z'))
  assert.equal(goingDownAfter(c), at('2026-03-29T21:30:00Z'))
  assert.equal(statusAt(c, at('2026-03-29T20:59:59.999Z')), 'up')
  assert.equal(statusAt(c, at('2026-03-29T21:00:00Z')), 'grace')
  assert.equal(statusAt(c, at('2026-03-29T21:30:00Z')), 'down')
  assert.equal(deadlineReason(c), 'no_start')
})

test('with max_runtime, a started run is bounded by it alone, past local midnight', () => {
  // Started 23:10 CEST, 2 hours allowed: until 01:10 CEST the next day, though grace ended at 23:30.
  const c = nightly({ max_runtime: 2 * 3600, last_start: at('2026-03-29T21:10:00Z') })
  assert.equal(goingDownAfter(c), at('2026-03-29T23:10:00Z'))
  assert.equal(statusAt(c, at('2026-03-29T21:45:00Z')), 'up')
  assert.equal(statusAt(c, at('2026-03-29T21:45:00Z'), true), 'started')
  assert.equal(statusAt(c, at('2026-03-29T23:09:59.999Z')), 'up')
  assert.equal(statusAt(c, at('2026-03-29T23:10:00Z')), 'down')
  assert.equal(deadlineReason(c), 'runtime')
  // next_ping stays the schedule's next expected time (no started term).
  assert.equal(graceStart(c, true), at('2026-03-29T21:00:00Z'))
})

test('the run-time limit counts real time across the autumn DST repeat', () => {
  // 25 October 2026: 03:00 CEST becomes 02:00 CET. A run started 01:00 CEST with 3 hours ends
  // 03:00 CET: three real hours, though the wall clock moved only two.
  const c = nightly({
    schedule: '0 1 * * *',
    last_ping: at('2026-10-23T23:20:00Z'),
    max_runtime: 3 * 3600,
    last_start: at('2026-10-24T23:00:00Z'),
  })
  assert.equal(goingDownAfter(c), at('2026-10-25T02:00:00Z'))
  assert.equal(statusAt(c, at('2026-10-25T01:59:59.999Z')), 'up')
  assert.equal(statusAt(c, at('2026-10-25T02:00:00Z')), 'down')
})

test('a new or paused check that started goes down when max_runtime passes, not grace', () => {
  for (const status of ['new', 'paused'] as const) {
    const c = nightly({
      status,
      last_ping: null,
      grace: 60,
      max_runtime: 600,
      last_start: at('2026-01-01T00:00:00Z'),
    })
    assert.equal(goingDownAfter(c), at('2026-01-01T00:10:00Z'))
    assert.equal(statusAt(c, at('2026-01-01T00:05:00Z')), status)
    assert.equal(statusAt(c, at('2026-01-01T00:10:00Z')), 'down')
  }
})

test('a down check has no deadline even with a pending start', () => {
  const c = nightly({ status: 'down', max_runtime: 600, last_start: at('2026-01-01T00:00:00Z') })
  assert.equal(goingDownAfter(c), null)
})

test('progress pings move the deadline again and again; one older than the start is ignored', () => {
  const start = at('2026-01-01T00:00:00Z')
  const base = nightly({ max_runtime: 3600, last_start: start })
  let deadline = goingDownAfter(base)
  assert.equal(deadline, start + HOUR)
  for (let i = 1; i <= 5; i++) {
    const progress = start + i * 50 * MINUTE
    const c = { ...base, last_progress: progress }
    assert.equal(goingDownAfter(c), progress + HOUR)
    assert.ok((goingDownAfter(c) as number) > (deadline as number))
    deadline = goingDownAfter(c)
    assert.equal(statusAt(c, progress + HOUR - 1), 'up')
    assert.equal(statusAt(c, progress + HOUR), 'down')
  }
  // A progress ping of an earlier run (before this start) does not extend this one.
  assert.equal(goingDownAfter({ ...base, last_progress: start - MINUTE }), start + HOUR)
})

test('min_runtime: exactly the minimum is fine, a millisecond less is too fast; unset never is', () => {
  assert.equal(isTooFast({ min_runtime: 300 }, 300_000), false)
  assert.equal(isTooFast({ min_runtime: 300 }, 299_999), true)
  assert.equal(isTooFast({ min_runtime: null }, 0), false)
  assert.equal(isTooFast({}, 0), false)
})

test('durations pair over 72 hours, or over max_runtime when that is longer', () => {
  assert.equal(pairingWindowMs({}), PAIRING_WINDOW_MS)
  assert.equal(pairingWindowMs({ max_runtime: 3600 }), 72 * HOUR)
  assert.equal(pairingWindowMs({ max_runtime: 5 * 86_400 }), 120 * HOUR)
})

test('each reason has words naming it', () => {
  assert.match(runTimeReasonText('runtime'), /^ran too long/)
  assert.match(runTimeReasonText('no_start'), /^did not start/)
  assert.match(runTimeReasonText('too_fast'), /^finished too fast/)
  assert.equal(runTimeReasonText('timeout'), '')
})
