// Tests for OnCalendar next occurrences: systemd.time(7)'s examples from fixed instants, the
// oncalendar 1.1 library's own iterator and DST tests, month ends, leap years, the year-2200 stop,
// several lines and per-line zones, DST gaps and repeats, and speed on never-matching lines.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { nextAfter, nextRuns } from '../../src/schedule/index.js'

/** The next `count` occurrences after `from` (ISO), as ISO strings in UTC. */
function runs(schedule: string, from: string, count = 1, tz = 'UTC'): string[] {
  return nextRuns({ kind: 'oncalendar', schedule, tz }, Date.parse(from), count).map((ms) =>
    new Date(ms).toISOString().replace('.000Z', 'Z'),
  )
}

function next(schedule: string, from: string | number, tz = 'UTC'): string | null {
  const after = typeof from === 'number' ? from : Date.parse(from)
  const ms = nextAfter({ kind: 'oncalendar', schedule, tz }, after)
  return ms === null ? null : new Date(ms).toISOString().replace('.000Z', 'Z')
}

// 2024-01-15 is a Monday.
const MONDAY_NOON = '2024-01-15T12:00:00Z'

const systemdExamples: Array<[string, string, string[]]> = [
  [
    'Sat,Thu,Mon..Wed,Sat..Sun',
    MONDAY_NOON,
    [
      '2024-01-16T00:00:00Z',
      '2024-01-17T00:00:00Z',
      '2024-01-18T00:00:00Z',
      '2024-01-20T00:00:00Z',
    ],
  ],
  [
    'Mon,Sun 12-*-* 2,1:23',
    '2012-01-01T00:00:00Z',
    ['2012-01-01T01:23:00Z', '2012-01-01T02:23:00Z', '2012-01-02T01:23:00Z'],
  ],
  ['Mon,Sun 12-*-* 2,1:23', MONDAY_NOON, []],
  ['Wed *-1', MONDAY_NOON, ['2024-05-01T00:00:00Z', '2025-01-01T00:00:00Z']],
  ['Wed..Wed,Wed *-1', MONDAY_NOON, ['2024-05-01T00:00:00Z', '2025-01-01T00:00:00Z']],
  ['Wed, 17:48', MONDAY_NOON, ['2024-01-17T17:48:00Z', '2024-01-24T17:48:00Z']],
  ['Wed..Sat,Tue 12-10-15 1:2:3', '2000-01-01T00:00:00Z', []],
  ['*-*-7 0:0:0', MONDAY_NOON, ['2024-02-07T00:00:00Z', '2024-03-07T00:00:00Z']],
  ['10-15', MONDAY_NOON, ['2024-10-15T00:00:00Z', '2025-10-15T00:00:00Z']],
  ['monday *-12-* 17:00', MONDAY_NOON, ['2024-12-02T17:00:00Z', '2024-12-09T17:00:00Z']],
  ['Mon,Fri *-*-3,1,2 *:30:45', MONDAY_NOON, ['2024-02-02T00:30:45Z', '2024-02-02T01:30:45Z']],
  [
    '12,14,13,12:20,10,30',
    MONDAY_NOON,
    [
      '2024-01-15T12:10:00Z',
      '2024-01-15T12:20:00Z',
      '2024-01-15T12:30:00Z',
      '2024-01-15T13:10:00Z',
    ],
  ],
  ['12..14:10,20,30', MONDAY_NOON, ['2024-01-15T12:10:00Z', '2024-01-15T12:20:00Z']],
  ['mon,fri *-1/2-1,3 *:30:45', MONDAY_NOON, ['2024-03-01T00:30:45Z', '2024-03-01T01:30:45Z']],
  ['03-05 08:05:40', MONDAY_NOON, ['2024-03-05T08:05:40Z', '2025-03-05T08:05:40Z']],
  ['08:05:40', MONDAY_NOON, ['2024-01-16T08:05:40Z', '2024-01-17T08:05:40Z']],
  ['05:40', MONDAY_NOON, ['2024-01-16T05:40:00Z']],
  // 5 December falls on a weekend in 2026 (Saturday) and 2027 (Sunday).
  ['Sat,Sun 12-05 08:05:40', MONDAY_NOON, ['2026-12-05T08:05:40Z', '2027-12-05T08:05:40Z']],
  ['Sat,Sun 08:05:40', MONDAY_NOON, ['2024-01-20T08:05:40Z', '2024-01-21T08:05:40Z']],
  ['2003-03-05 05:40', '2000-01-01T00:00:00Z', ['2003-03-05T05:40:00Z']],
  ['2003-03-05 05:40', MONDAY_NOON, []],
  [
    '2003-02..04-05',
    '2003-01-01T00:00:00Z',
    ['2003-02-05T00:00:00Z', '2003-03-05T00:00:00Z', '2003-04-05T00:00:00Z'],
  ],
  ['2003-03-05', '2000-01-01T00:00:00Z', ['2003-03-05T00:00:00Z']],
  ['03-05', MONDAY_NOON, ['2024-03-05T00:00:00Z']],
  ['minutely', MONDAY_NOON, ['2024-01-15T12:01:00Z', '2024-01-15T12:02:00Z']],
  ['hourly', MONDAY_NOON, ['2024-01-15T13:00:00Z', '2024-01-15T14:00:00Z']],
  ['daily', MONDAY_NOON, ['2024-01-16T00:00:00Z']],
  ['monthly', MONDAY_NOON, ['2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z']],
  ['weekly', MONDAY_NOON, ['2024-01-22T00:00:00Z', '2024-01-29T00:00:00Z']],
  ['yearly', MONDAY_NOON, ['2025-01-01T00:00:00Z']],
  ['annually', MONDAY_NOON, ['2025-01-01T00:00:00Z']],
  ['quarterly', MONDAY_NOON, ['2024-04-01T00:00:00Z', '2024-07-01T00:00:00Z']],
  ['semiannually', MONDAY_NOON, ['2024-07-01T00:00:00Z', '2025-01-01T00:00:00Z']],
  ['*:2/3', MONDAY_NOON, ['2024-01-15T12:02:00Z', '2024-01-15T12:05:00Z']],
  ['*:0/15', MONDAY_NOON, ['2024-01-15T12:15:00Z', '2024-01-15T12:30:00Z']],
  ['9..17:00', '2024-01-15T17:30:00Z', ['2024-01-16T09:00:00Z', '2024-01-16T10:00:00Z']],
  ['08,12:30', MONDAY_NOON, ['2024-01-15T12:30:00Z', '2024-01-16T08:30:00Z']],
  // The last Monday of May.
  ['Mon *-05~07/1', MONDAY_NOON, ['2024-05-27T00:00:00Z', '2025-05-26T00:00:00Z']],
  [
    '*-*-1/7 00:00',
    MONDAY_NOON,
    ['2024-01-22T00:00:00Z', '2024-01-29T00:00:00Z', '2024-02-01T00:00:00Z'],
  ],
  ['2026-01..03-15', MONDAY_NOON, ['2026-01-15T00:00:00Z', '2026-02-15T00:00:00Z']],
]
for (const [schedule, from, expected] of systemdExamples) {
  test(`${JSON.stringify(schedule)} after ${from} runs at ${expected.join(', ') || 'no time'}`, () => {
    assert.deepEqual(runs(schedule, from, Math.max(expected.length, 1)), expected)
  })
}

