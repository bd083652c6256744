import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isoUtc, timeAgo } from '../../src/web/dashboard/time-ago.js'

const now = Date.parse('2026-01-15T12:00:00Z')
const ago = (ms: number) => timeAgo(now - ms, now)

test('timeAgo words an elapsed time in its largest whole unit', () => {
  const cases: [number, string][] = [
    [-5_000, 'just now'],
    [0, 'just now'],
    [59_999, 'just now'],
    [60_000, '1 minute ago'],
    [3 * 60_000 + 59_000, '3 minutes ago'],
    [3_599_999, '59 minutes ago'],
    [3_600_000, '1 hour ago'],
    [23 * 3_600_000, '23 hours ago'],
    [86_400_000, '1 day ago'],
    [400 * 86_400_000, '400 days ago'],
  ]
  for (const [ms, text] of cases) assert.equal(ago(ms), text, `${ms} ms`)
})

test('isoUtc gives UTC ISO 8601 without milliseconds', () => {
  assert.equal(isoUtc(now + 123), '2026-01-15T12:00:00Z')
})
