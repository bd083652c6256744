import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { PingKind, StoredStatus } from '../../src/db/index.js'
import { hasConfirmationLink, type PingableCheck, pingEffect } from '../../src/pings/ping-effect.js'
import { pingableCheck } from '../helpers/builders.js'

const NOW = Date.parse('2026-01-15T12:00:00Z')
const S = 1000
const H = 3600 * S
const RID_A = '11111111-1111-4111-8111-111111111111'
const RID_B = '22222222-2222-4222-8222-222222222222'

const check = pingableCheck

const apply = (
  c: PingableCheck,
  action: PingKind,
  rid: string | null = null,
  body: Buffer | null = null,
) => pingEffect(c, { action, rid, body, now: NOW })

// Spec §2.4: what pings do to each stored status.
test('status transitions and flips for every stored status', () => {
  const cases: Array<[StoredStatus, PingKind, StoredStatus, string | null]> = [
    ['new', 'success', 'up', 'new->up:'],
    ['new', 'fail', 'down', 'new->down:fail'],
    ['new', 'start', 'new', null],
    ['new', 'log', 'new', null],
    ['new', 'ign', 'new', null],
    ['up', 'success', 'up', null],
    ['up', 'fail', 'down', 'up->down:fail'],
    ['up', 'start', 'up', null],
    ['down', 'success', 'up', 'down->up:'],
    ['down', 'fail', 'down', null],
    ['down', 'start', 'down', null],
    ['paused', 'success', 'up', 'paused->up:'],
    ['paused', 'fail', 'down', 'paused->down:fail'],
    ['paused', 'start', 'paused', null],
    ['paused', 'log', 'paused', null],
  ]
  for (const [status, action, next, flip] of cases) {
    const e = apply(check({ status, last_ping: status === 'new' ? null : NOW - H }), action)
    assert.equal(e.update.status, next, `${status} + ${action}`)
    assert.equal(
      e.flip && `${e.flip.old_status}->${e.flip.new_status}:${e.flip.reason}`,
      flip,
      `${status} + ${action}`,
    )
    assert.equal(e.kind, action)
  }
})

test('a paused check with manual resume ignores every ping', () => {
  for (const action of ['success', 'fail', 'start', 'log'] as const) {
    const e = apply(check({ status: 'paused', manual_resume: 1 }), action)
    assert.equal(e.kind, 'ign')
    assert.equal(e.update.status, 'paused')
    assert.equal(e.update.last_start, null)
    assert.equal(e.flip, null)
  }
})

test('manual resume does nothing on a check that is not paused', () => {
  assert.equal(
    apply(check({ status: 'up', manual_resume: 1, last_ping: NOW - H }), 'fail').kind,
    'fail',
  )
})

test('success sets last_ping and alert_after to period plus grace', () => {
  const e = apply(check(), 'success')
  assert.equal(e.update.last_ping, NOW)
  assert.equal(e.update.alert_after, NOW + 86400 * S + H)
})

test('fail leaves no alert deadline', () => {
  assert.equal(apply(check({ status: 'up', last_ping: NOW - H }), 'fail').update.alert_after, null)
})

test('start on a new check sets alert_after to start plus grace', () => {
  const e = apply(check(), 'start', RID_A)
  assert.equal(e.update.last_start, NOW)
  assert.equal(e.update.last_start_rid, RID_A)
  assert.equal(e.update.last_ping, null)
  assert.equal(e.update.alert_after, NOW + H)
})

test('start on an up check takes the earlier of the schedule and the start', () => {
  // Schedule deadline (last_ping + 1 day) is later than the start, so the start wins.
  const e = apply(check({ status: 'up', last_ping: NOW - H }), 'start')
  assert.equal(e.update.alert_after, NOW + H)
})

test('log and ign change nothing but the deadline is recomputed', () => {
  const c = check({ status: 'up', last_ping: NOW - H, last_start: NOW - S, last_start_rid: RID_A })
  for (const action of ['log', 'ign'] as const) {
    const e = apply(c, action)
    assert.equal(e.update.last_ping, c.last_ping)
    assert.equal(e.update.last_start, c.last_start)
    assert.equal(e.update.alert_after, NOW - S + H)
  }
})

test('rid pairing: null matches null and measures the duration', () => {
  const e = apply(check({ last_start: NOW - 10 * S }), 'success')
  assert.equal(e.update.last_duration_ms, 10 * S)
  assert.equal(e.update.last_start, null)
})

test('rid pairing: the same rid measures the duration, for fail too', () => {
  const e = apply(check({ last_start: NOW - 10 * S, last_start_rid: RID_A }), 'fail', RID_A)
  assert.equal(e.update.last_duration_ms, 10 * S)
  assert.equal(e.update.last_start, null)
})

test('rid pairing: a success without rid ends the run without a duration', () => {
  const e = apply(check({ last_start: NOW - 10 * S, last_start_rid: RID_A }), 'success')
  assert.equal(e.update.last_duration_ms, null)
  assert.equal(e.update.last_start, null)
})

test('rid pairing: a success with another rid keeps the run started', () => {
  const e = apply(
    check({ last_start: NOW - 10 * S, last_start_rid: RID_A, last_duration_ms: 5 }),
    'success',
    RID_B,
  )
  assert.equal(e.update.last_start, NOW - 10 * S)
  assert.equal(e.update.last_start_rid, RID_A)
  assert.equal(e.update.last_duration_ms, null)
  assert.equal(e.update.last_ping, NOW)
  assert.equal(e.update.status, 'up')
})

test('rid pairing: a fail with another rid ends the run', () => {
  const e = apply(check({ last_start: NOW - 10 * S, last_start_rid: RID_A }), 'fail', RID_B)
  assert.equal(e.update.last_start, null)
  assert.equal(e.update.last_duration_ms, null)
})

test('rid pairing: a rid against a start without one ends the run without a duration', () => {
  const e = apply(check({ last_start: NOW - 10 * S }), 'success', RID_A)
  assert.equal(e.update.last_start, NOW - 10 * S)
  assert.equal(e.update.last_duration_ms, null)
})

test('the confirmation link flag follows the body of every ping', () => {
  assert.equal(hasConfirmationLink(Buffer.from('Please CONFIRM your subscription')), true)
  assert.equal(
    hasConfirmationLink(Buffer.from([0xff, 0x63, 0x6f, 0x6e, 0x66, 0x69, 0x72, 0x6d])),
    true,
  )
  assert.equal(hasConfirmationLink(Buffer.from('conf irm')), false)
  assert.equal(hasConfirmationLink(null), false)
  assert.equal(
    apply(check({ status: 'paused', manual_resume: 1 }), 'success', null, Buffer.from('confirm'))
      .update.has_confirmation_link,
    1,
  )
})
