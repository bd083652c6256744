// Tests for the OnCalendar grammar: the field values oncalendar 1.1's own parse tests expect
// (tests/test_baseiterator.py), its rejections, and Healthchecks' OnCalendarValidator.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isValidOnCalendar } from '../../src/schedule/index.js'
import {
  type OnCalendarFields,
  parseOnCalendar,
  parseOnCalendarLine,
} from '../../src/schedule/oncalendar-expression.js'

function fieldsOf(line: string): OnCalendarFields {
  const parsed = parseOnCalendarLine(line)
  assert.ok(parsed, `${line} should parse`)
  return parsed.fields
}

const all = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

test('stars expand to every value and a missing time means 00:00:00', () => {
  assert.deepEqual(fieldsOf('*-*-* *:*:*'), {
    weekdays: all(0, 6),
    years: all(1970, 2199),
    months: all(1, 12),
    days: all(1, 31),
    daysFromEnd: [],
    hours: all(0, 23),
    minutes: all(0, 59),
    seconds: all(0, 59),
  })
  const dateOnly = fieldsOf('2023-11-30')
  assert.deepEqual([dateOnly.years, dateOnly.months, dateOnly.days], [[2023], [11], [30]])
  assert.deepEqual([dateOnly.hours, dateOnly.minutes, dateOnly.seconds], [[0], [0], [0]])
})

test('weekday names are case-insensitive, short or full, Monday = 0', () => {
  for (const name of ['Mon', 'MON', 'mon', 'Monday', 'MONDAY', 'monday']) {
    assert.deepEqual(fieldsOf(name).weekdays, [0])
  }
  assert.deepEqual(fieldsOf('Sun').weekdays, [6])
  assert.deepEqual(fieldsOf('Mon, 12:34').weekdays, [0])
  for (const spelling of ['Mon..Tue', 'Mon,Tue', 'Mon-Tue']) {
    assert.deepEqual(fieldsOf(spelling).weekdays, [0, 1])
  }
  assert.deepEqual(fieldsOf('Sat,Thu,Mon..Wed,Sat..Sun').weekdays, [0, 1, 2, 3, 5, 6])
  assert.deepEqual(fieldsOf('Mon..Wed,Fri').weekdays, [0, 1, 2, 4])
})

test('a date without a year means any year, and two-digit years pivot at 70', () => {
  const noYear = fieldsOf('11-30')
  assert.deepEqual([noYear.years.length, noYear.months, noYear.days], [230, [11], [30]])
  assert.deepEqual(fieldsOf('69-*-*').years, [2069])
  assert.deepEqual(fieldsOf('70-*-*').years, [1970])
  assert.deepEqual(fieldsOf('00-*-*').years, [2000])
})

test('a time without seconds means second 0', () => {
  const f = fieldsOf('11:22')
  assert.deepEqual([f.hours, f.minutes, f.seconds], [[11], [22], [0]])
  const g = fieldsOf('11:22:33')
  assert.deepEqual([g.hours, g.minutes, g.seconds], [[11], [22], [33]])
})

test('lists, ranges and repetitions expand like the library', () => {
  assert.deepEqual(fieldsOf('*:1,2,3').minutes, [1, 2, 3])
  assert.deepEqual(fieldsOf('*:1..3').minutes, [1, 2, 3])
  assert.deepEqual(fieldsOf('*:1..3,7..9:*').minutes, [1, 2, 3, 7, 8, 9])
  assert.deepEqual(fieldsOf('*:0/15').minutes, [0, 15, 30, 45])
  assert.deepEqual(fieldsOf('*:0..10/2').minutes, [0, 2, 4, 6, 8, 10])
  assert.deepEqual(fieldsOf('*:5/15').minutes, [5, 20, 35, 50])
  assert.deepEqual(
    fieldsOf('*:2/3').minutes,
    all(0, 19).map((i) => 2 + 3 * i),
  )
  assert.deepEqual(fieldsOf('12,14,13,12:20,10,30').hours, [12, 13, 14])
  assert.deepEqual(fieldsOf('9..17:00').hours, all(9, 17))
  assert.deepEqual(fieldsOf('*-1/2-1,3').months, [1, 3, 5, 7, 9, 11])
  assert.deepEqual(fieldsOf('*-*-1/7').days, [1, 8, 15, 22, 29])
  assert.deepEqual(fieldsOf('2026-01..03-15').months, [1, 2, 3])
  assert.deepEqual(fieldsOf('2020/3-1-1').years.slice(0, 3), [2020, 2023, 2026])
})