test('the library’s own iterator cases give the same times', () => {
  const start = '2020-01-01T00:00:00Z'
  assert.deepEqual(runs('*:*:0/5', start, 2), ['2020-01-01T00:00:05Z', '2020-01-01T00:00:10Z'])
  assert.deepEqual(runs('*:*', start, 2), ['2020-01-01T00:01:00Z', '2020-01-01T00:02:00Z'])
  assert.deepEqual(runs('Mon 2-29', start, 2), ['2044-02-29T00:00:00Z', '2072-02-29T00:00:00Z'])
  assert.deepEqual(runs('*~1', start, 3), [
    '2020-01-31T00:00:00Z',
    '2020-02-29T00:00:00Z',
    '2020-03-31T00:00:00Z',
  ])
  assert.deepEqual(runs('Sun *~7/1', start, 3), [
    '2020-01-26T00:00:00Z',
    '2020-02-23T00:00:00Z',
    '2020-03-29T00:00:00Z',
  ])
  assert.deepEqual(runs('2019-01-01', start), [])
  assert.deepEqual(runs('00:00', '2020-01-01T01:00:00Z'), ['2020-01-02T00:00:00Z'])
})

test('the last day of the month follows month lengths and leap years', () => {
  assert.deepEqual(runs('*-*~1', '2023-01-31T00:00:00Z', 4), [
    '2023-02-28T00:00:00Z',
    '2023-03-31T00:00:00Z',
    '2023-04-30T00:00:00Z',
    '2023-05-31T00:00:00Z',
  ])
  assert.equal(next('*-*~1', '2024-02-01T00:00:00Z'), '2024-02-29T00:00:00Z')
  // The third-last day of February.
  assert.deepEqual(runs('*-02~03', '2023-01-01T00:00:00Z', 2), [
    '2023-02-26T00:00:00Z',
    '2024-02-27T00:00:00Z',
  ])
})

