import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { backUpWhileHeld } from '../../src/alerts/snooze-gate.js'
import {
  activeWindow,
  type MaintenanceWindow,
  nextWindows,
  parseMaintenance,
} from '../../src/checks/maintenance.js'
import { hasAllTags, parseSnoozeRequest, snoozeEnd } from '../../src/checks/snooze.js'

const at = (iso: string) => Date.parse(iso)

describe('activeWindow', () => {
  // Riga: 2026-03-29 clocks go 03:00 EET → 04:00 EEST (01:00 UTC); 2026-10-25 04:00 → 03:00.
  const sunday2to4: MaintenanceWindow = { schedule: '0 2 * * 0', duration: 7200, tz: 'Europe/Riga' }

  test('an ordinary Sunday 02:00–04:00 Europe/Riga (EET, UTC+2)', () => {
    assert.deepEqual(activeWindow([sunday2to4], at('2026-03-22T00:00:00Z')), {
      end: at('2026-03-22T02:00:00Z'),
    })
    assert.deepEqual(activeWindow([sunday2to4], at('2026-03-22T01:59:59Z')), {
      end: at('2026-03-22T02:00:00Z'),
    })
    assert.equal(activeWindow([sunday2to4], at('2026-03-21T23:59:59Z')), null)
    assert.equal(activeWindow([sunday2to4], at('2026-03-22T02:00:00Z')), null)
  })

  test('across the spring DST change the window lasts its duration of elapsed time', () => {
    // Starts 02:00 EET = 00:00 UTC; two hours later it is 05:00 EEST, not 04:00.
    const w = activeWindow([sunday2to4], at('2026-03-29T01:30:00Z'))
    assert.deepEqual(w, { end: at('2026-03-29T02:00:00Z') })
    // The Sunday after: 02:00 EEST = 23:00 UTC on Saturday.
    assert.deepEqual(activeWindow([sunday2to4], at('2026-04-04T23:00:00Z')), {
      end: at('2026-04-05T01:00:00Z'),
    })
    assert.equal(activeWindow([sunday2to4], at('2026-04-04T22:59:59Z')), null)
  })

  test('across the autumn DST change the start follows local time (03:00 EET = 01:00 UTC)', () => {
    const three: MaintenanceWindow = { schedule: '0 3 * * 0', duration: 1800, tz: 'Europe/Riga' }
    const [start] = nextWindows([three], at('2026-10-24T12:00:00Z'), 1)
    // 03:00 happens twice that night; a schedule starts once, as cron checks do.
    const w = activeWindow([three], start.start + 60_000)
    assert.deepEqual(w, { end: start.start + 1_800_000 })
    assert.ok(
      start.start === at('2026-10-25T00:00:00Z') || start.start === at('2026-10-25T01:00:00Z'),
    )
  })

  test('OnCalendar windows, with the zone given on the window', () => {
    const weekdays: MaintenanceWindow = {
      schedule: 'Mon..Fri *-*-* 22:00',
      duration: 3600,
      tz: 'Europe/Riga',
    }
    // 2026-01-15 is a Thursday: 22:00 EET = 20:00 UTC.
    assert.deepEqual(activeWindow([weekdays], at('2026-01-15T20:30:00Z')), {
      end: at('2026-01-15T21:00:00Z'),
    })
    // Saturday: none.
    assert.equal(activeWindow([weekdays], at('2026-01-17T20:30:00Z')), null)
  })

  test('windows that touch or overlap join, whichever is listed first', () => {
    const a: MaintenanceWindow = { schedule: '0 2 * * *', duration: 3600, tz: 'UTC' }
    const b: MaintenanceWindow = { schedule: '0 3 * * *', duration: 5400, tz: 'UTC' }
    const c: MaintenanceWindow = { schedule: '30 1 * * *', duration: 3600, tz: 'UTC' }
    assert.deepEqual(activeWindow([b, a], at('2026-01-15T02:10:00Z')), {
      end: at('2026-01-15T04:30:00Z'),
    })
    assert.deepEqual(activeWindow([a, c], at('2026-01-15T01:45:00Z')), {
      end: at('2026-01-15T03:00:00Z'),
    })
    assert.equal(activeWindow([], at('2026-01-15T02:10:00Z')), null)
  })

  test('a long window of a frequent schedule is found quickly (no minute-by-minute walk)', () => {
    const everyMinuteForAWeek: MaintenanceWindow = {
      schedule: '* * * * *',
      duration: 604_800,
      tz: 'UTC',
    }
    const t = performance.now()
    const w = activeWindow([everyMinuteForAWeek], at('2026-01-15T12:00:30Z'))
    // Every minute starts a week-long window: they all join, up to 20 of them (then looked at again).
    assert.ok(w !== null && w.end >= at('2026-01-22T12:00:00Z'))
    assert.ok(performance.now() - t < 500)
  })

  test('nextWindows lists the soonest starts of all windows', () => {
    const a: MaintenanceWindow = { schedule: '0 2 * * 0', duration: 3600, tz: 'UTC' }
    const b: MaintenanceWindow = { schedule: 'Sat *-*-* 12:00', duration: 600, tz: 'UTC' }
    const list = nextWindows([a, b], at('2026-01-15T00:00:00Z'), 3)
    assert.deepEqual(
      list.map((w) => [new Date(w.start).toISOString(), new Date(w.end).toISOString()]),
      [
        ['2026-01-17T12:00:00.000Z', '2026-01-17T12:10:00.000Z'],
        ['2026-01-18T02:00:00.000Z', '2026-01-18T03:00:00.000Z'],
        ['2026-01-24T12:00:00.000Z', '2026-01-24T12:10:00.000Z'],
      ],
    )
  })
})

