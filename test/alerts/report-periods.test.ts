import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { downtimesByBoundary } from '../../src/alerts/index.js'
import { downtimeCell, formatDowntime, renderNag } from '../../src/alerts/report-message.js'
import {
  chooseNextReportDate,
  periodBoundaries,
  periodLabel,
  wallToInstant,
  weekBoundaries,
} from '../../src/checks/report-periods.js'

const iso = (ms: number) => new Date(ms).toISOString()
const at = (s: string) => Date.parse(s)
const HOUR = 3_600_000

describe('chooseNextReportDate', () => {
  const cases: [string, Parameters<typeof chooseNextReportDate>, string][] = [
    [
      'monthly goes to the next 1st at 09:00',
      ['monthly', 'UTC', at('2026-01-15T12:00:00Z'), 0],
      '2026-02-01T09:00:00.000Z',
    ],
    [
      'monthly on the 1st goes to the next month',
      ['monthly', 'UTC', at('2026-02-01T05:00:00Z'), 0],
      '2026-03-01T09:00:00.000Z',
    ],
    [
      'monthly uses the local date (Berlin, 23:30 on Jan 31)',
      ['monthly', 'Europe/Berlin', at('2026-01-31T22:30:00Z'), 0],
      '2026-02-01T08:00:00.000Z',
    ],
    [
      'weekly goes to the next Monday with jitter',
      ['weekly', 'UTC', at('2026-01-15T12:00:00Z'), 45],
      '2026-01-19T09:45:00.000Z',
    ],
    [
      'weekly on a Monday goes a week on',
      ['weekly', 'UTC', at('2026-01-19T08:00:00Z'), 0],
      '2026-01-26T09:00:00.000Z',
    ],
    [
      'daily goes to tomorrow',
      ['daily', 'UTC', at('2026-01-15T12:00:00Z'), 119],
      '2026-01-16T10:59:00.000Z',
    ],
    [
      'daily across the spring DST change (New York)',
      ['daily', 'America/New_York', at('2026-03-08T01:00:00Z'), 0],
      '2026-03-08T13:00:00.000Z',
    ],
    [
      'daily across the autumn DST change (New York)',
      ['daily', 'America/New_York', at('2026-10-31T20:00:00Z'), 0],
      '2026-11-01T14:00:00.000Z',
    ],
    [
      'an unknown zone falls back to UTC',
      ['daily', 'Mars/Olympus', at('2026-01-15T12:00:00Z'), 0],
      '2026-01-16T09:00:00.000Z',
    ],
  ]
  for (const [name, args, expected] of cases) {
    test(name, () => assert.equal(iso(chooseNextReportDate(...args)), expected))
  }
})

describe('report periods', () => {
  test('week boundaries are local Mondays, newest first', () => {
    assert.deepEqual(weekBoundaries(at('2026-01-15T12:00:00Z'), 'UTC', 3).map(iso), [
      '2026-01-12T00:00:00.000Z',
      '2026-01-05T00:00:00.000Z',
      '2025-12-29T00:00:00.000Z',
    ])
  })

  test('late Sunday UTC is already Monday in Berlin', () => {
    assert.equal(
      iso(weekBoundaries(at('2026-01-18T23:30:00Z'), 'Europe/Berlin', 1)[0]),
      '2026-01-18T23:00:00.000Z',
    )
  })

  test('monthly boundaries across DST months in New York', () => {
    assert.deepEqual(
      periodBoundaries('monthly', at('2026-04-15T12:00:00Z'), 'America/New_York').map(iso),
      ['2026-04-01T04:00:00.000Z', '2026-03-01T05:00:00.000Z', '2026-02-01T05:00:00.000Z'],
    )
  })

  test('daily boundaries around the spring change are 23 hours apart', () => {
    const b = periodBoundaries('daily', at('2026-03-09T12:00:00Z'), 'America/New_York')
    assert.equal(b[0] - b[1], 23 * HOUR)
    assert.equal(b[1] - b[2], 24 * HOUR)
  })

  test('a wall time in the spring gap maps to the instant after the gap', () => {
    assert.equal(
      iso(wallToInstant(Date.UTC(2026, 2, 8, 2, 30), 'America/New_York')),
      '2026-03-08T07:30:00.000Z',
    )
  })

  test('period labels', () => {
    assert.equal(
      periodLabel('monthly', at('2026-03-01T05:00:00Z'), 'America/New_York'),
      'March 2026',
    )
    assert.equal(
      periodLabel('weekly', at('2026-01-05T00:00:00Z'), 'UTC'),
      'the week of 5 January 2026',
    )
    assert.equal(
      periodLabel('daily', at('2026-01-14T23:00:00Z'), 'Europe/Berlin'),
      '15 January 2026',
    )
  })
})

describe('downtime in report periods', () => {
  const now = at('2026-04-15T12:00:00Z')
  const boundaries = periodBoundaries('monthly', now, 'America/New_York')
  const flips = [
    // Down over the spring change: 01:00–04:00 local on Mar 8 is 2 real hours.
    { created: at('2026-03-08T06:00:00Z'), old_status: 'up' as const },
    { created: at('2026-03-08T08:00:00Z'), old_status: 'down' as const },
    // Down across local midnight of Apr 1: 23:00–01:00 local, split between the months.
    { created: at('2026-04-01T03:00:00Z'), old_status: 'up' as const },
    { created: at('2026-04-01T05:00:00Z'), old_status: 'down' as const },
  ]
  const records = downtimesByBoundary({
    boundaries,
    flips,
    status: 'up',
    created: at('2026-02-10T00:00:00Z'),
    now,
  })

  test('April counts the hour after local midnight', () => {
    assert.equal(records[0].durationMs, HOUR)
    assert.equal(records[0].count, 1)
  })

  test('March counts real hours across the DST change plus the hour before midnight', () => {
    assert.equal(records[1].durationMs, 3 * HOUR)
    assert.equal(records[1].count, 2)
    assert.equal(downtimeCell(records[1]), '2 downtimes, 3 h total')
  })

  test('February existed partly and had no downtime', () => {
    assert.equal(records[2].noData, false)
    assert.equal(downtimeCell(records[2]), 'All good!')
  })

  test('a period before the check existed shows a dash', () => {
    const late = downtimesByBoundary({
      boundaries,
      flips: [],
      status: 'up',
      created: at('2026-03-20T00:00:00Z'),
      now,
    })
    assert.equal(downtimeCell(late[2]), '–')
  })

  test('durations read naturally', () => {
    assert.equal(formatDowntime(65 * 60_000), '1 h 5 min')
    assert.equal(formatDowntime(2 * 86_400_000 + 3 * HOUR + 60_000), '2 days 3 h')
    assert.equal(formatDowntime(45_000), '45 s')
  })

  test('the nag subject counts the checks', () => {
    const nag = renderNag({
      tz: 'UTC',
      checks: [
        { name: 'b', code: 'c2', projectName: 'P', projectId: 1, downSince: null },
        {
          name: 'a',
          code: 'c1',
          projectName: 'P',
          projectId: 1,
          downSince: at('2026-01-15T10:00:00Z'),
        },
      ],
      siteName: 'Vigil',
      siteRoot: 'https://vigil.example.org',
    })
    assert.equal(nag.subject, 'Reminder: 2 checks still down')
    assert.ok(
      nag.text.startsWith(
        'These 2 checks are still down:\n\nP\n  a (down since 2026-01-15 10:00 UTC)\n  b\n',
      ),
    )
  })
})