test('29 February waits for the next leap year, skipping 2100', () => {
  assert.deepEqual(runs('*-02-29', '2024-03-01T00:00:00Z', 2), [
    '2028-02-29T00:00:00Z',
    '2032-02-29T00:00:00Z',
  ])
  assert.equal(next('*-02-29', '2096-03-01T00:00:00Z'), '2104-02-29T00:00:00Z')
})

test('day 31 only matches months that have one', () => {
  assert.deepEqual(runs('*-*-31', '2024-01-31T00:00:00Z', 2), [
    '2024-03-31T00:00:00Z',
    '2024-05-31T00:00:00Z',
  ])
})

test('the search rolls over into the next year', () => {
  assert.equal(next('*-12-31 23:59:59', '2024-12-31T23:59:59Z'), '2025-12-31T23:59:59Z')
  assert.equal(next('*-01-01 00:00:00', '2024-12-31T23:59:59.999Z'), '2025-01-01T00:00:00Z')
  assert.equal(next('*:*:*', '2024-12-31T23:59:59Z'), '2025-01-01T00:00:00Z')
})

test('the next time is strictly after the given instant, to the second', () => {
  assert.equal(next('*:*:*', '2024-01-15T12:00:00Z'), '2024-01-15T12:00:01Z')
  assert.equal(next('*:*:*', '2024-01-15T12:00:00.999Z'), '2024-01-15T12:00:01Z')
  assert.equal(next('12:00:00', '2024-01-15T12:00:00Z'), '2024-01-16T12:00:00Z')
  assert.equal(next('12:00:00', '2024-01-15T11:59:59.999Z'), '2024-01-15T12:00:00Z')
  // Seconds count for OnCalendar, unlike cron.
  assert.equal(next('*:*:30', '2024-01-15T12:00:29Z'), '2024-01-15T12:00:30Z')
})

test('iteration stops at the year 2200', () => {
  assert.deepEqual(runs('2199-12-31 23:59:59', '2199-12-31T23:59:58Z', 2), ['2199-12-31T23:59:59Z'])
  assert.equal(next('daily', '2199-12-31T12:00:00Z'), null)
  assert.equal(next('daily', '2300-01-01T00:00:00Z'), null)
  // 2200 is local, not UTC: in Riga the year 2200 starts at 22:00 UTC.
  assert.equal(next('*:0/30', '2199-12-31T21:30:00Z', 'Europe/Riga'), null)
})

test('instants before 1970 find the first match in 1970', () => {
  assert.equal(next('daily', '1960-06-01T00:00:00Z'), '1970-01-01T00:00:00Z')
  assert.equal(next('daily', -1e15), '1970-01-01T00:00:00Z')
})

