// Tests for cron "next run" times: every cronsim feature, the AND/OR rule, leap years, the
// 50-year search and DST gaps and repeats in both hemispheres and in a 30-minute DST zone.
// Expected times are cronsim's (its tests/test_cronsim.py for Europe/Riga), written as local
// ISO times with their UTC offset, as cronsim's isoformat() prints them.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isValidCron, nextAfter, nextRuns } from '../../src/schedule/index.js'

/** `ms` as local time in `tz` with its offset: 2021-03-28T04:00:00+03:00. */
function localIso(ms: number, tz: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(ms)
      .map((part) => [part.type, part.value]),
  )
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.slice(3)
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`
}

function runs(expr: string, tz: string, from: string, count: number): string[] {
  return nextRuns({ kind: 'cron', schedule: expr, tz }, Date.parse(from), count).map((ms) =>
    localIso(ms, tz),
  )
}

interface Case {
  what: string
  expr: string
  tz?: string
  from: string
  expected: string[]
}

function table(cases: Case[]): void {
  for (const c of cases) {
    const tz = c.tz ?? 'UTC'
    test(`${c.what}: ${JSON.stringify(c.expr)} in ${tz} after ${c.from}`, () => {
      assert.deepEqual(runs(c.expr, tz, c.from, c.expected.length), c.expected)
    })
  }
}

// 2020-01-01 is a Wednesday.
const NEW_YEAR_2020 = '2020-01-01T00:00:00Z'

table([
  {
    what: 'every minute',
    expr: '* * * * *',
    from: '2020-01-01T10:00:00Z',
    expected: ['2020-01-01T10:01:00+00:00', '2020-01-01T10:02:00+00:00'],
  },
  {
    what: 'lists, ranges and steps in one field',
    expr: '5,10-12,*/20 * * * *',
    from: NEW_YEAR_2020,
    expected: [
      '2020-01-01T00:05:00+00:00',
      '2020-01-01T00:10:00+00:00',
      '2020-01-01T00:11:00+00:00',
      '2020-01-01T00:12:00+00:00',
      '2020-01-01T00:20:00+00:00',
      '2020-01-01T00:40:00+00:00',
      '2020-01-01T01:00:00+00:00',
    ],
  },
  {
    what: 'a step from a start value',
    expr: '5/15 * * * *',
    from: NEW_YEAR_2020,
    expected: [
      '2020-01-01T00:05:00+00:00',
      '2020-01-01T00:20:00+00:00',
      '2020-01-01T00:35:00+00:00',
    ],
  },
  {
    what: 'month and weekday names',
    expr: '0 12 * FEB-MAR mon-fri',
    from: NEW_YEAR_2020,
    expected: ['2020-02-03T12:00:00+00:00', '2020-02-04T12:00:00+00:00'],
  },
  {
    what: 'weekday 0 is Sunday',
    expr: '0 0 * * 0',
    from: NEW_YEAR_2020,
    expected: ['2020-01-05T00:00:00+00:00', '2020-01-12T00:00:00+00:00'],
  },
  {
    what: 'weekday 7 is Sunday too',
    expr: '0 0 * * 7',
    from: NEW_YEAR_2020,
    expected: ['2020-01-05T00:00:00+00:00', '2020-01-12T00:00:00+00:00'],
  },
  {
    what: 'a weekday step from a start value wraps to Sunday (7)',
    expr: '0 0 * * 1/2',
    from: NEW_YEAR_2020,
    expected: [
      '2020-01-03T00:00:00+00:00',
      '2020-01-05T00:00:00+00:00',
      '2020-01-06T00:00:00+00:00',
      '2020-01-08T00:00:00+00:00',
    ],
  },
  {
    what: 'every third weekday counts from Sunday',
    expr: '1 1 * * */3',
    from: NEW_YEAR_2020,
    expected: [
      '2020-01-01T01:01:00+00:00',
      '2020-01-04T01:01:00+00:00',
      '2020-01-05T01:01:00+00:00',
      '2020-01-08T01:01:00+00:00',
    ],
  },
  {
    what: 'L is the last day of the month, February 29 in a leap year',
    expr: '1 1 L * *',
    from: NEW_YEAR_2020,
    expected: [
      '2020-01-31T01:01:00+00:00',
      '2020-02-29T01:01:00+00:00',
      '2020-03-31T01:01:00+00:00',
    ],
  },
  {
    what: 'L in February of a common year',
    expr: '0 0 L 2 *',
    from: '2021-01-01T00:00:00Z',
    expected: [
      '2021-02-28T00:00:00+00:00',
      '2022-02-28T00:00:00+00:00',
      '2023-02-28T00:00:00+00:00',
      '2024-02-29T00:00:00+00:00',
    ],
  },
  {
    what: 'LW is the last weekday of the month',
    expr: '1 1 LW 5 *',
    from: NEW_YEAR_2020,
    expected: ['2020-05-29T01:01:00+00:00', '2021-05-31T01:01:00+00:00'],
  },
  {
    what: 'LW in a list with other days',
    expr: '0 0 LW,15 * *',
    from: NEW_YEAR_2020,
    expected: [
      '2020-01-15T00:00:00+00:00',
      '2020-01-31T00:00:00+00:00',
      '2020-02-15T00:00:00+00:00',
      '2020-02-28T00:00:00+00:00',
    ],
  },
  {
    what: '5L is the last Friday of the month',
    expr: '1 1 * * 5L',
    from: NEW_YEAR_2020,
    expected: [
      '2020-01-31T01:01:00+00:00',
      '2020-02-28T01:01:00+00:00',
      '2020-03-27T01:01:00+00:00',
      '2020-04-24T01:01:00+00:00',
      '2020-05-29T01:01:00+00:00',
      '2020-06-26T01:01:00+00:00',
      '2020-07-31T01:01:00+00:00',
      '2020-08-28T01:01:00+00:00',
      '2020-09-25T01:01:00+00:00',
      '2020-10-30T01:01:00+00:00',
      '2020-11-27T01:01:00+00:00',
      '2020-12-25T01:01:00+00:00',
    ],
  },
  {
    what: '0L is the last Sunday',
    expr: '1 1 * * 0L',
    from: NEW_YEAR_2020,
    expected: ['2020-01-26T01:01:00+00:00'],
  },
  {
    what: '7L is the last Sunday as well',
    expr: '1 1 * * 7L',
    from: NEW_YEAR_2020,
    expected: ['2020-01-26T01:01:00+00:00'],
  },
  {
    what: '1#2 is the second Monday',
    expr: '1 1 * * 1#2',
    from: NEW_YEAR_2020,
    expected: ['2020-01-13T01:01:00+00:00', '2020-02-10T01:01:00+00:00'],
  },
  {
    what: 'MON#5 skips months with four Mondays',
    expr: '0 0 * * MON#5',
    from: NEW_YEAR_2020,
    expected: [
      '2020-03-30T00:00:00+00:00',
      '2020-06-29T00:00:00+00:00',
      '2020-08-31T00:00:00+00:00',
    ],
  },
  {
    what: 'weekdays, nth weekdays and last weekdays in one list',
    expr: '0 0 * * 2,3#1,5L',
    from: '2020-01-06T00:00:00Z',
    expected: [
      '2020-01-07T00:00:00+00:00',
      '2020-01-14T00:00:00+00:00',
      '2020-01-21T00:00:00+00:00',
      '2020-01-28T00:00:00+00:00',
      '2020-01-31T00:00:00+00:00',
      '2020-02-04T00:00:00+00:00',
      '2020-02-05T00:00:00+00:00',
    ],
  },
  {
    what: 'a plain weekday and an nth of the same weekday',
    expr: '0 0 1 * MON,MON#2',
    from: NEW_YEAR_2020,
    expected: ['2020-01-06T00:00:00+00:00', '2020-01-13T00:00:00+00:00'],
  },
])

// Day-of-month and day-of-week: OR unless either field starts with `*`, then AND.
table([
  {
    what: 'OR: the 1st of the month or any Monday',
    expr: '0 0 1 * MON',
    from: NEW_YEAR_2020,
    expected: [
      '2020-01-06T00:00:00+00:00',
      '2020-01-13T00:00:00+00:00',
      '2020-01-20T00:00:00+00:00',
      '2020-01-27T00:00:00+00:00',
      '2020-02-01T00:00:00+00:00',
      '2020-02-03T00:00:00+00:00',
    ],
  },
  {
    what: 'OR with L: the last day of the month or any Friday',
    expr: '0 0 L * 5',
    from: '2020-01-20T00:00:00Z',
    expected: [
      '2020-01-24T00:00:00+00:00',
      '2020-01-31T00:00:00+00:00',
      '2020-02-07T00:00:00+00:00',
    ],
  },
  {
    what: 'OR with a full day-of-month range: every day',
    expr: '0 0 1-31 * MON',
    from: NEW_YEAR_2020,
    expected: ['2020-01-02T00:00:00+00:00', '2020-01-03T00:00:00+00:00'],
  },
  {
    what: 'AND with a star day-of-month: Mondays only',
    expr: '0 0 * * MON',
    from: NEW_YEAR_2020,
    expected: ['2020-01-06T00:00:00+00:00', '2020-01-13T00:00:00+00:00'],
  },
  {
    what: 'AND with a star step day-of-month: odd days that are Mondays',
    expr: '0 0 */2 * MON',
    from: NEW_YEAR_2020,
    expected: [
      '2020-01-13T00:00:00+00:00',
      '2020-01-27T00:00:00+00:00',
      '2020-02-03T00:00:00+00:00',
      '2020-02-17T00:00:00+00:00',
    ],
  },
  {
    what: 'AND with a star step day-of-week: the first Sunday',
    expr: '1 1 1-7 * */7',
    from: NEW_YEAR_2020,
    expected: [
      '2020-01-05T01:01:00+00:00',
      '2020-02-02T01:01:00+00:00',
      '2020-03-01T01:01:00+00:00',
      '2020-04-05T01:01:00+00:00',
    ],
  },
  {
    what: 'AND when the star is only at the start of a list: the first Monday',
    expr: '1 1 */100,1-7 * MON',
    from: NEW_YEAR_2020,
    expected: [
      '2020-01-06T01:01:00+00:00',
      '2020-02-03T01:01:00+00:00',
      '2020-03-02T01:01:00+00:00',
      '2020-04-06T01:01:00+00:00',
    ],
  },
  {
    what: 'AND with a star month-day and 5L',
    expr: '0 0 * 2 5L',
    from: NEW_YEAR_2020,
    expected: ['2020-02-28T00:00:00+00:00', '2021-02-26T00:00:00+00:00'],
  },
])

// Leap days.
table([
  {
    what: 'February 29 from a common year waits for the leap year',
    expr: '0 0 29 2 *',
    from: '2021-03-01T00:00:00Z',
    expected: ['2024-02-29T00:00:00+00:00', '2028-02-29T00:00:00+00:00'],
  },
  {
    what: 'February 29 skips 2100, which is not a leap year',
    expr: '0 0 29 2 *',
    from: '2097-01-01T00:00:00Z',
    expected: ['2104-02-29T00:00:00+00:00'],
  },
  {
    what: 'February 29 that is a Monday (AND) comes every 28 years or so',
    expr: '0 0 */28 2 MON#5',
    from: '2016-03-01T00:00:00Z',
    expected: ['2044-02-29T00:00:00+00:00', '2072-02-29T00:00:00+00:00'],
  },
])

test('the next run is strictly after the start, whose seconds are dropped', () => {
  const every = { kind: 'cron', schedule: '* * * * *', tz: 'UTC' } as const
  const hourly = { kind: 'cron', schedule: '0 * * * *', tz: 'UTC' } as const
  const at = (iso: string) => Date.parse(iso)
  assert.equal(nextAfter(every, at('2020-01-01T10:00:00.000Z')), at('2020-01-01T10:01:00Z'))
  assert.equal(nextAfter(every, at('2020-01-01T10:00:00.001Z')), at('2020-01-01T10:01:00Z'))
  assert.equal(nextAfter(every, at('2020-01-01T10:00:59.999Z')), at('2020-01-01T10:01:00Z'))
  assert.equal(nextAfter(hourly, at('2020-01-01T10:00:00Z')), at('2020-01-01T11:00:00Z'))
  assert.equal(nextAfter(hourly, at('2020-01-01T09:59:59.999Z')), at('2020-01-01T10:00:00Z'))
})

test('asking twice gives the same answer (compiled jobs keep no state between calls)', () => {
  const s = { kind: 'cron', schedule: '30 2 * * *', tz: 'Europe/Riga' } as const
  const later = Date.parse('2021-06-01T00:00:00Z')
  const earlier = Date.parse('2021-01-01T00:00:00Z')
  const first = nextAfter(s, later)
  assert.equal(localIso(nextAfter(s, earlier)!, 'Europe/Riga'), '2021-01-01T02:30:00+02:00')
  assert.equal(nextAfter(s, later), first)
})

test('an expression that never matches has no next run and is not valid', () => {
  // The 1st of the month AND the fourth Monday: never. cronsim gives up after 50 years.
  assert.equal(nextAfter({ kind: 'cron', schedule: '1 1 */100 * MON#4', tz: 'UTC' }, 0), null)
  assert.equal(isValidCron('1 1 */100 * MON#4'), false)
  assert.deepEqual(runs('1 1 */100 * MON#4', 'Europe/Riga', NEW_YEAR_2020, 3), [])
})

test('an invalid expression or zone has no next run', () => {
  const after = Date.parse(NEW_YEAR_2020)
  assert.equal(nextAfter({ kind: 'cron', schedule: '0 0 31 2 *', tz: 'UTC' }, after), null)
  assert.equal(nextAfter({ kind: 'cron', schedule: '* * * * * *', tz: 'UTC' }, after), null)
  assert.equal(nextAfter({ kind: 'cron', schedule: '0 0 * * *', tz: 'Mars/Olympus' }, after), null)
  assert.equal(nextAfter({ kind: 'cron', schedule: '0 0 * * *', tz: 'UTC' }, Number.NaN), null)
})

test('a fixed-offset zone shifts the runs', () => {
  // Australia/Brisbane is UTC+10 all year (Healthchecks' test_status_works_with_timezone).
  assert.equal(
    nextAfter(
      { kind: 'cron', schedule: '0 10 * * *', tz: 'Australia/Brisbane' },
      Date.parse(NEW_YEAR_2020),
    ),
    Date.parse('2020-01-02T00:00:00Z'),
  )
})

// Europe/Riga, 2021. DST begins on March 28: 02:59+02:00 is followed by 04:00+03:00.
// DST ends on October 31: 03:59+03:00 is followed by 03:00+02:00.
// These are cronsim's own TestDstTransitions cases.
const RIGA = 'Europe/Riga'
table([
  {
    what: 'hourly, spring',
    expr: '0 * * * *',
    tz: RIGA,
    from: '2021-03-28T01:30:00+02:00',
    expected: ['2021-03-28T02:00:00+02:00', '2021-03-28T04:00:00+03:00'],
  },
  {
    what: 'hourly runs in both copies of the repeated hour',
    expr: '0 * * * *',
    tz: RIGA,
    from: '2021-10-31T01:30:00+03:00',
    expected: [
      '2021-10-31T02:00:00+03:00',
      '2021-10-31T03:00:00+03:00',
      '2021-10-31T03:00:00+02:00',
      '2021-10-31T04:00:00+02:00',
    ],
  },
  {
    what: 'every 30 minutes, spring',
    expr: '*/30 * * * *',
    tz: RIGA,
    from: '2021-03-28T02:10:00+02:00',
    expected: [
      '2021-03-28T02:30:00+02:00',
      '2021-03-28T04:00:00+03:00',
      '2021-03-28T04:30:00+03:00',
    ],
  },
  {
    what: 'every 30 minutes, autumn',
    expr: '*/30 * * * *',
    tz: RIGA,
    from: '2021-10-31T02:10:00+03:00',
    expected: [
      '2021-10-31T02:30:00+03:00',
      '2021-10-31T03:00:00+03:00',
      '2021-10-31T03:30:00+03:00',
      '2021-10-31T03:00:00+02:00',
      '2021-10-31T03:30:00+02:00',
      '2021-10-31T04:00:00+02:00',
    ],
  },
  {
    what: 'every 15 minutes, spring',
    expr: '*/15 * * * *',
    tz: RIGA,
    from: '2021-03-28T02:40:00+02:00',
    expected: ['2021-03-28T02:45:00+02:00', '2021-03-28T04:00:00+03:00'],
  },
  {
    what: 'every 15 minutes, autumn',
    expr: '*/15 * * * *',
    tz: RIGA,
    from: '2021-10-31T02:40:00+03:00',
    expected: [
      '2021-10-31T02:45:00+03:00',
      '2021-10-31T03:00:00+03:00',
      '2021-10-31T03:15:00+03:00',
      '2021-10-31T03:30:00+03:00',
      '2021-10-31T03:45:00+03:00',
      '2021-10-31T03:00:00+02:00',
      '2021-10-31T03:15:00+02:00',
      '2021-10-31T03:30:00+02:00',
      '2021-10-31T03:45:00+02:00',
      '2021-10-31T04:00:00+02:00',
    ],
  },
  {
    what: 'every 2 hours, spring',
    expr: '0 */2 * * *',
    tz: RIGA,
    from: '2021-03-28T01:30:00+02:00',
    expected: [
      '2021-03-28T02:00:00+02:00',
      '2021-03-28T04:00:00+03:00',
      '2021-03-28T06:00:00+03:00',
    ],
  },
  {
    what: 'every 2 hours, autumn',
    expr: '0 */2 * * *',
    tz: RIGA,
    from: '2021-10-31T01:30:00+03:00',
    expected: [
      '2021-10-31T02:00:00+03:00',
      '2021-10-31T04:00:00+02:00',
      '2021-10-31T06:00:00+02:00',
    ],
  },
  {
    what: '30 past every 2 hours, spring',
    expr: '30 */2 * * *',
    tz: RIGA,
    from: '2021-03-28T01:30:00+02:00',
    expected: ['2021-03-28T02:30:00+02:00', '2021-03-28T04:30:00+03:00'],
  },
  {
    what: '30 past every 2 hours, autumn',
    expr: '30 */2 * * *',
    tz: RIGA,
    from: '2021-10-31T01:30:00+03:00',
    expected: ['2021-10-31T02:30:00+03:00', '2021-10-31T04:30:00+02:00'],
  },
  {
    what: 'every 3 hours runs twice at 03:00 in autumn',
    expr: '0 */3 * * *',
    tz: RIGA,
    from: '2021-10-31T01:30:00+03:00',
    expected: [
      '2021-10-31T03:00:00+03:00',
      '2021-10-31T03:00:00+02:00',
      '2021-10-31T06:00:00+02:00',
    ],
  },
  {
    what: 'a list of hours, spring (03:00 runs at 04:00, once)',
    expr: '0 1,2,3,4,5 * * *',
    tz: RIGA,
    from: '2021-03-28T01:30:00+02:00',
    expected: [
      '2021-03-28T02:00:00+02:00',
      '2021-03-28T04:00:00+03:00',
      '2021-03-28T05:00:00+03:00',
    ],
  },
  {
    what: 'a list of hours, autumn (03:00 runs once)',
    expr: '0 1,2,3,4,5 * * *',
    tz: RIGA,
    from: '2021-10-31T01:30:00+03:00',
    expected: [
      '2021-10-31T02:00:00+03:00',
      '2021-10-31T03:00:00+03:00',
      '2021-10-31T04:00:00+02:00',
    ],
  },
  {
    what: '30 past a list of hours, spring',
    expr: '30 1,2,3,4,5 * * *',
    tz: RIGA,
    from: '2021-03-28T01:30:00+02:00',
    expected: [
      '2021-03-28T02:30:00+02:00',
      '2021-03-28T04:00:00+03:00',
      '2021-03-28T04:30:00+03:00',
    ],
  },
  {
    what: '30 past a list of hours, autumn',
    expr: '30 1,2,3,4,5 * * *',
    tz: RIGA,
    from: '2021-10-31T01:30:00+03:00',
    expected: [
      '2021-10-31T02:30:00+03:00',
      '2021-10-31T03:30:00+03:00',
      '2021-10-31T04:30:00+02:00',
    ],
  },
  {
    what: 'at 02:00, spring',
    expr: '0 2 * * *',
    tz: RIGA,
    from: '2021-03-28T01:30:00+02:00',
    expected: ['2021-03-28T02:00:00+02:00', '2021-03-29T02:00:00+03:00'],
  },
  {
    what: 'at 02:00, autumn',
    expr: '0 2 * * *',
    tz: RIGA,
    from: '2021-10-31T01:30:00+03:00',
    expected: ['2021-10-31T02:00:00+03:00', '2021-11-01T02:00:00+02:00'],
  },
  {
    what: 'at 03:00 in the gap runs right after the jump',
    expr: '0 3 * * *',
    tz: RIGA,
    from: '2021-03-27T01:30:00+02:00',
    expected: [
      '2021-03-27T03:00:00+02:00',
      '2021-03-28T04:00:00+03:00',
      '2021-03-29T03:00:00+03:00',
    ],
  },
  {
    what: 'at 03:00 in the repeated hour runs once',
    expr: '0 3 * * *',
    tz: RIGA,
    from: '2021-10-31T01:30:00+03:00',
    expected: ['2021-10-31T03:00:00+03:00', '2021-11-01T03:00:00+02:00'],
  },
  {
    what: 'at 04:00, spring',
    expr: '0 4 * * *',
    tz: RIGA,
    from: '2021-03-27T01:30:00+02:00',
    expected: [
      '2021-03-27T04:00:00+02:00',
      '2021-03-28T04:00:00+03:00',
      '2021-03-29T04:00:00+03:00',
    ],
  },
  {
    what: 'at 04:00, autumn',
    expr: '0 4 * * *',
    tz: RIGA,
    from: '2021-10-30T01:30:00+03:00',
    expected: [
      '2021-10-30T04:00:00+03:00',
      '2021-10-31T04:00:00+02:00',
      '2021-11-01T04:00:00+02:00',
    ],
  },
  {
    what: 'every hour enumerated is fixed-time, spring',
    expr: '0 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 * * *',
    tz: RIGA,
    from: '2021-03-28T01:30:00+02:00',
    expected: [
      '2021-03-28T02:00:00+02:00',
      '2021-03-28T04:00:00+03:00',
      '2021-03-28T05:00:00+03:00',
    ],
  },
  {
    what: 'every hour enumerated is fixed-time, autumn',
    expr: '0 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 * * *',
    tz: RIGA,
    from: '2021-10-31T01:30:00+03:00',
    expected: [
      '2021-10-31T02:00:00+03:00',
      '2021-10-31T03:00:00+03:00',
      '2021-10-31T04:00:00+02:00',
    ],
  },
  {
    what: 'odd hours enumerated, spring',
    expr: '0 1,3,5,7,9,11,13,15,17,19,21,23 * * *',
    tz: RIGA,
    from: '2021-03-28T00:30:00+02:00',
    expected: [
      '2021-03-28T01:00:00+02:00',
      '2021-03-28T04:00:00+03:00',
      '2021-03-28T05:00:00+03:00',
    ],
  },
  {
    what: 'odd hours enumerated, autumn',
    expr: '0 1,3,5,7,9,11,13,15,17,19,21,23 * * *',
    tz: RIGA,
    from: '2021-10-31T00:30:00+03:00',
    expected: [
      '2021-10-31T01:00:00+03:00',
      '2021-10-31T03:00:00+03:00',
      '2021-10-31T05:00:00+02:00',
    ],
  },
  // A step that does not start with `*` is fixed-time in cronsim (croner alone would skip it).
  {
    what: 'odd hours as a range step, spring',
    expr: '0 1-23/2 * * *',
    tz: RIGA,
    from: '2021-03-28T00:30:00+02:00',
    expected: [
      '2021-03-28T01:00:00+02:00',
      '2021-03-28T04:00:00+03:00',
      '2021-03-28T05:00:00+03:00',
    ],
  },
  {
    what: 'odd hours as a range step, autumn',
    expr: '0 1-23/2 * * *',
    tz: RIGA,
    from: '2021-10-31T00:30:00+03:00',
    expected: [
      '2021-10-31T01:00:00+03:00',
      '2021-10-31T03:00:00+03:00',
      '2021-10-31T05:00:00+02:00',
    ],
  },
  {
    what: 'odd hours as a start step, spring',
    expr: '0 1/2 * * *',
    tz: RIGA,
    from: '2021-03-28T00:30:00+02:00',
    expected: [
      '2021-03-28T01:00:00+02:00',
      '2021-03-28T04:00:00+03:00',
      '2021-03-28T05:00:00+03:00',
    ],
  },
  {
    what: 'a range of hours, spring',
    expr: '0 1-5 * * *',
    tz: RIGA,
    from: '2021-03-28T01:30:00+02:00',
    expected: [
      '2021-03-28T02:00:00+02:00',
      '2021-03-28T04:00:00+03:00',
      '2021-03-28T05:00:00+03:00',
    ],
  },
  {
    what: 'a range of hours, autumn',
    expr: '0 1-5 * * *',
    tz: RIGA,
    from: '2021-10-31T01:30:00+03:00',
    expected: [
      '2021-10-31T02:00:00+03:00',
      '2021-10-31T03:00:00+03:00',
      '2021-10-31T04:00:00+02:00',
    ],
  },
  {
    what: 'at 03:15 in the gap runs at 04:00, not 04:15',
    expr: '15 3 * * *',
    tz: RIGA,
    from: '2021-03-27T00:00:00+02:00',
    expected: [
      '2021-03-27T03:15:00+02:00',
      '2021-03-28T04:00:00+03:00',
      '2021-03-29T03:15:00+03:00',
    ],
  },
  {
    what: 'at 03:15 in the repeated hour runs once',
    expr: '15 3 * * *',
    tz: RIGA,
    from: '2021-10-30T00:00:00+03:00',
    expected: [
      '2021-10-30T03:15:00+03:00',
      '2021-10-31T03:15:00+03:00',
      '2021-11-01T03:15:00+02:00',
    ],
  },
  {
    what: 'two times in the gap run once, right after it',
    expr: '15,45 3 * * *',
    tz: RIGA,
    from: '2021-03-28T00:30:00+02:00',
    expected: ['2021-03-28T04:00:00+03:00', '2021-03-29T03:15:00+03:00'],
  },
  {
    what: 'every minute, spring',
    expr: '* * * * *',
    tz: RIGA,
    from: '2021-03-28T02:58:00+02:00',
    expected: ['2021-03-28T02:59:00+02:00', '2021-03-28T04:00:00+03:00'],
  },
  {
    what: 'every minute, autumn',
    expr: '* * * * *',
    tz: RIGA,
    from: '2021-10-31T03:58:00+03:00',
    expected: [
      '2021-10-31T03:59:00+03:00',
      '2021-10-31T03:00:00+02:00',
      '2021-10-31T03:01:00+02:00',
    ],
  },
  {
    what: 'every minute of some hours, spring',
    expr: '* 1-6 * * *',
    tz: RIGA,
    from: '2021-03-28T02:58:00+02:00',
    expected: ['2021-03-28T02:59:00+02:00', '2021-03-28T04:00:00+03:00'],
  },
  {
    what: 'every minute of some hours, autumn',
    expr: '* 1-6 * * *',
    tz: RIGA,
    from: '2021-10-31T03:58:00+03:00',
    expected: [
      '2021-10-31T03:59:00+03:00',
      '2021-10-31T03:00:00+02:00',
      '2021-10-31T03:01:00+02:00',
    ],
  },
  {
    what: 'every minute written as ranges is fixed-time: the repeated hour runs once',
    expr: '0-59 0-23 * * *',
    tz: RIGA,
    from: '2021-10-31T03:58:00+03:00',
    expected: ['2021-10-31T03:59:00+03:00', '2021-10-31T04:00:00+02:00'],
  },
  {
    what: 'a start in the first copy of the hour, after the run time, waits for tomorrow',
    expr: '30 3 * * *',
    tz: RIGA,
    from: '2021-10-31T03:40:00+03:00',
    expected: ['2021-11-01T03:30:00+02:00'],
  },
  {
    what: 'a start in the second copy of the hour goes to the next hour of the list',
    expr: '0 1,2,3,4,5 * * *',
    tz: RIGA,
    from: '2021-10-31T03:10:00+02:00',
    expected: ['2021-10-31T04:00:00+02:00'],
  },
])

test('a start in the second copy of the hour never gets a run before it (cronsim would)', () => {
  // cronsim works on the wall clock here: from 03:10 (second copy) it finds 03:30 and returns
  // the first copy, 03:30+03:00, which is 40 minutes before the start. We keep "strictly after"
  // and give tomorrow's run, which is also when Debian cron runs the job next.
  assert.deepEqual(runs('30 3 * * *', RIGA, '2021-10-31T03:10:00+02:00', 1), [
    '2021-11-01T03:30:00+02:00',
  ])
})

// Europe/Berlin, 2021: 02:00 CET → 03:00 CEST on March 28; 03:00 CEST → 02:00 CET on October 31.
table([
  {
    what: 'Berlin: 02:30 in the gap runs at 03:00',
    expr: '30 2 * * *',
    tz: 'Europe/Berlin',
    from: '2021-03-27T12:00:00+01:00',
    expected: ['2021-03-28T03:00:00+02:00', '2021-03-29T02:30:00+02:00'],
  },
  {
    what: 'Berlin: 02:30 in the repeated hour runs once',
    expr: '30 2 * * *',
    tz: 'Europe/Berlin',
    from: '2021-10-30T12:00:00+02:00',
    expected: ['2021-10-31T02:30:00+02:00', '2021-11-01T02:30:00+01:00'],
  },
  {
    what: 'Berlin: every 30 minutes runs in both copies',
    expr: '*/30 * * * *',
    tz: 'Europe/Berlin',
    from: '2021-10-31T02:10:00+02:00',
    expected: [
      '2021-10-31T02:30:00+02:00',
      '2021-10-31T02:00:00+01:00',
      '2021-10-31T02:30:00+01:00',
      '2021-10-31T03:00:00+01:00',
    ],
  },
])

// America/New_York, 2021: 02:00 EST → 03:00 EDT on March 14; 02:00 EDT → 01:00 EST on November 7.
const NEW_YORK = 'America/New_York'
table([
  {
    what: 'New York: 02:30 in the gap runs at 03:00',
    expr: '30 2 * * *',
    tz: NEW_YORK,
    from: '2021-03-13T12:00:00-05:00',
    expected: ['2021-03-14T03:00:00-04:00', '2021-03-15T02:30:00-04:00'],
  },
  {
    what: 'New York: every 30 minutes skips the gap',
    expr: '*/30 * * * *',
    tz: NEW_YORK,
    from: '2021-03-14T01:10:00-05:00',
    expected: [
      '2021-03-14T01:30:00-05:00',
      '2021-03-14T03:00:00-04:00',
      '2021-03-14T03:30:00-04:00',
    ],
  },
  {
    what: 'New York: 01:30 in the repeated hour runs once',
    expr: '30 1 * * *',
    tz: NEW_YORK,
    from: '2021-11-06T12:00:00-04:00',
    expected: ['2021-11-07T01:30:00-04:00', '2021-11-08T01:30:00-05:00'],
  },
  {
    what: 'New York: hourly at :30 runs in both copies',
    expr: '30 * * * *',
    tz: NEW_YORK,
    from: '2021-11-07T00:45:00-04:00',
    expected: [
      '2021-11-07T01:30:00-04:00',
      '2021-11-07T01:30:00-05:00',
      '2021-11-07T02:30:00-05:00',
    ],
  },
  {
    what: 'New York: 02:30 after the repeated hour is unaffected',
    expr: '30 2 * * *',
    tz: NEW_YORK,
    from: '2021-11-06T12:00:00-04:00',
    expected: ['2021-11-07T02:30:00-05:00'],
  },
])

// Australia/Sydney, 2021 (southern hemisphere): 03:00 AEDT → 02:00 AEST on April 4;
// 02:00 AEST → 03:00 AEDT on October 3.
const SYDNEY = 'Australia/Sydney'
table([
  {
    what: 'Sydney: 02:30 in the repeated hour (April) runs once',
    expr: '30 2 * * *',
    tz: SYDNEY,
    from: '2021-04-03T12:00:00+11:00',
    expected: ['2021-04-04T02:30:00+11:00', '2021-04-05T02:30:00+10:00'],
  },
  {
    what: 'Sydney: every 30 minutes runs in both copies (April)',
    expr: '0,30 * * * *',
    tz: SYDNEY,
    from: '2021-04-04T01:45:00+11:00',
    expected: [
      '2021-04-04T02:00:00+11:00',
      '2021-04-04T02:30:00+11:00',
      '2021-04-04T02:00:00+10:00',
      '2021-04-04T02:30:00+10:00',
      '2021-04-04T03:00:00+10:00',
    ],
  },
  {
    what: 'Sydney: 02:15 in the gap (October) runs at 03:00',
    expr: '15 2 * * *',
    tz: SYDNEY,
    from: '2021-10-02T12:00:00+10:00',
    expected: ['2021-10-03T03:00:00+11:00', '2021-10-04T02:15:00+11:00'],
  },
  {
    what: 'Sydney: hourly at :15 skips the gap (October)',
    expr: '15 * * * *',
    tz: SYDNEY,
    from: '2021-10-03T01:30:00+10:00',
    expected: ['2021-10-03T03:15:00+11:00', '2021-10-03T04:15:00+11:00'],
  },
])

// Australia/Lord_Howe moves its clocks by 30 minutes: 02:00 → 02:30 on October 3, 2021 and
// 02:00 → 01:30 on April 4, 2021.
const LORD_HOWE = 'Australia/Lord_Howe'
table([
  {
    what: 'Lord Howe: 02:15 in the half-hour gap runs at 02:30',
    expr: '15 2 * * *',
    tz: LORD_HOWE,
    from: '2021-10-02T12:00:00+10:30',
    expected: ['2021-10-03T02:30:00+11:00', '2021-10-04T02:15:00+11:00'],
  },
  {
    what: 'Lord Howe: 02:00 in the gap and 02:30 meet and run once',
    expr: '0,30 2 * * *',
    tz: LORD_HOWE,
    from: '2021-10-02T12:00:00+10:30',
    expected: ['2021-10-03T02:30:00+11:00', '2021-10-04T02:00:00+11:00'],
  },
  {
    what: 'Lord Howe: every 15 minutes skips the gap',
    expr: '*/15 * * * *',
    tz: LORD_HOWE,
    from: '2021-10-03T01:40:00+10:30',
    expected: [
      '2021-10-03T01:45:00+10:30',
      '2021-10-03T02:30:00+11:00',
      '2021-10-03T02:45:00+11:00',
    ],
  },
  {
    what: 'Lord Howe: 01:45 in the repeated half hour runs once',
    expr: '45 1 * * *',
    tz: LORD_HOWE,
    from: '2021-04-03T12:00:00+11:00',
    expected: ['2021-04-04T01:45:00+11:00', '2021-04-05T01:45:00+10:30'],
  },
  {
    what: 'Lord Howe: every 15 minutes of hour 1 runs in both copies of the half hour',
    expr: '*/15 1 * * *',
    tz: LORD_HOWE,
    from: '2021-04-04T01:10:00+11:00',
    expected: [
      '2021-04-04T01:15:00+11:00',
      '2021-04-04T01:30:00+11:00',
      '2021-04-04T01:45:00+11:00',
      '2021-04-04T01:30:00+10:30',
      '2021-04-04T01:45:00+10:30',
      '2021-04-05T01:00:00+10:30',
    ],
  },
])
