// Learned duration bands: too little history, outliers, identical run times and the weekly
// pattern rule (src/insight/duration-baseline.ts).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  bandOf,
  hasWeeklyPattern,
  isUnusualDuration,
  learnBaseline,
  MIN_RUNS,
  type Run,
  weekdayOf,
} from '../../src/insight/duration-baseline.js'

const MIN = 60_000
const DAY = 86_400_000
/** Monday 2026-01-05 03:00 UTC. */
const MONDAY = Date.parse('2026-01-05T03:00:00Z')

/** One run a day from MONDAY; `minutes(i)` is the duration of day i. */
function daily(count: number, minutes: (i: number) => number): Run[] {
  return Array.from({ length: count }, (_, i) => ({
    start: MONDAY + i * DAY,
    durationMs: minutes(i) * MIN,
  }))
}

test('fewer than 20 runs give no baseline, so nothing is judged unusual', () => {
  const runs = daily(MIN_RUNS - 1, () => 4)
  assert.equal(learnBaseline(runs, 'UTC'), null)
  assert.equal(isUnusualDuration(null, { start: MONDAY, durationMs: 600 * MIN }, 'UTC'), false)
  assert.notEqual(
    learnBaseline(
      daily(MIN_RUNS, () => 4),
      'UTC',
    ),
    null,
  )
})

test('a band is median ± 3 robust spreads, and outliers barely move it', () => {
  const steady = daily(30, (i) => 4 + (i % 3) - 1) // 3, 4, 5 minutes
  const withOutliers = daily(30, (i) => (i % 10 === 0 ? 300 : 4 + (i % 3) - 1))
  const a = learnBaseline(steady, 'UTC')
  const b = learnBaseline(withOutliers, 'UTC')
  assert.ok(a && b)
  assert.equal(a.overall.median, 4 * MIN)
  assert.equal(b.overall.median, 4 * MIN)
  // MAD of {3,4,5}×10 is 1 min; spread 1.4826 min; band 4 ± 4.45 min.
  assert.equal(Math.round(a.overall.hi / 1000), Math.round((4 + 3 * 1.4826) * 60))
  assert.equal(a.overall.lo, 0)
  assert.ok(b.overall.hi < 10 * MIN, 'three 5-hour outliers leave the band under 10 min')
})

test('identical run times still leave a band of at least 5 % or 1 s a side', () => {
  const band = bandOf(Array(25).fill(10 * MIN))
  assert.equal(band.hi, 10 * MIN + 3 * 0.05 * 10 * MIN)
  assert.equal(band.lo, 10 * MIN - 3 * 0.05 * 10 * MIN)
  const tiny = bandOf(Array(25).fill(2_000))
  assert.equal(tiny.hi, 5_000)
  assert.equal(tiny.lo, 0)
})

const cases: Array<[string, Run, boolean]> = [
  ['inside the band', { start: MONDAY + 40 * DAY, durationMs: 6 * MIN }, false],
  ['just above the band', { start: MONDAY + 40 * DAY, durationMs: 9 * MIN }, true],
  ['far above', { start: MONDAY + 40 * DAY, durationMs: 41 * MIN }, true],
]
for (const [name, run, unusual] of cases) {
  test(`a run ${name} is ${unusual ? '' : 'not '}unusual`, () => {
    const b = learnBaseline(
      daily(30, (i) => 4 + (i % 3) - 1),
      'UTC',
    )
    assert.equal(isUnusualDuration(b, run, 'UTC'), unusual)
  })
}

test('a too-fast run is unusual when the band has a floor above zero', () => {
  const b = learnBaseline(
    daily(30, (i) => 60 + (i % 3) - 1),
    'UTC',
  )
  assert.ok(b)
  assert.equal(isUnusualDuration(b, { start: MONDAY, durationMs: 10 * MIN }, 'UTC'), true)
})

test('a job that runs long on Sundays shows a weekly pattern; bands are per weekday', () => {
  // Weekdays 4 ± 1 min, Sundays 60 ± 1 min, 5 weeks.
  const runs = daily(35, (i) => (weekdayOf(MONDAY + i * DAY, 'UTC') === 0 ? 60 : 4) + (i % 3) - 1)
  assert.equal(hasWeeklyPattern(runs, 'UTC'), true)
  const b = learnBaseline(runs, 'UTC')
  assert.ok(b?.weekly)
  const sunday = MONDAY + 6 * DAY + 35 * DAY
  const monday = MONDAY + 35 * DAY
  assert.equal(isUnusualDuration(b, { start: sunday, durationMs: 60 * MIN }, 'UTC'), false)
  assert.equal(isUnusualDuration(b, { start: monday, durationMs: 60 * MIN }, 'UTC'), true)
  assert.equal(isUnusualDuration(b, { start: sunday, durationMs: 4 * MIN }, 'UTC'), true)
})

test('without a weekly difference, or with too few runs per weekday, there is no weekly pattern', () => {
  assert.equal(
    hasWeeklyPattern(
      daily(35, (i) => 4 + (i % 3) - 1),
      'UTC',
    ),
    false,
  )
  // Sundays differ, but only two Sundays: one weekday with ≥ 3 runs is not enough to compare.
  const twoWeeks = daily(20, (i) => (weekdayOf(MONDAY + i * DAY, 'UTC') === 0 ? 60 : 4))
  assert.equal(hasWeeklyPattern(twoWeeks, 'UTC'), false)
  // 19 runs: never a pattern, whatever they look like.
  assert.equal(
    hasWeeklyPattern(
      daily(19, (i) => (i % 7 === 6 ? 60 : 4)),
      'UTC',
    ),
    false,
  )
})

test('weekdays are counted in the check zone: 23:30 UTC Saturday is Sunday in Riga', () => {
  const saturdayLate = Date.parse('2026-01-10T23:30:00Z')
  assert.equal(weekdayOf(saturdayLate, 'UTC'), 6)
  assert.equal(weekdayOf(saturdayLate, 'Europe/Riga'), 0)
})

test('a weekly baseline does not judge a weekday with fewer than 3 runs', () => {
  // Only Mondays (long) and Tuesdays (short) are learned; a Friday run has no band.
  const runs: Run[] = []
  for (let w = 0; w < 10; w++) {
    runs.push({ start: MONDAY + w * 7 * DAY, durationMs: 60 * MIN })
    runs.push({ start: MONDAY + (w * 7 + 1) * DAY, durationMs: 4 * MIN })
  }
  const b = learnBaseline(runs, 'UTC')
  assert.ok(b?.weekly)
  assert.equal(
    isUnusualDuration(b, { start: MONDAY + 4 * DAY, durationMs: 500 * MIN }, 'UTC'),
    false,
  )
})