test('~ counts days from the end of the month', () => {
  assert.deepEqual(fieldsOf('*-*~1').daysFromEnd, [1])
  assert.deepEqual(fieldsOf('*~1').daysFromEnd, [1])
  assert.deepEqual(fieldsOf('*-02~03').daysFromEnd, [3])
  assert.deepEqual(fieldsOf('*-*~1,8').daysFromEnd, [1, 8])
  assert.deepEqual(fieldsOf('*-*~1..3').daysFromEnd, [1, 2, 3])
  assert.deepEqual(fieldsOf('*-*~1..2,4..5').daysFromEnd, [1, 2, 4, 5])
  assert.deepEqual(fieldsOf('*-*~1..5/2').daysFromEnd, [1, 3, 5])
  // A single start counts down to the last day; the library may keep a 0, which never matches.
  assert.deepEqual(fieldsOf('*-*~3/2').daysFromEnd, [1, 3])
  assert.deepEqual(fieldsOf('Mon *-05~07/1').daysFromEnd, [0, 1, 2, 3, 4, 5, 6, 7])
  assert.deepEqual(fieldsOf('*-*~1').days, [])
})

test('shorthands expand case-insensitively', () => {
  const cases: Array<[string, string]> = [
    ['minutely', '*-*-* *:*:00'],
    ['hourly', '*-*-* *:00:00'],
    ['daily', '*-*-* 00:00:00'],
    ['monthly', '*-*-01 00:00:00'],
    ['weekly', 'Mon *-*-* 00:00:00'],
    ['yearly', '*-01-01 00:00:00'],
    ['annually', '*-01-01 00:00:00'],
    ['quarterly', '*-01,04,07,10-01 00:00:00'],
    ['semiannually', '*-01,07-01 00:00:00'],
    ['MiNuTeLY', '*-*-* *:*:00'],
  ]
  for (const [shorthand, long] of cases) assert.deepEqual(fieldsOf(shorthand), fieldsOf(long))
})

test('a trailing IANA zone is split off; anything else is part of the expression', () => {
  assert.deepEqual(parseOnCalendarLine('12:34 Europe/Riga')?.tz, 'Europe/Riga')
  assert.deepEqual(parseOnCalendarLine('daily UTC')?.tz, 'UTC')
  assert.deepEqual(
    parseOnCalendarLine('Mon *-*-* 12:34   America/New_York ')?.tz,
    'America/New_York',
  )
  assert.equal(parseOnCalendarLine('12:34')?.tz, null)
  assert.equal(parseOnCalendarLine('12:34 Europe/Surprise'), null)
  assert.equal(parseOnCalendarLine('12:34 Europe/'), null)
  assert.equal(parseOnCalendarLine('12:34 europe/riga'), null)
  // TzIterator looks for a zone only when the line holds an ASCII space.
  assert.equal(parseOnCalendarLine('12:34\tUTC'), null)
  assert.equal(parseOnCalendarLine('UTC'), null)
})

test('a schedule parses line by line and fails when any line fails', () => {
  assert.equal(parseOnCalendar('daily\n12:00 Europe/Riga')?.length, 2)
  assert.equal(parseOnCalendar('  daily\r\n12:00\n')?.length, 2)
  assert.equal(parseOnCalendar('daily\ngarbage'), null)
  assert.equal(parseOnCalendar('daily\n\nhourly'), null)
})

// oncalendar's test_it_rejects_bad_values: every bad value in every position.
const patterns = [
  '%s *-*-* *:*:*',
  '%s-*-*',
  '*-%s-*',
  '*-*-%s',
  '*-*~%s',
  '%s:*:*',
  '*:%s:*',
  '*:*:%s',
]
const badValues = ['-1', '1000', 'ABC', '1-1', '1:1', 'Mon/1', '~1', '*/1', '*,1', '1..*']
test('the library rejects every bad value in every position', () => {
  for (const pattern of patterns) {
    for (const value of badValues) {
      const line = pattern.replace('%s', value)
      assert.equal(parseOnCalendarLine(line), null, line)
    }
  }
})

