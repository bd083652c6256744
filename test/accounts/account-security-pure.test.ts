import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  newRecoveryCode,
  normaliseRecoveryCode,
} from '../../src/accounts/factors/recovery-codes/recovery-codes.js'
import { openSecret, sealSecret, secretBoxKey } from '../../src/accounts/factors/secret-box.js'
import { webauthnCapability } from '../../src/accounts/factors/security-keys/webauthn-capability.js'
import {
  matchTotpStep,
  newTotpSecret,
  totpCodeAt,
  totpStep,
  totpUri,
} from '../../src/accounts/factors/totp/totp.js'
import {
  hasSecondFactor,
  isSudoActive,
  reauthMethods,
  type UserFactors,
} from '../../src/accounts/sudo/reauth-methods.js'
import { loadConfig } from '../../src/config/index.js'

const none: UserFactors = {
  password: false,
  totp: false,
  recoveryCodes: 0,
  webauthnKeys: 0,
  otherRpKeys: 0,
}
const cap = {
  mailCanGo: false,
  webauthnEnabled: true,
  emailCodeMode: 'fallback_only' as const,
  downgrade: false,
}

test('RA-4 methods come in order: key, app, recovery code, password', () => {
  const all = { password: true, totp: true, recoveryCodes: 3, webauthnKeys: 1, otherRpKeys: 0 }
  assert.deepEqual(reauthMethods(all, cap), ['webauthn', 'totp', 'recovery_code', 'password'])
  assert.deepEqual(reauthMethods(all, { ...cap, webauthnEnabled: false }), [
    'totp',
    'recovery_code',
    'password',
  ])
})

test('RA-4 an emailed code is offered only when mail can go and the user has nothing else', () => {
  assert.deepEqual(reauthMethods(none, cap), [])
  assert.deepEqual(reauthMethods(none, { ...cap, mailCanGo: true }), ['email_code'])
  assert.deepEqual(reauthMethods({ ...none, password: true }, { ...cap, mailCanGo: true }), [
    'password',
  ])
  assert.deepEqual(
    reauthMethods(
      { ...none, password: true },
      { ...cap, mailCanGo: true, emailCodeMode: 'always' },
    ),
    ['password', 'email_code'],
  )
})

test('RA-5 a downgrade with 2FA on accepts only second factors', () => {
  const f = { ...none, password: true, totp: true, recoveryCodes: 10 }
  assert.deepEqual(
    reauthMethods(f, { ...cap, downgrade: true, mailCanGo: true, emailCodeMode: 'always' }),
    ['totp', 'recovery_code'],
  )
  assert.equal(hasSecondFactor(f), true)
  // Without 2FA there is nothing to downgrade to: the password still works.
  assert.deepEqual(reauthMethods({ ...none, password: true }, { ...cap, downgrade: true }), [
    'password',
  ])
})

test('RA-2 the sudo window is absolute: good at exactly SUDO_TTL, gone a millisecond later', () => {
  assert.equal(isSudoActive(1000, 1000 + 1800_000, 1800), true)
  assert.equal(isSudoActive(1000, 1000 + 1800_001, 1800), false)
  assert.equal(isSudoActive(null, 1000, 1800), false)
})

test('TOTP-1 RFC 6238 SHA-1 vector: 59 s gives 287082 (6 digits)', () => {
  // The RFC's key "12345678901234567890" in base32.
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
  assert.equal(totpCodeAt(secret, 59_000), '287082')
  assert.equal(matchTotpStep(secret, '287082', 59_000, 1), 1)
  assert.equal(matchTotpStep(secret, '287 082', 59_000, 1), 1)
})

test('TOTP-1 a code matches one step either side and no further', () => {
  const secret = newTotpSecret()
  const now = Date.parse('2026-01-15T12:00:10Z')
  const step = totpStep(now)
  assert.equal(matchTotpStep(secret, totpCodeAt(secret, now - 30_000), now, 1), step - 1)
  assert.equal(matchTotpStep(secret, totpCodeAt(secret, now + 30_000), now, 1), step + 1)
  assert.equal(matchTotpStep(secret, totpCodeAt(secret, now - 60_000), now, 1), null)
  assert.equal(matchTotpStep(secret, 'abcdef', now, 1), null)
})

test('TOTP-2 secrets are 20 bytes of base32 and the URI names issuer, algorithm, digits and period', () => {
  const secret = newTotpSecret()
  assert.match(secret, /^[A-Z2-7]{32}$/)
  const uri = totpUri(secret, 'alice@example.org', 'Vigil')
  assert.match(uri, /^otpauth:\/\/totp\/Vigil:alice%40example\.org\?/)
  for (const part of [
    `secret=${secret}`,
    'issuer=Vigil',
    'algorithm=SHA1',
    'digits=6',
    'period=30',
  ])
    assert.ok(uri.includes(part), part)
})

test('TOTP-3 secrets are sealed with AES-256-GCM as v1:… and open only with the same key', () => {
  const a = secretBoxKey(loadConfig({ SECRET_KEY: 'one secret key of some length here' }))
  const b = secretBoxKey(loadConfig({ SECRET_KEY: 'another secret key of some length' }))
  const sealed = sealSecret(a, 'JBSWY3DPEHPK3PXP')
  assert.match(sealed, /^v1:[A-Za-z0-9+/=]+$/)
  assert.notEqual(sealSecret(a, 'JBSWY3DPEHPK3PXP'), sealed, 'a fresh nonce each time')
  assert.equal(openSecret(a, sealed), 'JBSWY3DPEHPK3PXP')
  assert.equal(openSecret(b, sealed), null)
  const explicit = secretBoxKey(
    loadConfig({ ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') }),
  )
  assert.deepEqual(explicit, Buffer.alloc(32, 7))
})

test('RC-1 codes are XXXX-XXXX-XXXX in Crockford base32 and typing slips are forgiven', () => {
  for (let i = 0; i < 50; i++)
    assert.match(
      newRecoveryCode(),
      /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/,
    )
  assert.equal(normaliseRecoveryCode('o1il-abcd-efgh'), '0111ABCDEFGH')
  assert.equal(normaliseRecoveryCode('0111ABCDEFG'), null)
  assert.equal(normaliseRecoveryCode('0111-ABCD-EFGU'), null)
})

test('WA-1 security keys work only with a matching RP ID on https or localhost', () => {
  assert.deepEqual(webauthnCapability(loadConfig({ SITE_ROOT: 'https://hc.example.com' })), {
    enabled: true,
  })
  assert.deepEqual(webauthnCapability(loadConfig({ SITE_ROOT: 'http://localhost:8000' })), {
    enabled: true,
  })
  assert.equal(
    webauthnCapability(
      loadConfig({ SITE_ROOT: 'https://hc.example.com', WEBAUTHN_RP_ID: 'example.com' }),
    ).enabled,
    true,
  )
  assert.equal(
    webauthnCapability(
      loadConfig({ SITE_ROOT: 'https://hc.example.com', WEBAUTHN_RP_ID: 'example.org' }),
    ).enabled,
    false,
  )
  assert.equal(
    webauthnCapability(loadConfig({ SITE_ROOT: 'http://hc.example.com' })).enabled,
    false,
  )
  assert.equal(
    webauthnCapability(loadConfig({ SITE_ROOT: 'http://127.0.0.1:8000' })).enabled,
    false,
  )
})
