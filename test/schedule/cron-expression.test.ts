// Tests for the cronsim grammar: what parses, what each field expands to, the AND/OR rule and
// the fixed-time/real-time split. Cases follow cronsim's own tests/test_cronsim.py.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  parseCron,
  splitFields,
  stripWhitespace,
  toCronerPatterns,
} from '../../src/schedule/cron-expression.js'

function parsed(expr: string) {
  const fields = parseCron(expr)
  assert.ok(fields, `expected ${JSON.stringify(expr)} to parse`)
  return fields
}

const range = (start: number, end: number, step = 1) =>
  Array.from({ length: Math.floor((end - start) / step) + 1 }, (_, i) => start + i * step)

test('stars expand to every value, and both day fields starting with * means AND', () => {
  const f = parsed('* * * * *')
  assert.deepEqual(f.minutes, range(0, 59))
  assert.deepEqual(f.hours, range(0, 23))
  assert.deepEqual(f.days, range(1, 31))
  assert.deepEqual(f.months, range(1, 12))
  assert.deepEqual(f.weekdays, range(0, 6))
  assert.equal(f.dayAnd, true)
  assert.equal(f.realTime, true)
})

const expansions: Array<[string, keyof ReturnType<typeof parsed>, unknown]> = [
  ['1 * * * *', 'minutes', [1]],
  ['1,2,3 * * * *', 'minutes', [1, 2, 3]],
  ['1-3 * * * *', 'minutes', [1, 2, 3]],
  ['1-3,7-9 * * * *', 'minutes', [1, 2, 3, 7, 8, 9]],
  ['*/15 * * * *', 'minutes', [0, 15, 30, 45]],
  ['0-10/2 * * * *', 'minutes', [0, 2, 4, 6, 8, 10]],
  ['5/15 * * * *', 'minutes', [5, 20, 35, 50]],
  // cronsim reads a one-value range like a single start: up to the maximum.
  ['5-5/15 * * * *', 'minutes', [5, 20, 35, 50]],
  ['007 * * * *', 'minutes', [7]],
  ['* */6 * * *', 'hours', [0, 6, 12, 18]],
  ['* * */10 * *', 'days', [1, 11, 21, 31]],
  ['* * * JAN *', 'months', [1]],
  ['* * * jan-mar *', 'months', [1, 2, 3]],
  ['* * * JAN/3 *', 'months', [1, 4, 7, 10]],
  ['* * * * 1', 'weekdays', [1]],
  ['* * * * 0', 'weekdays', [0]],
  ['* * * * 7', 'weekdays', [0]],
  ['* * * * 0,7', 'weekdays', [0]],
  ['* * * * MON', 'weekdays', [1]],
  ['* * * * mon', 'weekdays', [1]],
  ['* * * * 0-2', 'weekdays', [0, 1, 2]],
  ['* * * * sun-tue', 'weekdays', [0, 1, 2]],
  ['* * * * SUN-SAT', 'weekdays', [0, 1, 2, 3, 4, 5, 6]],
  ['* * * * 5-7', 'weekdays', [0, 5, 6]],
  ['* * * * */2', 'weekdays', [0, 2, 4, 6]],
  ['* * * * */7', 'weekdays', [0]],
  // A single start steps up to 7, which is Sunday again: Mon, Wed, Fri, Sun.
  ['* * * * 1/2', 'weekdays', [0, 1, 3, 5]],
  ['* * * * 5L', 'lastWeekdaysOf', [5]],
  ['* * * * 7L', 'lastWeekdaysOf', [0]],
  ['* * * * 1#2', 'nthWeekdays', [{ weekday: 1, nth: 2 }]],
  ['* * * * MON#5', 'nthWeekdays', [{ weekday: 1, nth: 5 }]],
  ['* * * * 7#1', 'nthWeekdays', [{ weekday: 0, nth: 1 }]],
]
for (const [expr, field, expected] of expansions) {
  test(`${JSON.stringify(expr)} gives ${field} ${JSON.stringify(expected)}`, () => {
    assert.deepEqual(parsed(expr)[field], expected)
  })
}

test('a list can mix weekdays and nth weekdays', () => {
  const f = parsed('* * * * 1,2,3#1')
  assert.deepEqual(f.weekdays, [1, 2])
  assert.deepEqual(f.nthWeekdays, [{ weekday: 3, nth: 1 }])
})

test('L and LW in day-of-month set flags, also in lowercase, with a step and in a list', () => {
  assert.deepEqual([parsed('* * L * *').lastDay, parsed('* * L * *').days], [true, []])
  assert.equal(parsed('* * l * *').lastDay, true)
  assert.equal(parsed('* * L/2 * *').lastDay, true)
  assert.equal(parsed('* * LW * *').lastWeekday, true)
  assert.equal(parsed('* * lw * *').lastWeekday, true)
  assert.equal(parsed('* * LW/2 * *').lastWeekday, true)
  const f = parsed('* * LW,L,15 * *')
  assert.deepEqual([f.lastWeekday, f.lastDay, f.days], [true, true, [15]])
})

const dayLogic: Array<[string, boolean]> = [
  ['0 0 1 * MON', false],
  ['0 0 1-7 * 1-5', false],
  ['0 0 L * 5', false],
  ['0 0 * * MON', true],
  ['0 0 1 * *', true],
  ['0 0 */2 * MON', true],
  ['0 0 1-7 * */7', true],
  ['0 0 */100,1-7 * MON', true],
]
for (const [expr, and] of dayLogic) {
  test(`${JSON.stringify(expr)} combines day-of-month and day-of-week with ${and ? 'AND' : 'OR'}`, () => {
    assert.equal(parsed(expr).dayAnd, and)
  })
}

