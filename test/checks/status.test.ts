// Tests for the check status rules, after Healthchecks' hc/api/tests/test_check_model.py and
// test_check_going_down_after.py: edges of the grace period, expired starts, cron time zones
// and DST, and schedules that never fire again.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  type DisplayStatus,
  goingDownAfter,
  graceStart,
  type StatusInput,
  statusAt,
} from '../../src/checks/status.js'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const NOW = Date.parse('2020-01-15T12:00:00Z')
const at = (iso: string) => Date.parse(iso)

/** A check with Healthchecks' defaults (period 1 day, grace 1 hour), then the overrides. */
function check(overrides: Partial<StatusInput> = {}): StatusInput {
  return {
    kind: 'simple',
    timeout: 86_400,
    grace: 3_600,
    schedule: '* * * * *',
    tz: 'UTC',
    status: 'new',
    last_ping: null,
    last_start: null,
    ...overrides,
  }
}

function statuses(c: StatusInput, table: Array<[string, DisplayStatus]>): void {
  for (const [when, expected] of table) {
    assert.equal(statusAt(c, at(when)), expected, `at ${when}`)
  }
}

test('a new check is new and has no deadline', () => {
  const c = check()
  assert.equal(statusAt(c, NOW), 'new')
  assert.equal(graceStart(c, true), null)
  assert.equal(goingDownAfter(c), null)
})

test('an up check is up until the period ends, in grace from then, down when grace ends', () => {
  const c = check({ status: 'up', last_ping: at('2000-01-01T00:00:00Z') })
  statuses(c, [
    ['2000-01-01T23:59:59.999Z', 'up'],
    ['2000-01-02T00:00:00.000Z', 'grace'],
    ['2000-01-02T00:59:59.999Z', 'grace'],
    ['2000-01-02T01:00:00.000Z', 'down'],
  ])
})

test('status works with grace period (last ping a day and 30 minutes ago)', () => {
  assert.equal(statusAt(check({ status: 'up', last_ping: NOW - DAY - 30 * MINUTE }), NOW), 'grace')
})

test('status handles past grace', () => {
  assert.equal(statusAt(check({ status: 'up', last_ping: NOW - 2 * DAY }), NOW), 'down')
})

test('status works with cron syntax: up at 23:59, grace at 00:00, down at 01:00', () => {
  const c = check({
    status: 'up',
    kind: 'cron',
    schedule: '0 0 * * *',
    last_ping: at('2000-01-01T00:00:00Z'),
  })
  statuses(c, [
    ['2000-01-01T23:59:00Z', 'up'],
    ['2000-01-02T00:00:00Z', 'grace'],
    ['2000-01-02T01:00:00Z', 'down'],
  ])
})

test('status works with a time zone: 10am in Brisbane is midnight UTC', () => {
  const c = check({
    status: 'up',
    kind: 'cron',
    schedule: '0 10 * * *',
    tz: 'Australia/Brisbane',
    last_ping: at('2000-01-01T00:00:00Z'),
  })
  statuses(c, [
    ['2000-01-01T23:59:00Z', 'up'],
    ['2000-01-02T00:00:00Z', 'grace'],
    ['2000-01-02T01:00:00Z', 'down'],
  ])
})

test('status handles the autumn DST transition (Healthchecks test_get_status_handles_autumn_dst_transition)', () => {
  // Riga leaves DST at 2023-10-29 04:00+03:00. The last ping is 03:55+03:00; the next ":15"
  // is 03:15+02:00, which is 01:15 UTC, so at 01:05 UTC the check is still up.
  const c = check({
    status: 'up',
    kind: 'cron',
    schedule: '15 * * * *',
    grace: 5 * 60,
    tz: 'Europe/Riga',
    last_ping: at('2023-10-29T00:55:00Z'),
  })
  assert.equal(graceStart(c, false), at('2023-10-29T01:15:00Z'))
  assert.equal(goingDownAfter(c), at('2023-10-29T01:20:00Z'))
  statuses(c, [
    ['2023-10-29T01:05:00Z', 'up'],
    ['2023-10-29T01:15:00Z', 'grace'],
    ['2023-10-29T01:20:00Z', 'down'],
  ])
})