test('a schedule in the check’s zone is evaluated on its wall clock', () => {
  assert.deepEqual(runs('*:*', '2020-01-01T00:00:00+02:00', 2, 'Europe/Riga'), [
    '2019-12-31T22:01:00Z',
    '2019-12-31T22:02:00Z',
  ])
  assert.equal(next('Mon..Fri 09:00', MONDAY_NOON, 'America/New_York'), '2024-01-15T14:00:00Z')
})

test('a zone on the line overrides the check’s zone', () => {
  assert.deepEqual(runs('12:34 Europe/Riga', '2020-01-01T00:00:00Z', 2), [
    '2020-01-01T10:34:00Z',
    '2020-01-02T10:34:00Z',
  ])
  assert.deepEqual(runs('12:34 Europe/Riga', '2020-01-01T00:00:00Z', 1, 'Europe/Berlin'), [
    '2020-01-01T10:34:00Z',
  ])
  assert.equal(
    next('2003-03-05 05:40 UTC', '2000-01-01T00:00:00Z', 'Europe/Riga'),
    '2003-03-05T05:40:00Z',
  )
})

test('several lines give the earliest time across them', () => {
  assert.deepEqual(runs('2020-01-02\n12:34 Europe/Riga', '2020-01-01T00:00:00Z', 3), [
    '2020-01-01T10:34:00Z',
    '2020-01-02T00:00:00Z',
    '2020-01-02T10:34:00Z',
  ])
  assert.deepEqual(runs('12:00 America/New_York\n12:00 Europe/Riga', '2024-01-15T00:00:00Z', 3), [
    '2024-01-15T10:00:00Z',
    '2024-01-15T17:00:00Z',
    '2024-01-16T10:00:00Z',
  ])
  // A line that has run out does not stop the others.
  assert.equal(next('2003-03-05\n12:00', MONDAY_NOON), '2024-01-16T12:00:00Z')
  // Lines matching the same instant give it once.
  assert.deepEqual(runs('daily\n00:00', MONDAY_NOON, 2), [
    '2024-01-16T00:00:00Z',
    '2024-01-17T00:00:00Z',
  ])
})

test('an invalid schedule or zone has no next time', () => {
  assert.equal(next('garbage', MONDAY_NOON), null)
  assert.equal(next('daily\ngarbage', MONDAY_NOON), null)
  assert.equal(next('daily', MONDAY_NOON, 'Mars/Olympus'), null)
  assert.equal(next('daily', Number.NaN), null)
})

test('Riga: a time the clocks skip in spring is not an occurrence (library test)', () => {
  // 2020-03-29 03:00 EET jumps to 04:00 EEST, so 03:30 that day does not exist.
  assert.deepEqual(runs('*-*-29 3:30', '2020-01-01T00:00:00+02:00', 3, 'Europe/Riga'), [
    '2020-01-29T01:30:00Z',
    '2020-02-29T01:30:00Z',
    '2020-04-29T00:30:00Z',
  ])
})

test('Riga: a time the clocks repeat in autumn occurs once, the first time (library test)', () => {
  // 2020-10-25 04:00 EEST falls back to 03:00 EET, so 03:30 happens twice; only +03:00 counts.
  assert.deepEqual(runs('*-*-25 3:30', '2020-10-01T00:00:00+03:00', 3, 'Europe/Riga'), [
    '2020-10-25T00:30:00Z',
    '2020-11-25T01:30:00Z',
    '2020-12-25T01:30:00Z',
  ])
})

test('New York: a daily time in the spring gap skips that day', () => {
  // 2024-03-10 02:00 EST jumps to 03:00 EDT.
  assert.deepEqual(runs('2:30', '2024-03-09T12:00:00Z', 2, 'America/New_York'), [
    '2024-03-11T06:30:00Z',
    '2024-03-12T06:30:00Z',
  ])
  assert.deepEqual(runs('02:30 America/New_York', '2024-03-09T12:00:00Z', 1), [
    '2024-03-11T06:30:00Z',
  ])
})