const timeKinds: Array<[string, boolean]> = [
  ['* * * * *', true],
  ['*/5 * * * *', true],
  ['0 * * * *', true],
  ['0 */2 * * *', true],
  ['* 3 * * *', true],
  ['*/30,7 1 * * *', true],
  ['30 2 * * *', false],
  ['0 1,2,3 * * *', false],
  ['0 1-5 * * *', false],
  ['0 1-23/2 * * *', false],
  ['5/15 3 * * *', false],
  ['0-59 0-23 * * *', false],
]
for (const [expr, realTime] of timeKinds) {
  test(`${JSON.stringify(expr)} is ${realTime ? 'a real-time' : 'a fixed-time'} job`, () => {
    assert.equal(parsed(expr).realTime, realTime)
  })
}

const invalid: string[] = [
  '',
  '   ',
  'foo',
  '* * * *',
  '* * * * * *',
  '0 0 * * * 2024',
  '@daily',
  '@reboot',
  // Out of range, per field.
  '60 * * * *',
  '-1 * * * *',
  '* 24 * * *',
  '* * 0 * *',
  '* * 32 * *',
  '* * * 0 *',
  '* * * 13 *',
  '* * * * 8',
  // Malformed numbers, ranges, steps and names.
  '1-60 * * * *',
  '5-1 * * * *',
  '1-2-3 * * * *',
  '1-1_0 * * * *',
  '¹ * * * *',
  '2/ * * * *',
  '/2 * * * *',
  '1//2 * * * *',
  '*/0 * * * *',
  '1,,2 * * * *',
  '** * * * *',
  'ABC * * * *',
  '* * * JANFEB *',
  '* * * * MON-SUN',
  '* * * JAN-MON *',
  '* * * * JAN',
  // Not cronsim syntax (croner or Quartz would accept some of these).
  '0 0 ? * *',
  '0 0 * * ?',
  '0 0 15W * *',
  '0 0 * * +MON',
  '0 0 * * 5#L',
  '0 0 * * FRI#L',
  // L, LW, # in the wrong places.
  'L * * * *',
  '* L * * *',
  '* * * L *',
  '* * * * L',
  '* * LL * *',
  '* * LWX * *',
  '* * 5L * *',
  '* * L-5 * *',
  '* * * * MONL',
  '* * * * L5',
  '* * * * 5L-6',
  '* * * * 5L#1',
  '* * * * 5L/3',
  '* * * * 8L',
  '* * * * 1#0',
  '* * * * 1#6',
  '* * * * 1##1',
  '* * * * #2',
  '* * * * 2#',
  '* * * * 1-3#2',
  '* * 1#2 * *',
  // A day of month that none of the selected months has.
  '0 0 30 2 *',
  '0 0 31 2 *',
  '0 0 30,31 2 *',
  '0 0 31 4 *',
  '0 0 31 4,6,9,11 *',
  '0 0 31 2 MON',
]
for (const expr of invalid) {
  test(`${JSON.stringify(expr)} does not parse`, () => {
    assert.equal(parseCron(expr), null)
  })
}

test('a day of month that exists in some selected month, or only in leap years, parses', () => {
  assert.ok(parseCron('0 0 29 2 *'))
  assert.ok(parseCron('0 0 29,31 2 *'))
  assert.ok(parseCron('0 0 31 2,3 *'))
  assert.ok(parseCron('0 0 L 2 *'))
})

test('fields are split on any run of whitespace as Python splits them', () => {
  assert.ok(parseCron(' 0\t0  *\n* *\r\n'))
  assert.ok(parseCron('0\u00a00 * * *'))
  assert.ok(parseCron('0\u00850 * * *'))
  assert.deepEqual(splitFields('\u001c0 0\u001f'), ['0', '0'])
  // Python does not count U+FEFF as whitespace (JavaScript's \s does).
  assert.deepEqual(splitFields('0\ufeff0'), ['0\ufeff0'])
  assert.equal(stripWhitespace(' \t0 0\n'), '0 0')
})

test('croner patterns keep fixed-time lists and mark real-time jobs with a stepped second', () => {
  assert.deepEqual(toCronerPatterns(parsed('30 2 * JAN MON')), [
    '0 30 2 ' + range(1, 31).join(',') + ' 1 1',
  ])
  const [realTime] = toCronerPatterns(parsed('*/30 * 1 * *'))
  assert.match(realTime, /^\*\/60 0,30 /)
})

test('LW in a list becomes a pattern of its own, because croner refuses it in a list', () => {
  assert.deepEqual(toCronerPatterns(parsed('0 0 LW,L,15 * FRI')), [
    '0 0 0 15,L 1,2,3,4,5,6,7,8,9,10,11,12 5',
    '0 0 0 LW 1,2,3,4,5,6,7,8,9,10,11,12 5',
  ])
  assert.deepEqual(toCronerPatterns(parsed('0 0 LW * *')).length, 1)
})

test('last and nth weekdays are written in croner syntax', () => {
  const [pattern] = toCronerPatterns(parsed('0 0 * * 1,5L,0#2'))
  assert.match(pattern, / 1,5#L,0#2$/)
})
