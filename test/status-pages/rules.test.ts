import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  formatUptime,
  incidentsFromFlips,
  isValidSlug,
  pageState,
  publicState,
  STRIP_DAYS,
  STRIP_WIDTH,
  stripBars,
  stripDays,
  stripPaths,
  stripStart,
  stripUptime,
} from '../../src/status-pages/rules.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const at = (s: string) => Date.parse(s)
const NOW = at('2026-03-10T12:00:00Z')
const LONG_AGO = at('2025-01-01T00:00:00Z')

describe('status page strip and uptime', () => {
  test('a check up all along has 90 green days and 100% uptime', () => {
    const days = stripDays({ flips: [], status: 'up', created: LONG_AGO, now: NOW })
    assert.equal(days.length, STRIP_DAYS)
    assert.equal(new Date(days[0].boundary).toISOString(), '2025-12-11T00:00:00.000Z')
    assert.equal(new Date(days[89].boundary).toISOString(), '2026-03-10T00:00:00.000Z')
    assert.ok(days.every((d) => d.durationMs === 0 && !d.noData))
    assert.equal(stripUptime(days, LONG_AGO, NOW), 100)
    assert.equal(formatUptime(100), '100.00%')
  })

  test('an outage across midnight marks both days and counts once in the uptime', () => {
    const flips = [
      {
        created: at('2026-03-08T23:00:00Z'),
        old_status: 'up' as const,
        new_status: 'down' as const,
      },
      {
        created: at('2026-03-09T01:00:00Z'),
        old_status: 'down' as const,
        new_status: 'up' as const,
      },
    ]
    const days = stripDays({ flips, status: 'up', created: LONG_AGO, now: NOW })
    assert.equal(days[87].durationMs, HOUR)
    assert.equal(days[88].durationMs, HOUR)
    const bars = stripBars(days, (ms) => `${ms / HOUR}h`)
    assert.deepEqual(
      bars.slice(86).map((b) => b.state),
      ['up', 'down', 'down', 'up'],
    )
    assert.equal(bars[87].label, '2026-03-08: down 1h')
    assert.equal(bars[89].x + 3, STRIP_WIDTH)
    const window = NOW - days[0].boundary
    const uptime = stripUptime(days, LONG_AGO, NOW)
    assert.ok(uptime !== null)
    assert.ok(Math.abs(uptime - ((window - 2 * HOUR) / window) * 100) < 1e-9)
    // Two hours in ~89.5 days is 99.907%: shown rounded down, never up to 100%.
    assert.equal(formatUptime(uptime), '99.90%')
    assert.equal(formatUptime(99.99999), '99.99%')
  })

  test('runs of days share one path; days with downtime stay apart with their labels', () => {
    const flips = [
      {
        created: at('2026-03-05T10:00:00Z'),
        old_status: 'up' as const,
        new_status: 'down' as const,
      },
      {
        created: at('2026-03-05T11:00:00Z'),
        old_status: 'down' as const,
        new_status: 'up' as const,
      },
    ]
    const days = stripDays({ flips, status: 'up', created: at('2026-03-01T06:00:00Z'), now: NOW })
    const paths = stripPaths(stripBars(days, (ms) => `${ms / HOUR}h`))
    // 80 days without data (x 0..316), 4 up (320..332), 1 down (336), 5 up (340..356).
    assert.equal(paths.nodata, 'M0 0h319v20h-319z')
    assert.equal(paths.up, 'M320 0h15v20h-15zM340 0h19v20h-19z')
    assert.deepEqual(
      paths.down.map((b) => [b.x, b.label]),
      [[336, '2026-03-05: down 1h']],
    )
  })

  test('a check created ten days ago counts uptime from its creation, older days have no data', () => {
    const created = NOW - 10 * DAY
    const flips = [
      { created: NOW - 2 * DAY, old_status: 'up' as const, new_status: 'down' as const },
    ]
    const days = stripDays({ flips, status: 'down', created, now: NOW })
    assert.equal(stripBars(days, String)[0].state, 'nodata')
    assert.equal(days.filter((d) => d.noData).length, 79)
    const uptime = stripUptime(days, created, NOW)
    assert.equal(uptime, 80)
  })

  test('a check created just now has no uptime yet', () => {
    const days = stripDays({ flips: [], status: 'new', created: NOW, now: NOW })
    assert.equal(stripUptime(days, NOW, NOW), null)
    assert.equal(formatUptime(null), 'no data')
  })

  test('the window starts at the strip first day', () => {
    assert.equal(new Date(stripStart(NOW)).toISOString(), '2025-12-11T00:00:00.000Z')
  })
})