test('grace is added in real time, not on the wall clock, across the autumn change', () => {
  // 03:30+03:00 is the grace start; an hour of grace later the clock shows 03:30 again
  // (+02:00). Adding the hour to the local time would give 04:30+02:00, an hour late.
  const c = check({
    status: 'up',
    kind: 'cron',
    schedule: '30 3 * * *',
    tz: 'Europe/Riga',
    last_ping: at('2023-10-28T03:30:00+03:00'),
  })
  assert.equal(graceStart(c, false), at('2023-10-29T03:30:00+03:00'))
  assert.equal(goingDownAfter(c), at('2023-10-29T03:30:00+02:00'))
  assert.equal(statusAt(c, at('2023-10-29T03:29:59+02:00')), 'grace')
  assert.equal(statusAt(c, at('2023-10-29T03:30:00+02:00')), 'down')
})

test('a cron expression with no future match leaves the check up, without a deadline', () => {
  const c = check({
    status: 'up',
    kind: 'cron',
    schedule: '1 1 */100 * MON#4',
    last_ping: NOW - DAY,
  })
  assert.equal(graceStart(c, true), null)
  assert.equal(goingDownAfter(c), null)
  assert.equal(statusAt(c, NOW + 365 * DAY), 'up')
})

test('a cron check that never fires again still goes down when a start expires', () => {
  const c = check({
    status: 'up',
    kind: 'cron',
    schedule: '1 1 */100 * MON#4',
    last_ping: NOW - DAY,
    last_start: NOW,
  })
  assert.equal(goingDownAfter(c), NOW + HOUR)
  assert.equal(statusAt(c, NOW + HOUR), 'down')
})

test('an OnCalendar check goes down a grace after its next calendar event', () => {
  const c = check({
    status: 'up',
    kind: 'oncalendar',
    schedule: '00:00',
    tz: 'UTC',
    last_ping: NOW - 10 * DAY,
  })
  const next = Math.floor((NOW - 10 * DAY) / DAY) * DAY + DAY
  assert.equal(goingDownAfter(c), next + c.grace * 1000)
  assert.equal(statusAt(c, NOW), 'down')
})

test('an OnCalendar check whose calendar has no future event stays up', () => {
  const c = check({
    status: 'up',
    kind: 'oncalendar',
    schedule: '2001-01-01',
    tz: 'UTC',
    last_ping: NOW - 10 * DAY,
  })
  assert.equal(statusAt(c, NOW), 'up')
  assert.equal(goingDownAfter(c), null)
})

test('an up row without a last ping has no schedule deadline', () => {
  const c = check({ status: 'up', last_ping: null })
  assert.equal(statusAt(c, NOW), 'up')
  assert.equal(goingDownAfter(c), null)
})

test('status handles a paused check', () => {
  assert.equal(
    statusAt(check({ status: 'paused', last_ping: NOW - DAY - 30 * MINUTE }), NOW),
    'paused',
  )
})

test('status obeys the down status', () => {
  assert.equal(statusAt(check({ status: 'down', last_ping: NOW - MINUTE }), NOW), 'down')
})

test('status handles down, then started and expired', () => {
  const c = check({ status: 'down', last_ping: NOW - 2 * DAY, last_start: NOW - 2 * HOUR })
  assert.equal(statusAt(c, NOW), 'down')
})

test('status handles up, then started: still up, started when asked with started', () => {
  const c = check({ status: 'up', last_ping: NOW - 2 * HOUR, last_start: NOW - 5 * MINUTE })
  assert.equal(statusAt(c, NOW), 'up')
  assert.equal(statusAt(c, NOW, true), 'started')
})

