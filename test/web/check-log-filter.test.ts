import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { CheckEvent } from '../../src/checks/list-check-events.js'
import {
  applyEventLogFilter,
  type EventLogFilter,
  filterQuery,
  parseEventLogFilter,
} from '../../src/web/check-details/event-log-filter.js'

function parsed(query: Record<string, unknown>, tz = 'UTC'): EventLogFilter {
  const r = parseEventLogFilter(query, tz)
  assert.ok(r.ok, r.ok ? '' : r.error.message)
  return r.value
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

describe('event log filter', () => {
  test('no query shows pings of every kind and status changes, not notifications', () => {
    const f = parsed({})
    assert.deepEqual([...f.kinds], ['success', 'fail', 'start', 'log', 'ign', 'flip'])
    assert.equal(f.fromMs, null)
    assert.equal(f.toMs, null)
    assert.equal(f.page, 1)
  })

  test('a submitted form with nothing ticked shows nothing', () => {
    assert.equal(parsed({ filtered: '1' }).kinds.size, 0)
  })

  test('one kind arrives as a string, several as a list', () => {
    assert.deepEqual([...parsed({ filtered: '1', kind: 'fail' }).kinds], ['fail'])
    assert.deepEqual(
      [...parsed({ kind: ['notification', 'flip'] }).kinds],
      ['notification', 'flip'],
    )
  })

  test('the range runs from local midnight of “from” to local midnight after “to”', () => {
    const f = parsed({ from: '2026-01-13', to: '2026-01-13' }, 'Europe/Riga')
    assert.equal(iso(f.fromMs), '2026-01-12T22:00:00.000Z')
    assert.equal(iso(f.toMs), '2026-01-13T22:00:00.000Z')
  })

  test('a spring-forward day is 23 hours long and a fall-back day 25', () => {
    const spring = parsed({ from: '2026-03-29', to: '2026-03-29' }, 'Europe/Berlin')
    assert.equal(iso(spring.fromMs), '2026-03-28T23:00:00.000Z')
    assert.equal(iso(spring.toMs), '2026-03-29T22:00:00.000Z')
    const fall = parsed({ from: '2026-10-25', to: '2026-10-25' }, 'Europe/Berlin')
    assert.equal(iso(fall.fromMs), '2026-10-24T22:00:00.000Z')
    assert.equal(iso(fall.toMs), '2026-10-25T23:00:00.000Z')
  })

  test('impossible dates, unknown kinds and reversed ranges are refused', () => {
    for (const query of [
      { from: '2026-02-29' },
      { to: '2026-13-01' },
      { from: '1999-12-31' },
      { from: '2026-1-5' },
      { kind: 'ping' },
      { from: '2026-01-02', to: '2026-01-01' },
    ]) {
      const r = parseEventLogFilter(query, 'UTC')
      assert.equal(r.ok, false, JSON.stringify(query))
    }
  })

  test('the page is a positive number, anything else is page 1', () => {
    assert.equal(parsed({ page: '7' }).page, 7)
    assert.equal(parsed({ page: '0' }).page, 1)
    assert.equal(parsed({ page: '-3' }).page, 1)
    assert.equal(parsed({ page: ['2', '3'] }).page, 1)
  })

  test('events at “from” are kept and events at the end of “to” are not', () => {
    const f = parsed({ from: '2026-01-13', to: '2026-01-13' })
    const at = (created: number, id: number): CheckEvent => ({
      type: 'flip',
      created,
      flip: {
        id,
        check_id: 1,
        created,
        processed: created,
        old_status: 'up',
        new_status: 'down',
        reason: '',
        recheck_at: null,
        suppressed: 0,
        held_reason: '',
      },
    })
    const start = Date.parse('2026-01-13T00:00:00Z')
    const end = Date.parse('2026-01-14T00:00:00Z')
    const kept = applyEventLogFilter(
      [at(start - 1, 1), at(start, 2), at(end - 1, 3), at(end, 4)],
      f,
    )
    assert.deepEqual(
      kept.map((e) => (e.type === 'flip' ? e.flip.id : 0)),
      [2, 3],
    )
  })

  test('the query string round-trips', () => {
    const f = parsed({
      filtered: '1',
      kind: ['fail', 'flip'],
      from: '2026-01-01',
      to: '2026-01-31',
    })
    assert.equal(
      filterQuery(f).toString(),
      'filtered=1&kind=fail&kind=flip&from=2026-01-01&to=2026-01-31',
    )
    assert.deepEqual(parsed(Object.fromEntries(filterQuery(f))).from, '2026-01-01')
  })
})
