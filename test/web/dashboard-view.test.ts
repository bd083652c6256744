import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Check } from '../../src/db/index.js'
import {
  countStatuses,
  dashboardQueryString,
  dashboardRow,
  filterRows,
  parseDashboardQuery,
  scheduleSummary,
  sortRows,
} from '../../src/web/dashboard/dashboard-view.js'
import { formatDuration, formatInstant, formatRunTime } from '../../src/web/time-format.js'

const NOW = Date.parse('2026-01-15T12:00:00Z')
let nextId = 1

function check(fields: Partial<Check>): Check {
  const id = nextId++
  return {
    id,
    code: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    project_id: 1,
    name: '',
    slug: '',
    tags: '',
    desc: '',
    created: NOW - 1000 + id,
    kind: 'simple',
    timeout: 86_400,
    grace: 3600,
    schedule: '* * * * *',
    tz: 'UTC',
    filter_subject: 0,
    filter_body: 0,
    filter_http_body: 0,
    filter_default_fail: 0,
    start_kw: '',
    success_kw: '',
    failure_kw: '',
    methods: '',
    manual_resume: 0,
    badge_key: '',
    n_pings: 0,
    last_ping: null,
    last_start: null,
    last_start_rid: null,
    last_duration_ms: null,
    has_confirmation_link: 0,
    alert_after: null,
    status: 'new',
    ...fields,
  } as Check
}

describe('dashboard query', () => {
  test('unknown sorts, empty and oversized tags and non-string values fall back to defaults', () => {
    assert.deepEqual(
      parseDashboardQuery({
        sort: 'DROP TABLE',
        tag: ['', 'x'.repeat(201), 'ok'],
        search: ['  a  '],
        compact: 'yes',
      }),
      {
        tags: ['ok'],
        search: 'a',
        sort: 'created',
        compact: false,
      },
    )
    assert.deepEqual(parseDashboardQuery(undefined), {
      tags: [],
      search: '',
      sort: 'created',
      compact: false,
    })
  })

  test('the query string round-trips and drops defaults', () => {
    const q = parseDashboardQuery({ tag: ['a b', 'c&d'], search: 'x', sort: '-name', compact: '1' })
    const s = dashboardQueryString(q)
    assert.equal(s, '?tag=a+b&tag=c%26d&search=x&sort=-name&compact=1')
    assert.deepEqual(
      parseDashboardQuery(Object.fromEntries(new URLSearchParams(s.slice(1)).entries())).sort,
      '-name',
    )
    assert.equal(dashboardQueryString(parseDashboardQuery({})), '')
  })
})

describe('dashboard rows', () => {
  const rows = [
    dashboardRow(check({ name: 'b10', tags: 'prod', status: 'up', last_ping: NOW - 1000 }), 0, NOW),
    dashboardRow(
      check({ name: 'B9', tags: 'prod db', status: 'up', last_ping: NOW - 90_000_000 }),
      0,
      NOW,
    ),
    dashboardRow(check({ name: 'a', slug: 'alpha' }), 0, NOW),
    dashboardRow(check({ name: 'z', status: 'up', last_ping: NOW - 2000 }), 0, NOW),
  ]

  test('statuses are derived at now: an overdue up check is down', () => {
    assert.deepEqual(
      rows.map((r) => r.status),
      ['up', 'down', 'new', 'up'],
    )
    assert.deepEqual(countStatuses(rows.map((r) => r.status)), {
      up: 2,
      late: 0,
      down: 1,
      other: 1,
    })
  })

  const names = (r: typeof rows) => r.map((x) => x.check.name)
  const cases: [string, string[]][] = [
    ['created', ['B9', 'b10', 'a', 'z']],
    ['name', ['B9', 'a', 'b10', 'z']],
    ['-name', ['B9', 'z', 'b10', 'a']],
    ['-last_ping', ['B9', 'b10', 'z', 'a']],
    ['last_ping', ['B9', 'z', 'b10', 'a']],
    ['status', ['B9', 'b10', 'z', 'a']],
  ]
  for (const [sort, expected] of cases) {
    test(`sort ${sort} puts down checks first, then ${expected.slice(1).join(', ')}`, () => {
      assert.deepEqual(names(sortRows(rows, sort as never)), expected)
    })
  }

  test('filters AND the tags and search name, slug and uuid case-insensitively', () => {
    const q = parseDashboardQuery({})
    assert.deepEqual(names(filterRows(rows, { ...q, tags: ['prod', 'db'] })), ['B9'])
    assert.deepEqual(names(filterRows(rows, { ...q, search: 'ALPHA' })), ['a'])
    assert.deepEqual(names(filterRows(rows, { ...q, search: rows[3].check.code.slice(-4) })), ['z'])
  })
})

describe('schedule and time texts', () => {
  test('schedule summaries', () => {
    assert.equal(
      scheduleSummary({ kind: 'simple', timeout: 90_000, grace: 300, schedule: '', tz: 'UTC' }),
      'every 1 day 1 hour, grace 5 minutes',
    )
    assert.equal(
      scheduleSummary({
        kind: 'oncalendar',
        timeout: 0,
        grace: 3600,
        schedule: 'Mon 08:00\nFri 09:00',
        tz: 'Europe/Riga',
      }),
      'Mon 08:00; Fri 09:00 (Europe/Riga), grace 1 hour',
    )
  })

  const durations: [number, string][] = [
    [0, '0 seconds'],
    [1, '1 second'],
    [60, '1 minute'],
    [3661, '1 hour 1 minute'],
    [86_400 * 365, '365 days'],
    [90_061, '1 day 1 hour'],
  ]
  for (const [s, text] of durations) {
    test(`${s} s reads "${text}"`, () => assert.equal(formatDuration(s), text))
  }

  test('run times and instants', () => {
    assert.equal(formatRunTime(850), '850 ms')
    assert.equal(formatRunTime(95_000), '1 min 35 s')
    assert.equal(formatRunTime(7_800_000), '2 h 10 min')
    assert.equal(formatInstant(NOW, 'Europe/Berlin'), '15 Jan 2026, 13:00:00 CET')
    assert.equal(formatInstant(NOW, 'Not/AZone'), '15 Jan 2026, 12:00:00 UTC')
  })
})
