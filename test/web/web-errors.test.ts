import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { FastifyReply } from 'fastify'
import { describeWebError, webError } from '../../src/web/web-errors.js'

/** Just enough of a reply to record the headers the table sets. */
function fakeReply() {
  const headers: Record<string, string> = {}
  const reply = {
    header(name: string, value: string) {
      headers[name] = value
      return reply
    },
  }
  return { reply: reply as unknown as FastifyReply, headers }
}

test('the web error table gives each kind its status', () => {
  const cases: [string, number][] = [
    ['throttled', 429],
    ['rate-limited', 429],
    ['forbidden', 403],
    ['downgrade-blocked', 403],
    ['check-not-found', 404],
    ['channel-forbidden', 404],
    ['mail-degraded', 200],
    ['invalid-credentials', 200],
    ['password-too-short', 400],
    ['anything-else', 400],
  ]
  for (const [kind, status] of cases) assert.equal(describeWebError({ kind }).status, status, kind)
})

test('throttling with a wait sets Retry-After and says how long', () => {
  const { reply, headers } = fakeReply()
  const e = { kind: 'throttled', retryAfterSeconds: 61 }
  assert.deepEqual(webError(reply, e), {
    status: 429,
    message: 'Too many attempts. Try again in 2 minutes.',
    fixable: true,
  })
  assert.equal(headers['Retry-After'], '61')
})

test('a kind without a wait sets no Retry-After', () => {
  const { reply, headers } = fakeReply()
  webError(reply, { kind: 'rate-limited' })
  const tooSoon = { kind: 'too-soon', retryAfterSeconds: 30 }
  webError(reply, tooSoon)
  assert.deepEqual(headers, {})
})

test("a page's own sentence wins over the table's, and the fallback covers unworded kinds", () => {
  const e = { kind: 'password-too-short', min: 12 }
  assert.equal(describeWebError(e).message, 'The password needs at least 12 characters.')
  const mine = { 'password-too-short': 'Longer, please.' }
  assert.equal(describeWebError(e, mine).message, 'Longer, please.')
  assert.equal(describeWebError({ kind: 'odd' }, {}, 'No.').message, 'No.')
})

test('not-found kinds and limits are not fixable in the posted form', () => {
  assert.equal(describeWebError({ kind: 'check-not-found' }).fixable, false)
  assert.equal(describeWebError({ kind: 'check-limit' }).fixable, false)
  const invalid = { kind: 'invalid-field', field: 'name', problem: 'x' }
  assert.equal(describeWebError(invalid).fixable, true)
})
