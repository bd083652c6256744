import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadConfig } from '../../src/config/index.js'
import { integrationFor } from '../../src/integrations/index.js'

function parse(kind: string, input: unknown) {
  const i = integrationFor(kind)
  assert.ok(i, `no integration for ${kind}`)
  return i.parseConfig(input)
}
function stored(kind: string, input: unknown): string {
  const r = parse(kind, input)
  assert.ok(r.ok, `expected ${kind} input to be accepted: ${JSON.stringify(r)}`)
  return r.value
}
function refusedField(kind: string, input: unknown): string {
  const r = parse(kind, input)
  assert.ok(!r.ok, `expected ${kind} input to be refused`)
  return r.error.field
}

test('Pushover stores key|prio|prio_up and accepts -3..2 only', () => {
  assert.equal(stored('po', { user_key: 'abc123', priority: 2, priority_up: -3 }), 'abc123|2|-3')
  assert.equal(stored('po', { user_key: 'abc123' }), 'abc123|0|0')
  assert.equal(refusedField('po', { user_key: 'abc123', priority: 3 }), 'priority')
  assert.equal(refusedField('po', { user_key: 'a b' }), 'user_key')
  assert.deepEqual(integrationFor('po')?.maskedConfig('uQiRzpo4DXghDmr9QzzfQu27cmVRsG|2|0'), {
    user_key: '…VRsG',
    priority: 2,
    priority_up: 0,
  })
  assert.equal(integrationFor('po')?.isNoop('k|-3|0', 'down'), true)
})

test('Telegram needs an integer chat id', () => {
  assert.equal(
    stored('telegram', { id: '-100123', type: 'group', name: 'Ops' }),
    '{"id":-100123,"type":"group","name":"Ops","thread_id":null}',
  )
  assert.equal(refusedField('telegram', { id: 'abc' }), 'id')
})

test('Zulip needs bot e-mail, key, site and recipient', () => {
  assert.equal(
    stored('zulip', { bot_email: 'b@z.org', api_key: 'k', site: 'https://z.org/', to: 'ops' }),
    '{"api_key":"k","bot_email":"b@z.org","mtype":"stream","site":"https://z.org","to":"ops","topic":""}',
  )
  assert.equal(
    refusedField('zulip', { bot_email: 'b@z.org', api_key: 'k', site: 'x', to: 'o' }),
    'site',
  )
  assert.equal(
    refusedField('zulip', {
      bot_email: 'b@z.org',
      api_key: 'k',
      site: 'https://z.org',
      to: 'o',
      mtype: 'dm',
    }),
    'mtype',
  )
})

test('Matrix takes a room id', () => {
  assert.equal(stored('matrix', '!abc:example.org'), '!abc:example.org')
  assert.equal(refusedField('matrix', '#alias:example.org'), 'room_id')
})

test('phone kinds take international numbers; Signal also usernames', () => {
  assert.equal(
    stored('sms', { value: '+1 (555) 123-4567' }),
    '{"value":"+15551234567","label":"","up":false,"down":true}',
  )
  assert.equal(refusedField('sms', { value: '555' }), 'value')
  assert.equal(refusedField('sms', { value: '+15551234567', up: false, down: false }), 'down')
  assert.equal(stored('call', '+15551234567'), '{"value":"+15551234567","label":""}')
  assert.equal(
    stored('signal', { value: 'alice.01' }),
    '{"value":"u:alice.01","label":"","up":true,"down":true}',
  )
  assert.deepEqual(integrationFor('sms')?.maskedConfig('{"value":"+15551234567"}'), {
    value: '+15…4567',
    label: '',
    up: false,
    down: true,
  })
})

test('Shell needs at least one command; Apprise needs a scheme URL', () => {
  assert.equal(stored('shell', { cmd_down: 'echo down' }), '{"cmd_down":"echo down","cmd_up":""}')
  assert.equal(refusedField('shell', {}), 'cmd_down')
  assert.equal(stored('apprise', 'json://localhost/'), 'json://localhost/')
  assert.equal(refusedField('apprise', 'not a url'), 'url')
})

test('availability follows the settings', () => {
  const off = loadConfig({})
  for (const kind of [
    'po',
    'telegram',
    'matrix',
    'sms',
    'call',
    'whatsapp',
    'signal',
    'apprise',
    'shell',
  ])
    assert.equal(typeof integrationFor(kind)?.unavailableReason(off), 'string', kind)
  assert.equal(integrationFor('zulip')?.unavailableReason(off), null)
  assert.equal(integrationFor('pushbullet')?.unavailableReason(off), null)
  const on = loadConfig({
    PUSHOVER_API_TOKEN: 't',
    TELEGRAM_TOKEN: 't',
    MATRIX_HOMESERVER: 'https://m.org',
    MATRIX_ACCESS_TOKEN: 't',
    TWILIO_ACCOUNT: 'a',
    TWILIO_AUTH: 'b',
    TWILIO_FROM: '+1555',
    SIGNAL_CLI_SOCKET: '/run/signal.sock',
    APPRISE_ENABLED: 'True',
    SHELL_ENABLED: 'True',
  })
  for (const kind of ['po', 'telegram', 'matrix', 'sms', 'call', 'signal', 'apprise', 'shell'])
    assert.equal(integrationFor(kind)?.unavailableReason(on), null, kind)
  assert.equal(
    integrationFor('whatsapp')?.unavailableReason(on),
    'WhatsApp notifications are not enabled.',
  )
})