test('status handles up, then started and expired', () => {
  const c = check({ status: 'up', last_ping: NOW - 3 * HOUR, last_start: NOW - 2 * HOUR })
  assert.equal(statusAt(c, NOW), 'down')
  assert.equal(statusAt(c, NOW, true), 'down')
})

test('status handles paused, then started and expired', () => {
  assert.equal(statusAt(check({ status: 'paused', last_start: NOW - 2 * HOUR }), NOW), 'down')
})

test('status handles a new check that started and went missing', () => {
  assert.equal(statusAt(check({ last_start: NOW - 2 * HOUR }), NOW), 'down')
})

test('a start expires exactly grace after it (inclusive)', () => {
  const c = check({ status: 'paused', last_start: NOW })
  assert.equal(statusAt(c, NOW + HOUR - 1), 'paused')
  assert.equal(statusAt(c, NOW + HOUR - 1, true), 'started')
  assert.equal(statusAt(c, NOW + HOUR), 'down')
  assert.equal(statusAt(c, NOW + HOUR, true), 'down')
})

test('a new check with a pending start shows new, or started when asked', () => {
  const c = check({ last_start: NOW - 5 * MINUTE })
  assert.equal(statusAt(c, NOW), 'new')
  assert.equal(statusAt(c, NOW, true), 'started')
})

test('a start at the epoch counts as a start', () => {
  assert.equal(statusAt(check({ last_start: 0 }), NOW), 'down')
  assert.equal(goingDownAfter(check({ last_start: 0 })), HOUR)
})

// Healthchecks' test_check_going_down_after.py, plus the min() of schedule and start.
const deadlines: Array<[string, Partial<StatusInput>, number | null]> = [
  ['a new check', {}, null],
  ['a paused check', { status: 'paused', last_ping: NOW - 2 * DAY }, null],
  [
    'an up check: last ping + period + grace',
    { status: 'up', last_ping: NOW - HOUR },
    NOW - HOUR + DAY + HOUR,
  ],
  [
    'a paused, then started check: start + grace',
    { status: 'paused', last_start: NOW - 2 * DAY },
    NOW - 2 * DAY + HOUR,
  ],
  ['a new, then started check: start + grace', { last_start: NOW }, NOW + HOUR],
  ['a down check', { status: 'down', last_ping: NOW - HOUR }, null],
  ['a down, then started check', { status: 'down', last_start: NOW - 10 * MINUTE }, null],
  [
    'an up check whose start is earlier than the period end: start + grace',
    { status: 'up', last_ping: NOW - HOUR, last_start: NOW },
    NOW + HOUR,
  ],
  [
    'an up check whose period ends before the start expires: period end + grace',
    { status: 'up', last_ping: NOW - DAY - MINUTE, last_start: NOW },
    NOW - MINUTE + HOUR,
  ],
]
for (const [what, overrides, expected] of deadlines) {
  test(`goingDownAfter for ${what}`, () => {
    assert.equal(goingDownAfter(check(overrides)), expected)
  })
}

test('graceStart takes the pending start only when asked with started', () => {
  const c = check({ status: 'up', last_ping: NOW - HOUR, last_start: NOW })
  assert.equal(graceStart(c, false), NOW - HOUR + DAY)
  assert.equal(graceStart(c, true), NOW)
})

test('a cron check with a pending start goes down at the earlier of next run and start', () => {
  const c = check({
    status: 'up',
    kind: 'cron',
    schedule: '0 * * * *',
    grace: 600,
    last_ping: at('2020-01-15T12:00:00Z'),
    last_start: at('2020-01-15T12:30:00Z'),
  })
  assert.equal(graceStart(c, true), at('2020-01-15T12:30:00Z'))
  assert.equal(goingDownAfter(c), at('2020-01-15T12:40:00Z'))
  assert.equal(statusAt(c, at('2020-01-15T12:39:59Z')), 'up')
  assert.equal(statusAt(c, at('2020-01-15T12:40:00Z')), 'down')
})
