import assert from 'node:assert/strict'
import { test } from 'node:test'
import { smsCodeText } from '../../src/accounts/codes/sms-code.js'
import { maskPhoneNumber, parsePhoneNumber } from '../../src/accounts/factors/phone/phone-number.js'
import { reauthMethods, type UserFactors } from '../../src/accounts/sudo/reauth-methods.js'
import { canSendSms, loadConfig } from '../../src/config/index.js'

const passwordAndPhone: UserFactors = {
  password: true,
  totp: false,
  recoveryCodes: 0,
  webauthnKeys: 0,
  otherRpKeys: 0,
  verifiedPhone: true,
}
const cap = {
  mailCanGo: false,
  webauthnEnabled: true,
  emailCodeMode: 'fallback_only' as const,
  smsCanGo: true,
  downgrade: false,
}

test('RA-4 sms_code comes last, only with the sms capability and a verified phone', () => {
  assert.deepEqual(reauthMethods(passwordAndPhone, cap), ['password', 'sms_code'])
  assert.deepEqual(reauthMethods(passwordAndPhone, { ...cap, smsCanGo: false }), ['password'])
  assert.deepEqual(reauthMethods({ ...passwordAndPhone, verifiedPhone: false }, cap), ['password'])
  const always = { ...cap, mailCanGo: true, emailCodeMode: 'always' as const }
  assert.deepEqual(reauthMethods(passwordAndPhone, always), ['password', 'email_code', 'sms_code'])
})

test('RA-5 OOB-4 sms_code is never offered for a class D action, with or without 2FA', () => {
  assert.deepEqual(reauthMethods(passwordAndPhone, { ...cap, downgrade: true }), ['password'])
  const withTotp = { ...passwordAndPhone, totp: true, recoveryCodes: 10 }
  assert.deepEqual(reauthMethods(withTotp, { ...cap, downgrade: true }), ['totp', 'recovery_code'])
})

test('OOB-4 phone numbers are taken in E.164 only, typed separators dropped', () => {
  for (const [input, e164] of [
    ['+14155550123', '+14155550123'],
    [' +1 (415) 555-0123 ', '+14155550123'],
    ['+44 20.7946.0958', '+442079460958'],
  ]) {
    assert.deepEqual(parsePhoneNumber(input), { ok: true, value: e164 }, input)
  }
  for (const input of [
    '',
    '4155550123',
    '+0123456789',
    '+1234567',
    '+1234567890123456',
    '+1 415 ABC',
    '++14155550123',
  ])
    assert.equal(parsePhoneNumber(input).ok, false, input)
  assert.equal(maskPhoneNumber('+14155550123'), '•••• 0123')
})

test('OOB-4 the text message is only "{code} is your {SITE_NAME} confirmation code"', () => {
  assert.equal(
    smsCodeText('042137', 'Acme Monitor'),
    '042137 is your Acme Monitor confirmation code',
  )
})

test('RA-4 SMS_REAUTH_ENABLED defaults to off; Twilio counts as configured only with a sender', () => {
  assert.equal(loadConfig({}).accounts.smsReauthEnabled, false)
  assert.equal(loadConfig({ SMS_REAUTH_ENABLED: 'True' }).accounts.smsReauthEnabled, true)
  const twilio = { TWILIO_ACCOUNT: 'AC1', TWILIO_AUTH: 'secret' }
  assert.equal(canSendSms(loadConfig(twilio)), false)
  assert.equal(canSendSms(loadConfig({ ...twilio, TWILIO_FROM: '+15005550006' })), true)
  assert.equal(canSendSms(loadConfig({ ...twilio, TWILIO_MESSAGING_SERVICE_SID: 'MG1' })), true)
  assert.equal(loadConfig({}).accounts.smsTimeoutMs, 10_000)
  assert.throws(() => loadConfig({ SMS_TIMEOUT: '0' }), /SMS_TIMEOUT/)
})
