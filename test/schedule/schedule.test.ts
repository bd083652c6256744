// Tests for the Schedule surface: simple periods, previews, OnCalendar through it, the kind
// the API infers from a schedule string and Healthchecks' cron validation from 2000-01-01.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  guessKind,
  isValidCron,
  isValidSchedule,
  nextAfter,
  nextRuns,
  type Schedule,
  scheduleOf,
} from '../../src/schedule/index.js'

const T = Date.parse('2020-01-15T10:00:00Z')

test('a simple schedule expects the next ping one period after the last', () => {
  assert.equal(nextAfter({ kind: 'simple', timeout: 86_400 }, T), T + 86_400_000)
  assert.equal(nextAfter({ kind: 'simple', timeout: 60 }, T + 1), T + 60_001)
})

test('a simple schedule without a positive period has no next time', () => {
  assert.equal(nextAfter({ kind: 'simple', timeout: 0 }, T), null)
  assert.equal(nextAfter({ kind: 'simple', timeout: -60 }, T), null)
  assert.equal(nextAfter({ kind: 'simple', timeout: Number.NaN }, T), null)
})

test('nextRuns lists consecutive expected times', () => {
  assert.deepEqual(nextRuns({ kind: 'simple', timeout: 3600 }, T, 3), [
    T + 3_600_000,
    T + 7_200_000,
    T + 10_800_000,
  ])
  assert.deepEqual(
    nextRuns({ kind: 'cron', schedule: '0 0 * * *', tz: 'Europe/Riga' }, T, 2).map((ms) =>
      new Date(ms).toISOString(),
    ),
    ['2020-01-15T22:00:00.000Z', '2020-01-16T22:00:00.000Z'],
  )
  assert.deepEqual(nextRuns({ kind: 'simple', timeout: 3600 }, T, 0), [])
})

test('nextRuns stops early when the schedule runs out', () => {
  assert.deepEqual(nextRuns({ kind: 'cron', schedule: '0 0 31 2 *', tz: 'UTC' }, T, 5), [])
})

test('an OnCalendar schedule expects the next match in its zone', () => {
  const s: Schedule = { kind: 'oncalendar', schedule: '*-*-* 00:00', tz: 'Europe/Riga' }
  assert.equal(nextAfter(s, T), Date.parse('2020-01-15T22:00:00Z'))
  assert.deepEqual(
    nextRuns(s, T, 2).map((ms) => new Date(ms).toISOString()),
    ['2020-01-15T22:00:00.000Z', '2020-01-16T22:00:00.000Z'],
  )
})

test('nextRuns stops early when an OnCalendar schedule runs out', () => {
  const s: Schedule = { kind: 'oncalendar', schedule: '2020-01-16\n2020-01-17', tz: 'UTC' }
  assert.equal(nextRuns(s, T, 5).length, 2)
})

test('scheduleOf reads the schedule columns of a check row', () => {
  const row = { kind: 'simple', timeout: 3600, schedule: '* * * * *', tz: 'UTC' } as const
  assert.deepEqual(scheduleOf(row), { kind: 'simple', timeout: 3600 })
  assert.deepEqual(
    scheduleOf({ ...row, kind: 'cron', schedule: '0 9 * * 1-5', tz: 'Europe/Riga' }),
    {
      kind: 'cron',
      schedule: '0 9 * * 1-5',
      tz: 'Europe/Riga',
    },
  )
  assert.deepEqual(scheduleOf({ ...row, kind: 'oncalendar', schedule: 'daily' }), {
    kind: 'oncalendar',
    schedule: 'daily',
    tz: 'UTC',
  })
})

const validity: Array<[Schedule, boolean]> = [
  [{ kind: 'simple', timeout: 60 }, true],
  [{ kind: 'simple', timeout: 0 }, false],
  [{ kind: 'cron', schedule: '0 9 * * 1-5', tz: 'Europe/Riga' }, true],
  [{ kind: 'cron', schedule: '0 9 * * 1-5', tz: 'europe/riga' }, false],
  [{ kind: 'cron', schedule: '0 9 * * 1-5', tz: 'Mars/Olympus' }, false],
  [{ kind: 'cron', schedule: '0 9 * * 1-5 *', tz: 'UTC' }, false],
  [{ kind: 'oncalendar', schedule: 'Mon..Fri 09:00', tz: 'Europe/Riga' }, true],
  [{ kind: 'oncalendar', schedule: 'Mon..Fri 09:00', tz: 'europe/riga' }, false],
  [{ kind: 'oncalendar', schedule: '0 9 * * 1-5 *', tz: 'UTC' }, false],
  [{ kind: 'oncalendar', schedule: '2000-01-01', tz: 'UTC' }, false],
]
for (const [s, valid] of validity) {
  test(`isValidSchedule(${JSON.stringify(s)}) is ${valid}`, () => {
    assert.equal(isValidSchedule(s), valid)
  })
}

const cronValidity: Array<[string, boolean]> = [
  ['* * * * *', true],
  ['0 0 * * *', true],
  ['  0 0 * * *  ', true],
  ['0\t0 * *\n*', true],
  ['*/5 1-5 L JAN-DEC MON-FRI', true],
  ['0 0 LW * *', true],
  ['0 0 * * 5L', true],
  ['0 0 * * MON#5', true],
  ['0 0 29 2 *', true],
  ['0 0 */28 2 MON#5', true],
  ['', false],
  ['garbage', false],
  ['* * * *', false],
  ['* * * * * *', false],
  ['0 0 * * * 2024', false],
  ['@daily', false],
  ['0 0 ? * *', false],
  ['0 0 31 2 *', false],
  ['0 0 30 2 *', false],
  ['1 1 */100 * MON#4', false],
]
for (const [expr, valid] of cronValidity) {
  test(`isValidCron(${JSON.stringify(expr)}) is ${valid}`, () => {
    assert.equal(isValidCron(expr), valid)
  })
}

const kinds: Array<[string, 'cron' | 'oncalendar']> = [
  ['* * * * *', 'cron'],
  ['0 9 * * MON-FRI', 'cron'],
  ['  0 9 * * *\n', 'cron'],
  ['0 9 * * *\r\n', 'cron'],
  ['0 0 * * * *', 'oncalendar'],
  ['* * * *', 'oncalendar'],
  ['0 9\n* * *', 'oncalendar'],
  ['daily', 'oncalendar'],
  ['Mon..Fri *-*-* 09:00', 'oncalendar'],
  ['*-*-* 09:00\n*-*-* 17:00', 'oncalendar'],
  ['', 'oncalendar'],
]
for (const [schedule, kind] of kinds) {
  test(`guessKind(${JSON.stringify(schedule)}) is ${kind}`, () => {
    assert.equal(guessKind(schedule), kind)
  })
}
