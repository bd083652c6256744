import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decideGrouping, windowStart } from '../../src/alerts/alert-group-rule.js'
import { nextRepeatAt, repeatVerdict } from '../../src/alerts/repeat-rule.js'

const NOW = Date.parse('2026-01-15T12:00:00Z')
const G = { min: 5, windowMs: 60_000 }

test('grouping: the first ALERT_GROUP_MIN alerts of a window go out on their own', () => {
  for (const recent of [0, 1, 4])
    assert.deepEqual(decideGrouping(G, recent, null, NOW), { kind: 'single' })
})

test('grouping: the alert after ALERT_GROUP_MIN starts a group sent one window later', () => {
  assert.deepEqual(decideGrouping(G, 5, null, NOW), { kind: 'lead', sendAt: NOW + 60_000 })
  assert.deepEqual(decideGrouping(G, 40, null, NOW), { kind: 'lead', sendAt: NOW + 60_000 })
})

test('grouping: while a group is collecting, every alert of the channel joins it', () => {
  assert.deepEqual(decideGrouping(G, 0, 'abc', NOW), { kind: 'join', leadCode: 'abc' })
  assert.deepEqual(decideGrouping(G, 9, 'abc', NOW), { kind: 'join', leadCode: 'abc' })
})

test('grouping: ALERT_GROUP_MIN=0 turns grouping off whatever came before', () => {
  const off = { min: 0, windowMs: 60_000 }
  assert.deepEqual(decideGrouping(off, 1000, 'abc', NOW), { kind: 'single' })
})

test('grouping window: an alert exactly one window old no longer counts, one a ms younger does', () => {
  const start = windowStart(G, NOW)
  assert.ok(NOW - 60_000 < start, 'exactly a window ago is outside')
  assert.ok(NOW - 59_999 >= start, 'a millisecond later is inside')
  assert.ok(NOW >= start)
})

const R = { repeat_every: 3600, repeat_max: 3 }

test('repeat schedule: each repeat is due one interval after the one before was queued', () => {
  assert.equal(nextRepeatAt(R, 'down', 0, NOW), NOW + 3_600_000)
  assert.equal(nextRepeatAt(R, 'down', 1, NOW + 3_600_000), NOW + 7_200_000)
  assert.equal(nextRepeatAt(R, 'down', 2, NOW), NOW + 3_600_000)
})

test('repeat schedule: no repeat after the maximum, for up alerts, or with repeats off', () => {
  assert.equal(nextRepeatAt(R, 'down', 3, NOW), null)
  assert.equal(nextRepeatAt(R, 'down', 4, NOW), null)
  assert.equal(nextRepeatAt(R, 'up', 0, NOW), null)
  assert.equal(nextRepeatAt({ repeat_every: 0, repeat_max: 3 }, 'down', 0, NOW), null)
  assert.equal(nextRepeatAt({ repeat_every: 60, repeat_max: 0 }, 'down', 0, NOW), null)
})

test('repeat verdict: repeats while still down and under the maximum', () => {
  const channel = { ...R, disabled: 0 }
  assert.equal(repeatVerdict({ channel, stillDown: true, repeatN: 0 }), 'repeat')
  assert.equal(repeatVerdict({ channel, stillDown: true, repeatN: 2 }), 'repeat')
})

test('repeat verdict: stops at recovery, at the maximum, and when the channel changed', () => {
  const channel = { ...R, disabled: 0 }
  assert.equal(repeatVerdict({ channel, stillDown: false, repeatN: 0 }), 'stop')
  assert.equal(repeatVerdict({ channel, stillDown: true, repeatN: 3 }), 'stop')
  assert.equal(repeatVerdict({ channel: null, stillDown: true, repeatN: 0 }), 'stop')
  assert.equal(
    repeatVerdict({ channel: { ...channel, disabled: 1 }, stillDown: true, repeatN: 0 }),
    'stop',
  )
  const off = { repeat_every: 0, repeat_max: 0, disabled: 0 }
  assert.equal(repeatVerdict({ channel: off, stillDown: true, repeatN: 0 }), 'stop')
  // The maximum was lowered below the repeats already sent.
  assert.equal(
    repeatVerdict({ channel: { ...channel, repeat_max: 1 }, stillDown: true, repeatN: 1 }),
    'stop',
  )
})
