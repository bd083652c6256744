// What progress pings and min_runtime do to a check (ping-effect.ts with checks/run-time.ts),
// and the /progress URL form. Pure: no database.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PingKind } from '../../src/db/index.js'
import { type PingableCheck, pingEffect } from '../../src/pings/ping-effect.js'
import { parsePingPath } from '../../src/pings/ping-url.js'
import { pingableCheck } from '../helpers/builders.js'

const NOW = Date.parse('2026-01-15T12:00:00Z')
const S = 1000
const M = 60 * S
const RID_A = '11111111-1111-4111-8111-111111111111'
const RID_B = '22222222-2222-4222-8222-222222222222'

const check = (fields: Partial<PingableCheck> = {}) =>
  pingableCheck({ status: 'up', last_ping: NOW - 86_400 * S, ...fields })

const apply = (c: PingableCheck, action: PingKind, now = NOW, rid: string | null = null) =>
  pingEffect(c, { action, rid, body: null, now })

test('progress pings extend a started run by max_runtime from each ping, without finishing it', () => {
  let c = check({ max_runtime: 600 })
  let e = apply(c, 'start', NOW)
  assert.equal(e.update.alert_after, NOW + 10 * M)
  c = { ...c, ...e.update }
  for (let i = 1; i <= 4; i++) {
    const t = NOW + i * 8 * M
    e = apply(c, 'progress', t)
    assert.equal(e.kind, 'progress')
    assert.equal(e.flip, null)
    assert.equal(e.update.last_progress, t)
    assert.equal(e.update.last_start, NOW, 'the run is still pending')
    assert.equal(e.update.last_ping, c.last_ping, 'progress is not a success')
    assert.equal(e.update.alert_after, t + 10 * M)
    c = { ...c, ...e.update }
  }
  // The finish pairs with the start: the whole run, and the progress is forgotten.
  e = apply(c, 'success', NOW + 40 * M)
  assert.equal(e.update.last_duration_ms, 40 * M)
  assert.equal(e.update.last_start, null)
  assert.equal(e.update.last_progress, null)
  assert.equal(e.update.alert_after, NOW + 40 * M + 86_400 * S + 3600 * S)
})

test('a progress ping with no started run is recorded and changes nothing', () => {
  const c = check({ max_runtime: 600 })
  const e = apply(c, 'progress')
  assert.equal(e.kind, 'progress')
  assert.equal(e.flip, null)
  assert.equal(e.update.last_progress, null)
  assert.equal(e.update.last_ping, c.last_ping)
  assert.equal(e.update.alert_after, c.last_ping! + 86_400 * S + 3600 * S)
})

test('a progress ping on a check without max_runtime changes nothing (grace bounds the run, as in Healthchecks)', () => {
  const c = check({ last_start: NOW - M })
  const e = apply(c, 'progress')
  assert.equal(e.kind, 'progress')
  assert.equal(e.update.last_progress, null)
  assert.equal(e.update.alert_after, NOW - M + 3600 * S)
})

test('a progress ping with a run id extends only that run; one without a run id extends any', () => {
  const c = check({ max_runtime: 600, last_start: NOW - M, last_start_rid: RID_A })
  assert.equal(apply(c, 'progress', NOW, RID_B).update.last_progress, null)
  assert.equal(apply(c, 'progress', NOW, RID_A).update.last_progress, NOW)
  assert.equal(apply(c, 'progress', NOW, null).update.last_progress, NOW)
})

test('a new start forgets the previous run’s progress', () => {
  const c = check({ max_runtime: 600, last_start: NOW - 5 * M, last_progress: NOW - M })
  const e = apply(c, 'start')
  assert.equal(e.update.last_progress, null)
  assert.equal(e.update.alert_after, NOW + 10 * M)
})

test('a paused check with manual resume ignores a progress ping', () => {
  const c = check({ status: 'paused', manual_resume: 1, max_runtime: 600, last_start: NOW - M })
  const e = apply(c, 'progress')
  assert.equal(e.kind, 'ign')
  assert.equal(e.update.last_progress, null)
})

test('min_runtime: a run shorter than it takes the check down as "too_fast"; exactly it is fine', () => {
  const c = check({ min_runtime: 60, last_start: NOW - 60 * S })
  const ok = apply(c, 'success')
  assert.equal(ok.update.status, 'up')
  assert.equal(ok.flip, null)
  const fast = apply(c, 'success', NOW - 1)
  assert.equal(fast.kind, 'success', 'the ping stays a success in the log')
  assert.equal(fast.update.status, 'down')
  assert.deepEqual(fast.flip, { old_status: 'up', new_status: 'down', reason: 'too_fast' })
  assert.equal(fast.update.last_duration_ms, 60 * S - 1)
  assert.equal(fast.update.alert_after, null)
})

test('min_runtime: a fast failure is a plain failure; a success without a timed run is a success', () => {
  const c = check({ min_runtime: 60, last_start: NOW - S })
  assert.equal(apply(c, 'fail').flip?.reason, 'fail')
  assert.equal(apply(check({ min_runtime: 60 }), 'success').update.status, 'up')
  // A success of another run id leaves the timed run pending and is not measured.
  const other = check({ min_runtime: 60, last_start: NOW - S, last_start_rid: RID_A })
  assert.equal(apply(other, 'success', NOW, RID_B).update.status, 'up')
})

test('a too-fast run on a down check keeps it down without a new flip; a proper run brings it up', () => {
  const c = check({ status: 'down', min_runtime: 60, last_start: NOW - S })
  const e = apply(c, 'success')
  assert.equal(e.update.status, 'down')
  assert.equal(e.flip, null)
  const slow = apply({ ...c, last_start: NOW - 61 * S }, 'success')
  assert.deepEqual(slow.flip, { old_status: 'down', new_status: 'up', reason: '' })
})

test('/progress is an action of both URL forms', () => {
  const code = '6d6a2b6e-1b0b-4d1a-9f0e-8e8f2d3f4a5b'
  assert.deepEqual(parsePingPath(`${code}/progress`), {
    kind: 'ping',
    target: { code },
    action: 'progress',
    exitstatus: null,
  })
  assert.deepEqual(parsePingPath('key123/nightly-backup/progress'), {
    kind: 'ping',
    target: { pingKey: 'key123', slug: 'nightly-backup' },
    action: 'progress',
    exitstatus: null,
  })
  // A check whose slug is "progress" is still reachable by slug.
  assert.deepEqual(parsePingPath('key123/progress'), {
    kind: 'ping',
    target: { pingKey: 'key123', slug: 'progress' },
    action: 'success',
    exitstatus: null,
  })
})