const validity: Array<[string, boolean]> = [
  // systemd.time(7)'s normalisation table (the ones that match after 2000-01-01).
  ['Sat,Thu,Mon..Wed,Sat..Sun', true],
  ['Mon,Sun 12-*-* 2,1:23', true],
  ['Wed *-1', true],
  ['Wed..Wed,Wed *-1', true],
  ['Wed, 17:48', true],
  ['*-*-7 0:0:0', true],
  ['10-15', true],
  ['monday *-12-* 17:00', true],
  ['Mon,Fri *-*-3,1,2 *:30:45', true],
  ['12,14,13,12:20,10,30', true],
  ['12..14:10,20,30', true],
  ['mon,fri *-1/2-1,3 *:30:45', true],
  ['03-05 08:05:40', true],
  ['08:05:40', true],
  ['05:40', true],
  ['Sat,Sun 12-05 08:05:40', true],
  ['Sat,Sun 08:05:40', true],
  ['2003-03-05 05:40', true],
  ['2003-02..04-05', true],
  ['2003-03-05 05:40 UTC', true],
  ['2003-03-05', true],
  ['03-05', true],
  ['hourly', true],
  ['monthly', true],
  ['weekly', true],
  ['yearly', true],
  ['annually', true],
  ['*:2/3', true],
  ['Mon *-05~07/1', true],
  ['*-*-1/7 00:00', true],
  // 2012-10-15 is a Monday: systemd accepts it, but it never elapses, so Healthchecks refuses it.
  ['Wed..Sat,Tue 12-10-15 1:2:3', false],
  // Fractional seconds are not supported by oncalendar.
  ['05:40:23.4200004/3.1700005', false],
  ['*:*:1.5', false],
  // Other forms.
  ['minutely', true],
  ['daily', true],
  ['DAILY', true],
  ['quarterly', true],
  ['semiannually', true],
  ['Mon..Fri', true],
  ['Mon-Fri 09:00', true],
  ['Mon,Fri,', true],
  ['*:0/15', true],
  ['9..17:00', true],
  ['08,12:30', true],
  ['*-*-01', true],
  ['*-02~03', true],
  ['*-*~1', true],
  ['*-02~28', true],
  ['*-02-29', true],
  ['*-*-31', true],
  ['2026-01..03-15', true],
  ['00-01-02', true],
  ['69-01-01', true],
  ['2199-12-31 23:59:59', true],
  ['12:34 Europe/Riga', true],
  ['Mon 2024-01-01 12:00 UTC', true],
  ['daily\n12:00 Europe/Riga', true],
  ['2000-01-01\n12:00', true],
  ['  daily  \n', true],
  // Never after 2000-01-01 00:00 UTC, or never at all.
  ['2000-01-01', false],
  ['1999-12-31', false],
  ['70-01-01', false],
  ['*-02-30', false],
  ['*-04-31', false],
  ['2199-02-29', false],
  ['Mon 2024-01-02', false],
  // Out of range.
  ['24:00', false],
  ['*:60', false],
  ['*:*:60', false],
  ['*-13-01', false],
  ['*-*-32', false],
  ['*-*-0', false],
  ['1969-01-01', false],
  ['2200-01-01', false],
  ['*-02~29', false],
  ['Fri..Mon', false],
  ['*-*-5..1', false],
  // Not OnCalendar.
  ['', false],
  ['   ', false],
  ['garbage', false],
  ['@daily', false],
  ['today', false],
  ['Mo', false],
  ['* *-*-*', false],
  ['*:*/15', false],
  ['*:0/0', false],
  ['*:1..1_0', false],
  ['12:00 Mars/Olympus', false],
  ['12:00\tUTC', false],
  ['daily\ngarbage', false],
  ['daily\n\nhourly', false],
  // cron routed here because it does not have exactly 5 fields.
  ['0 0 * * * *', false],
  ['0 9 * * 1-5', false],
  ['* * * *', false],
  // More than 4 tokens on a line (Healthchecks' validator), even if the rest would parse.
  ['Mon *-*-* 12:00 UTC extra', false],
]
for (const [expr, valid] of validity) {
  test(`isValidOnCalendar(${JSON.stringify(expr)}) is ${valid}`, () => {
    assert.equal(isValidOnCalendar(expr), valid)
  })
}
