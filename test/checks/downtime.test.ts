import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  dayBoundaries,
  downtimesByBoundary,
  localMidnight,
  monthBoundaries,
  nextMonthStart,
  uptimePercent,
} from '../../src/checks/downtime.js'

const HOUR = 3_600_000
const iso = (ms: number) => new Date(ms).toISOString()
const at = (s: string) => Date.parse(s)

describe('downtime boundaries', () => {
  const cases: [string, number, number, number, string][] = [
    // [zone, y, m (0-based), d, expected instant of local midnight]
    ['UTC', 2026, 0, 1, '2026-01-01T00:00:00.000Z'],
    ['Europe/Berlin', 2026, 0, 1, '2025-12-31T23:00:00.000Z'],
    ['Europe/Berlin', 2026, 3, 1, '2026-03-31T22:00:00.000Z'],
    ['America/New_York', 2026, 2, 8, '2026-03-08T05:00:00.000Z'],
    ['America/New_York', 2026, 2, 9, '2026-03-09T04:00:00.000Z'],
    // Santiago skips midnight when DST starts: the day begins at 01:00 local (the first instant after).
    ['America/Santiago', 2026, 8, 6, '2026-09-06T04:00:00.000Z'],
    ['Asia/Kolkata', 2026, 0, 15, '2026-01-14T18:30:00.000Z'],
  ]
  for (const [tz, y, m, d, expected] of cases) {
    test(`local midnight of ${y}-${m + 1}-${d} in ${tz} is ${expected}`, () => {
      assert.equal(iso(localMidnight(y, m, d, tz)), expected)
    })
  }

  test('month boundaries are the local starts of this and the previous months, newest first', () => {
    const b = monthBoundaries(at('2026-01-15T12:00:00Z'), 'Europe/Berlin', 3)
    assert.deepEqual(b.map(iso), [
      '2025-12-31T23:00:00.000Z',
      '2025-11-30T23:00:00.000Z',
      '2025-10-31T23:00:00.000Z',
    ])
  })

  test('just after local midnight on the 1st, the current month is the new one', () => {
    const b = monthBoundaries(at('2025-12-31T23:30:00Z'), 'Europe/Berlin', 1)
    assert.equal(iso(b[0]), '2025-12-31T23:00:00.000Z')
    assert.equal(
      iso(monthBoundaries(at('2025-12-31T22:30:00Z'), 'Europe/Berlin', 1)[0]),
      '2025-11-30T23:00:00.000Z',
    )
  })

  test('day boundaries across the spring DST change are 23 hours apart', () => {
    const b = dayBoundaries(at('2026-03-30T12:00:00Z'), 'Europe/Berlin', 3)
    assert.deepEqual(b.map(iso), [
      '2026-03-29T22:00:00.000Z',
      '2026-03-28T23:00:00.000Z',
      '2026-03-27T23:00:00.000Z',
    ])
    assert.equal(b[0] - b[1], 23 * HOUR)
  })

  test('the month after March in Berlin starts an hour earlier in UTC (DST)', () => {
    assert.equal(
      iso(nextMonthStart(at('2026-02-28T23:00:00Z'), 'Europe/Berlin')),
      '2026-03-31T22:00:00.000Z',
    )
  })
})

describe('downtimesByBoundary', () => {
  const now = at('2026-03-15T12:00:00Z')
  const boundaries = [
    at('2026-03-01T00:00:00Z'),
    at('2026-02-01T00:00:00Z'),
    at('2026-01-01T00:00:00Z'),
  ]
  const base = { boundaries, created: at('2025-06-01T00:00:00Z'), now }

  test('no flips and up: no downtime anywhere', () => {
    const r = downtimesByBoundary({ ...base, flips: [], status: 'up' })
    assert.deepEqual(
      r.map((x) => [x.durationMs, x.count, x.noData]),
      [
        [0, 0, false],
        [0, 0, false],
        [0, 0, false],
      ],
    )
  })

  test('down now since a flip: the interval up to now counts in the current month', () => {
    const r = downtimesByBoundary({
      ...base,
      flips: [{ created: now - 2 * HOUR, old_status: 'up' }],
      status: 'down',
    })
    assert.equal(r[0].durationMs, 2 * HOUR)
    assert.equal(r[0].count, 1)
  })

  test('an outage within one month counts once in that month', () => {
    const flips = [
      { created: at('2026-02-10T10:00:00Z'), old_status: 'up' as const },
      { created: at('2026-02-10T13:00:00Z'), old_status: 'down' as const },
    ]
    const r = downtimesByBoundary({ ...base, flips, status: 'up' })
    assert.deepEqual(
      r.map((x) => [x.durationMs / HOUR, x.count]),
      [
        [0, 0],
        [3, 1],
        [0, 0],
      ],
    )
  })

  test('an outage across a month boundary is split between the months', () => {
    const flips = [
      { created: at('2026-02-28T22:00:00Z'), old_status: 'up' as const },
      { created: at('2026-03-01T03:00:00Z'), old_status: 'down' as const },
    ]
    const r = downtimesByBoundary({ ...base, flips, status: 'up' })
    assert.deepEqual(
      r.map((x) => [x.durationMs / HOUR, x.count]),
      [
        [3, 1],
        [2, 1],
        [0, 0],
      ],
    )
  })

  test('a check down since before the oldest boundary is down for all of each period', () => {
    const r = downtimesByBoundary({ ...base, flips: [], status: 'down' })
    assert.equal(r[0].durationMs, now - boundaries[0])
    assert.equal(r[1].durationMs, boundaries[0] - boundaries[1])
    assert.equal(r[2].durationMs, boundaries[1] - boundaries[2])
  })

  test('a down spell counts, the paused time after it does not', () => {
    const flips = [
      { created: at('2026-03-10T00:00:00Z'), old_status: 'up' as const },
      { created: at('2026-03-11T00:00:00Z'), old_status: 'down' as const },
    ]
    const r = downtimesByBoundary({ ...base, flips, status: 'paused' })
    assert.equal(r[0].durationMs, 24 * HOUR)
    assert.equal(r[0].count, 1)
  })

  test('periods that ended before the check was created have no data', () => {
    const r = downtimesByBoundary({
      ...base,
      created: at('2026-02-15T00:00:00Z'),
      flips: [],
      status: 'up',
    })
    assert.deepEqual(
      r.map((x) => x.noData),
      [false, false, true],
    )
  })

  test('uptime is the share of the whole period not spent down', () => {
    const feb = { boundary: at('2026-02-01T00:00:00Z'), durationMs: 28 * 24 * HOUR * 0.01 }
    assert.equal(uptimePercent(feb, at('2026-03-01T00:00:00Z')).toFixed(2), '99.00')
    assert.equal(uptimePercent({ boundary: 0, durationMs: 10 }, 0), 100)
  })
})
