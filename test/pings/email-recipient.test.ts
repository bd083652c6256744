import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseEmailRecipient, pingEmailAddress } from '../../src/pings/email-recipient.js'

const D = 'ping.example.org'
const UUID = '5f2c8e0a-1b2c-4d3e-8f40-123456789abc'

test('a UUID at the ping domain names that check, lower-cased', () => {
  assert.deepEqual(parseEmailRecipient(`${UUID}@${D}`, D), { kind: 'ping', target: { code: UUID } })
  assert.deepEqual(parseEmailRecipient(`${UUID.toUpperCase()}@PING.Example.ORG`, D), {
    kind: 'ping',
    target: { code: UUID },
  })
})

test('<ping-key>+<slug> at the ping domain names a slug check', () => {
  assert.deepEqual(parseEmailRecipient(`abcdefghijklmnopqrstuv+nightly-backup@${D}`, D), {
    kind: 'ping',
    target: { pingKey: 'abcdefghijklmnopqrstuv', slug: 'nightly-backup' },
  })
})

test('another domain, a subdomain or no domain is not ours (no relay)', () => {
  for (const a of [`${UUID}@example.org`, `${UUID}@sub.${D}`, `${UUID}@${D}.evil.org`, UUID]) {
    assert.deepEqual(parseEmailRecipient(a, D), { kind: 'other-domain' }, a)
  }
})

test('other mailboxes at the ping domain are invalid', () => {
  for (const local of [
    'postmaster',
    `${UUID}x`,
    'key+UpperSlug',
    'key+',
    '+slug',
    'key+slug+more',
    UUID.replaceAll('-', ''),
  ]) {
    assert.deepEqual(parseEmailRecipient(`${local}@${D}`, D), { kind: 'invalid-mailbox' }, local)
  }
})

test('pingEmailAddress builds both forms', () => {
  assert.equal(pingEmailAddress(D, { code: UUID }), `${UUID}@${D}`)
  assert.equal(pingEmailAddress(D, { pingKey: 'k', slug: 's' }), `k+s@${D}`)
})