describe('parseMaintenance', () => {
  test('accepts cron and OnCalendar windows; tz defaults to UTC, legacy names rewritten', () => {
    assert.deepEqual(
      parseMaintenance([
        { schedule: '0 2 * * 0', duration: 7200, tz: 'Europe/Kiev' },
        { schedule: 'Sun 02:00', duration: 60 },
      ]),
      {
        value: [
          { schedule: '0 2 * * 0', duration: 7200, tz: 'Europe/Kyiv' },
          { schedule: 'Sun 02:00', duration: 60, tz: 'UTC' },
        ],
      },
    )
  })
  const bad: [unknown, RegExp][] = [
    [{}, /is not an array/],
    [[5], /item 1: is not an object/],
    [[{ schedule: 5, duration: 60 }], /item 1: schedule is not a string/],
    [[{ schedule: '0 2 * * 0', duration: 59 }], /item 1: duration is not an integer from 60/],
    [[{ schedule: '0 2 * * 0', duration: 604_801 }], /duration/],
    [[{ schedule: '0 2 * * 0', duration: '60' }], /duration/],
    [[{ schedule: '0 2 * * 0', duration: 60, tz: 'Mars/Base' }], /tz is not a valid timezone/],
    [
      [
        { schedule: '0 2 * * 0', duration: 60 },
        { schedule: '61 2 * * 0', duration: 60 },
      ],
      /item 2: schedule is not a valid cron or OnCalendar/,
    ],
    [Array(11).fill({ schedule: '0 2 * * 0', duration: 60 }), /more than 10 windows/],
  ]
  for (const [input, problem] of bad)
    test(`refuses ${JSON.stringify(input).slice(0, 60)}`, () => {
      const r = parseMaintenance(input)
      assert.ok('problem' in r && problem.test(r.problem), JSON.stringify(r))
    })
})

describe('snooze rules', () => {
  const now = at('2026-01-15T12:00:00Z')
  test('minutes or until, with an optional reason', () => {
    assert.deepEqual(parseSnoozeRequest({ minutes: 30, reason: 'deploy' }, now), {
      ok: true,
      value: { until: now + 30 * 60_000, reason: 'deploy' },
    })
    assert.deepEqual(parseSnoozeRequest({ until: '2026-01-15T15:00:00+02:00' }, now), {
      ok: true,
      value: { until: at('2026-01-15T13:00:00Z'), reason: '' },
    })
  })
  const bad: [Record<string, unknown>, string, RegExp][] = [
    [{}, 'minutes', /exactly one/],
    [{ minutes: 5, until: '2026-01-16T00:00:00Z' }, 'minutes', /exactly one/],
    [{ minutes: 0 }, 'minutes', /out of range \(allowed: 1 to 43200\)/],
    [{ minutes: 43_201 }, 'minutes', /out of range/],
    [{ minutes: '30' }, 'minutes', /not an integer/],
    [{ minutes: 1.5 }, 'minutes', /not an integer/],
    [{ until: '2026-01-15T11:00:00Z' }, 'until', /not in the future/],
    [{ until: '2026-03-15T11:00:00Z' }, 'until', /more than 30 days/],
    [{ until: '2026-01-16 10:00' }, 'until', /ISO 8601 date-time with a time zone/],
    [{ until: 5 }, 'until', /ISO 8601/],
    [{ minutes: 5, reason: 5 }, 'reason', /not a string/],
    [{ minutes: 5, reason: 'x'.repeat(201) }, 'reason', /too long/],
  ]
  for (const [body, field, problem] of bad)
    test(`refuses ${JSON.stringify(body).slice(0, 60)}`, () => {
      const r = parseSnoozeRequest(body, now)
      assert.ok(
        !r.ok && r.error.field === field && problem.test(r.error.problem),
        JSON.stringify(r),
      )
    })

  test('snoozeEnd: a past or absent snooze is none', () => {
    assert.equal(snoozeEnd({ snoozed_until: now + 1 }, now), now + 1)
    assert.equal(snoozeEnd({ snoozed_until: now }, now), null)
    assert.equal(snoozeEnd({ snoozed_until: null }, now), null)
  })

  test('tag matching: every wanted tag, none wanted = all', () => {
    assert.equal(hasAllTags('db prod eu', ['db', 'prod']), true)
    assert.equal(hasAllTags('db staging', ['db', 'prod']), false)
    assert.equal(hasAllTags('database prod', ['db']), false)
    assert.equal(hasAllTags('', []), true)
    assert.equal(hasAllTags('', ['db']), false)
  })

  test('a held down flip of a check back up by the end is not alerted', () => {
    const held = { new_status: 'down', held_reason: 'snoozed until …' }
    assert.equal(backUpWhileHeld(held, { status: 'up' }), true)
    assert.equal(backUpWhileHeld(held, { status: 'down' }), false)
    assert.equal(backUpWhileHeld({ ...held, held_reason: '' }, { status: 'up' }), false)
  })
})