describe('status page states', () => {
  test('late is grace, a running job is up, paused and new are themselves', () => {
    assert.equal(publicState('grace'), 'late')
    assert.equal(publicState('started'), 'up')
    assert.equal(publicState('down'), 'down')
    assert.equal(publicState('paused'), 'paused')
    assert.equal(publicState('new'), 'new')
  })

  test('the page state is the worst of its checks, paused and new ones do not count', () => {
    assert.equal(pageState(['up', 'late', 'down']), 'outage')
    assert.equal(pageState(['up', 'late', 'paused']), 'degraded')
    assert.equal(pageState(['up', 'paused', 'new']), 'operational')
    assert.equal(pageState(['paused', 'new']), 'empty')
    assert.equal(pageState([]), 'empty')
  })
})

describe('incidents from flips', () => {
  const since = stripStart(NOW)
  const flip = (
    iso: string,
    old_status: 'up' | 'down' | 'new' | 'paused',
    new_status: 'up' | 'down' | 'paused',
  ) => ({
    created: at(iso),
    old_status,
    new_status,
  })

  test('each down flip opens an incident that the next flip away from down closes', () => {
    const incidents = incidentsFromFlips(
      [
        {
          name: 'Backups',
          key: '1',
          status: 'up',
          flips: [
            flip('2026-03-02T10:00:00Z', 'down', 'up'),
            flip('2026-03-01T10:00:00Z', 'up', 'down'),
            flip('2026-03-05T10:00:00Z', 'up', 'down'),
            flip('2026-03-05T11:30:00Z', 'down', 'paused'),
          ],
        },
      ],
      since,
      NOW,
    )
    assert.deepEqual(
      incidents.map((i) => [
        i.name,
        new Date(i.start).toISOString(),
        i.end && new Date(i.end).toISOString(),
        i.startedBefore,
      ]),
      [
        ['Backups', '2026-03-05T10:00:00.000Z', '2026-03-05T11:30:00.000Z', false],
        ['Backups', '2026-03-01T10:00:00.000Z', '2026-03-02T10:00:00.000Z', false],
      ],
    )
  })

  test('a check still down has an open incident; one down since before the window starts there', () => {
    const incidents = incidentsFromFlips(
      [
        {
          name: 'Web',
          key: '1',
          status: 'down',
          flips: [flip('2026-03-09T08:00:00Z', 'up', 'down')],
        },
        { name: 'Old', key: '2', status: 'down', flips: [] },
        {
          name: 'Recovered',
          key: '3',
          status: 'up',
          flips: [flip('2026-01-01T00:00:00Z', 'down', 'up')],
        },
        { name: 'Fine', key: '4', status: 'up', flips: [] },
      ],
      since,
      NOW,
    )
    assert.deepEqual(
      incidents.map((i) => [i.name, i.start, i.end, i.startedBefore]),
      [
        ['Web', at('2026-03-09T08:00:00Z'), null, false],
        ['Old', since, null, true],
        ['Recovered', since, at('2026-01-01T00:00:00Z'), true],
      ],
    )
  })

  test('flips before the window and after now are ignored', () => {
    const incidents = incidentsFromFlips(
      [
        {
          name: 'Job',
          key: '1',
          status: 'up',
          flips: [
            flip('2025-06-01T00:00:00Z', 'up', 'down'),
            flip('2025-06-02T00:00:00Z', 'down', 'up'),
            flip('2026-03-11T00:00:00Z', 'up', 'down'),
          ],
        },
      ],
      since,
      NOW,
    )
    assert.deepEqual(incidents, [])
  })
})

describe('status page slugs', () => {
  test('lower-case letters, digits and inner hyphens, 1 to 64 characters', () => {
    for (const ok of ['a', 'acme', 'acme-prod-2', 'x'.repeat(64)]) assert.ok(isValidSlug(ok), ok)
    for (const bad of ['', '-a', 'a-', 'Acme', 'a_b', 'a/b', 'a b', 'x'.repeat(65), 'é'])
      assert.ok(!isValidSlug(bad), bad)
  })
})
