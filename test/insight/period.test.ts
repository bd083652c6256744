// "Within one period" for cron, OnCalendar and simple schedules, across DST changes.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { samePeriod } from '../../src/insight/period.js'
import type { Schedule } from '../../src/schedule/index.js'

const at = (iso: string) => Date.parse(iso)
const cron = (schedule: string, tz = 'UTC'): Schedule => ({ kind: 'cron', schedule, tz })
const onCal = (schedule: string, tz = 'UTC'): Schedule => ({ kind: 'oncalendar', schedule, tz })

const cases: Array<[string, Schedule, string, string, boolean]> = [
  ['cron 03:00 and 03:05', cron('0 3 * * *'), '2026-01-15T03:00:00Z', '2026-01-15T03:05:00Z', true],
  [
    'cron 03:05 and next day 03:01',
    cron('0 3 * * *'),
    '2026-01-15T03:05:00Z',
    '2026-01-16T03:01:00Z',
    false,
  ],
  [
    'cron 02:59 and 03:01 (a boundary between)',
    cron('0 3 * * *'),
    '2026-01-15T02:59:00Z',
    '2026-01-15T03:01:00Z',
    false,
  ],
  [
    'cron at exactly 03:00 and 03:00:30',
    cron('0 3 * * *'),
    '2026-01-15T03:00:00Z',
    '2026-01-15T03:00:30Z',
    true,
  ],
  // Europe/Riga springs forward 2026-03-29 03:00 → 04:00: 03:30 local does not exist that day, so
  // croner fires at the shifted instant; pings 5 minutes apart after it are still one period.
  [
    'cron 30 3 in Riga on the spring-forward day',
    cron('30 3 * * *', 'Europe/Riga'),
    '2026-03-29T01:00:00Z',
    '2026-03-29T01:05:00Z',
    true,
  ],
  [
    'cron 0 3 in Riga the days around spring forward',
    cron('0 3 * * *', 'Europe/Riga'),
    '2026-03-28T01:00:00Z',
    '2026-03-29T00:59:00Z',
    true,
  ],
  [
    'cron 0 3 in Riga across the fall-back night',
    cron('0 3 * * *', 'Europe/Riga'),
    '2026-10-25T01:00:00Z',
    '2026-10-25T01:30:00Z',
    true,
  ],
  [
    'cron 0 3 in Riga: 24 h after 03:00 on fall-back day is a new period',
    cron('0 3 * * *', 'Europe/Riga'),
    '2026-10-24T00:00:00Z',
    '2026-10-25T01:00:00Z',
    false,
  ],
  [
    'OnCalendar daily 03:00',
    onCal('*-*-* 03:00:00'),
    '2026-01-15T03:00:00Z',
    '2026-01-15T03:05:00Z',
    true,
  ],
  [
    'OnCalendar daily 03:00 across midnight before it',
    onCal('*-*-* 03:00:00'),
    '2026-01-15T03:10:00Z',
    '2026-01-16T02:50:00Z',
    true,
  ],
  [
    'OnCalendar in New York across spring forward',
    onCal('*-*-* 02:30:00', 'America/New_York'),
    '2026-03-08T06:00:00Z',
    '2026-03-08T06:20:00Z',
    true,
  ],
  [
    'OnCalendar in New York: next day is a new period',
    onCal('*-*-* 02:30:00', 'America/New_York'),
    '2026-03-08T08:00:00Z',
    '2026-03-09T07:00:00Z',
    false,
  ],
  [
    'simple 1 h: 20 min apart',
    { kind: 'simple', timeout: 3600 },
    '2026-01-15T03:00:00Z',
    '2026-01-15T03:20:00Z',
    true,
  ],
  [
    'simple 1 h: 30 min apart is not',
    { kind: 'simple', timeout: 3600 },
    '2026-01-15T03:00:00Z',
    '2026-01-15T03:30:00Z',
    false,
  ],
  [
    'simple 1 h: order does not matter',
    { kind: 'simple', timeout: 3600 },
    '2026-01-15T03:20:00Z',
    '2026-01-15T03:00:00Z',
    true,
  ],
]
for (const [name, s, a, b, same] of cases) {
  test(`${name}: ${same ? 'one period' : 'two periods'}`, () => {
    assert.equal(samePeriod(s, at(a), at(b)), same)
  })
}

test('an invalid schedule never puts two pings in one period', () => {
  assert.equal(
    samePeriod(cron('61 * * * *'), at('2026-01-15T03:00:00Z'), at('2026-01-15T03:00:01Z')),
    false,
  )
})