test('New York: a frequent schedule resumes when the clocks do', () => {
  assert.deepEqual(runs('*:0/15', '2024-03-10T06:50:00Z', 2, 'America/New_York'), [
    '2024-03-10T07:00:00Z',
    '2024-03-10T07:15:00Z',
  ])
  assert.deepEqual(runs('*:*:*', '2024-03-10T06:59:58Z', 3, 'America/New_York'), [
    '2024-03-10T06:59:59Z',
    '2024-03-10T07:00:00Z',
    '2024-03-10T07:00:01Z',
  ])
})

test('New York: the repeated hour runs once, in its first pass', () => {
  // 2024-11-03 02:00 EDT falls back to 01:00 EST.
  assert.deepEqual(runs('1:30', '2024-11-02T12:00:00Z', 2, 'America/New_York'), [
    '2024-11-03T05:30:00Z',
    '2024-11-04T06:30:00Z',
  ])
  // From 01:50 EDT the next quarter hour on the wall clock is 02:00 EST, 70 minutes later.
  assert.deepEqual(runs('*:0/15', '2024-11-03T05:50:00Z', 2, 'America/New_York'), [
    '2024-11-03T07:00:00Z',
    '2024-11-03T07:15:00Z',
  ])
})

test('New York: from inside the second pass the next time is still in the future', () => {
  // oncalendar 1.1 would answer 01:30 EDT (05:30 UTC) here, before the instant it was given;
  // we keep going to 02:00 EST instead.
  assert.equal(next('*:0/15', '2024-11-03T06:20:00Z', 'America/New_York'), '2024-11-03T07:00:00Z')
  assert.equal(next('*:*:*', '2024-11-03T06:00:01Z', 'America/New_York'), '2024-11-03T07:00:00Z')
})

test('Berlin: spring gap and autumn repeat', () => {
  // 2024-03-31 02:00 CET jumps to 03:00 CEST; 2024-10-27 03:00 CEST falls back to 02:00 CET.
  assert.equal(next('02:30', '2024-03-30T12:00:00Z', 'Europe/Berlin'), '2024-04-01T00:30:00Z')
  assert.deepEqual(runs('02:30', '2024-10-26T12:00:00Z', 2, 'Europe/Berlin'), [
    '2024-10-27T00:30:00Z',
    '2024-10-28T01:30:00Z',
  ])
})

test('never-matching schedules give up quickly', () => {
  const started = performance.now()
  for (const schedule of ['*-02-30', '2000-01-01', 'Mon *-02-30 *:*:*', '*-04-31 *:*:*']) {
    assert.equal(next(schedule, MONDAY_NOON, 'Europe/Riga'), null)
    assert.equal(next(schedule, '2001-01-01T00:00:00Z', 'America/New_York'), null)
  }
  assert.ok(performance.now() - started < 500, 'eight searches to 2200 took too long')
})

/** An independent reading of a UTC wall time against parsed-by-hand sets, for brute force. */
function bruteForce(matches: (d: Date) => boolean, from: number): string {
  let t = Math.floor(from / 1000) * 1000 + 1000
  while (!matches(new Date(t))) t += 1000
  return new Date(t).toISOString().replace('.000Z', 'Z')
}

test('field-by-field search agrees with a second-by-second scan', () => {
  const cases: Array<[string, number, (d: Date) => boolean]> = [
    [
      '*:0/7:0/13',
      40,
      (d) => d.getUTCMinutes() % 7 === 0 && d.getUTCSeconds() % 13 === 0 && d.getUTCSeconds() < 60,
    ],
    [
      'Tue..Thu *-*-1..10,20 9..17:5,35:15',
      8,
      (d) =>
        [2, 3, 4].includes(d.getUTCDay()) &&
        (d.getUTCDate() <= 10 || d.getUTCDate() === 20) &&
        d.getUTCHours() >= 9 &&
        d.getUTCHours() <= 17 &&
        [5, 35].includes(d.getUTCMinutes()) &&
        d.getUTCSeconds() === 15,
    ],
  ]
  for (const [schedule, count, matches] of cases) {
    for (let i = 0; i < count; i++) {
      const from = Date.UTC(2024, 0, 1) + i * 9_876_543_217
      assert.equal(next(schedule, from), bruteForce(matches, from), `${schedule} after ${from}`)
    }
  }
})
