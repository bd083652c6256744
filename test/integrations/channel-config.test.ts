import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loadConfig } from '../../src/config/index.js'
import { integrationFor, supportedKinds } from '../../src/integrations/index.js'

function masked(kind: string, value: string): Record<string, unknown> {
  const i = integrationFor(kind)
  assert.ok(i, `no integration for ${kind}`)
  return i.maskedConfig(value)
}

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

function refused(kind: string, input: unknown): { field: string; problem: string } {
  const r = parse(kind, input)
  assert.ok(!r.ok, `expected ${kind} input to be refused`)
  return { field: r.error.field, problem: r.error.problem }
}

test('every kind has a label and parses, masks and answers availability', () => {
  const config = loadConfig({})
  for (const kind of supportedKinds()) {
    const i = integrationFor(kind)
    assert.ok(i?.label, kind)
    assert.equal(
      typeof i?.unavailableReason(config),
      i?.unavailableReason(config) === null ? 'object' : 'string',
    )
  }
})

test('URL kinds accept a bare URL or {url} and store the bare URL', () => {
  for (const kind of [
    'slack',
    'mattermost',
    'rocketchat',
    'msteamsw',
    'googlechat',
    'pagertree',
    'spike',
    'victorops',
  ]) {
    assert.equal(stored(kind, 'https://hooks.example.com/a/b'), 'https://hooks.example.com/a/b')
    assert.equal(
      stored(kind, { url: ' https://hooks.example.com/x ' }),
      'https://hooks.example.com/x',
    )
  }
})

test('URL kinds refuse missing, non-http and overlong URLs, naming the field', () => {
  assert.deepEqual(refused('slack', {}), { field: 'url', problem: 'is required' })
  assert.deepEqual(refused('slack', 'ftp://x.example.com/'), {
    field: 'url',
    problem: 'must start with http:// or https://',
  })
  assert.deepEqual(refused('mattermost', 'not a url'), {
    field: 'url',
    problem: 'must be a valid URL',
  })
  assert.deepEqual(refused('msteamsw', `https://x.example.com/${'a'.repeat(1000)}`), {
    field: 'url',
    problem: 'must be at most 1000 characters',
  })
  assert.deepEqual(refused('googlechat', 42), {
    field: 'url',
    problem: 'expected an object of fields or a string',
  })
})

test('URL kinds mask the secret part of the URL', () => {
  assert.deepEqual(masked('slack', 'https://hooks.slack.com/services/T0/B0/abcdefgh1234'), {
    url: 'https://hooks.slack.com/…1234',
  })
  assert.deepEqual(
    masked('discord', '{"webhook": {"url": "https://discordapp.com/api/webhooks/1/tokenWXYZ"}}'),
    { url: 'https://discord.com/…WXYZ' },
  )
})

test('Discord stores the webhook JSON Healthchecks stores', () => {
  assert.equal(
    stored('discord', 'https://discord.com/api/webhooks/1/t'),
    '{"webhook":{"url":"https://discord.com/api/webhooks/1/t"}}',
  )
})

test('PagerDuty takes an integration key of at most 32 characters', () => {
  assert.equal(stored('pd', { service_key: 'abc123' }), 'abc123')
  assert.equal(stored('pd', 'abc123'), 'abc123')
  assert.equal(refused('pd', 'x'.repeat(33)).field, 'service_key')
  assert.equal(refused('pd', 'with space').field, 'service_key')
  assert.deepEqual(masked('pd', 'abcdef0123456789'), {
    service_key: '…6789',
  })
})

test('Opsgenie takes a key and region us or eu', () => {
  assert.equal(stored('opsgenie', { key: 'k1', region: 'eu' }), '{"key":"k1","region":"eu"}')
  assert.equal(stored('opsgenie', 'k1'), '{"key":"k1","region":"us"}')
  assert.deepEqual(refused('opsgenie', { key: 'k', region: 'asia' }), {
    field: 'region',
    problem: 'must be "us" or "eu"',
  })
  assert.deepEqual(masked('opsgenie', 'legacy-key-0123456789'), {
    key: '…6789',
    region: 'us',
  })
})

test('ntfy validates topic, URL and priorities and stores sorted JSON', () => {
  assert.equal(
    stored('ntfy', { topic: 'alerts', priority: '5', priority_up: 0 }),
    '{"priority":5,"priority_up":0,"token":"","topic":"alerts","url":"https://ntfy.sh"}',
  )
  assert.deepEqual(refused('ntfy', { topic: 'a b' }), {
    field: 'topic',
    problem: 'may contain only letters, digits, - and _',
  })
  assert.deepEqual(refused('ntfy', { topic: 'a', priority: 6 }), {
    field: 'priority',
    problem: 'must be one of 0, 1, 2, 3, 4, 5',
  })
  assert.equal(
    (
      masked(
        'ntfy',
        '{"priority":3,"priority_up":3,"token":"tk_abcdefgh1234","topic":"t","url":"https://ntfy.sh"}',
      ) as { token: string }
    ).token,
    '…1234',
  )
})

test('Gotify needs URL and token; priorities are 0, 2, 5 or 9', () => {
  assert.equal(
    stored('gotify', { url: 'https://gotify.example.com', token: 'Aabc' }),
    '{"priority":5,"priority_up":5,"token":"Aabc","url":"https://gotify.example.com"}',
  )
  assert.equal(refused('gotify', { url: 'https://g.example.com' }).field, 'token')
  assert.equal(
    refused('gotify', { url: 'https://g.example.com', token: 't', priority: 3 }).field,
    'priority',
  )
})

test('email takes an address with up/down toggles', () => {
  assert.equal(
    stored('email', 'alice@example.org'),
    '{"value":"alice@example.org","up":true,"down":true}',
  )
  assert.equal(
    stored('email', { value: 'bob@example.org', up: 'false' }),
    '{"value":"bob@example.org","up":false,"down":true}',
  )
  assert.equal(
    stored('email', { address: 'carol@example.org', down: false }),
    '{"value":"carol@example.org","up":true,"down":false}',
  )
  assert.deepEqual(refused('email', 'nobody'), {
    field: 'address',
    problem: 'must be an email address',
  })
  assert.deepEqual(refused('email', { value: 'nobody' }), {
    field: 'value',
    problem: 'must be an email address',
  })
  assert.deepEqual(refused('email', { value: 'a@b.c', down: 'maybe' }), {
    field: 'down',
    problem: 'must be true or false',
  })
})

test('webhook needs one URL, checks methods and headers, and masks header values', () => {
  const value = stored('webhook', {
    method_down: 'post',
    url_down: 'https://example.com/$CODE',
    body_down: '{"s": "$STATUS"}',
    headers_down: 'Authorization: Bearer secret-token-9876\nX-A: b',
  })
  assert.deepEqual(JSON.parse(value), {
    method_down: 'POST',
    url_down: 'https://example.com/$CODE',
    body_down: '{"s": "$STATUS"}',
    headers_down: { Authorization: 'Bearer secret-token-9876', 'X-A': 'b' },
    method_up: 'GET',
    url_up: '',
    body_up: '',
    headers_up: {},
  })
  const shown = masked('webhook', value) as {
    headers_down: Record<string, string>
  }
  assert.deepEqual(shown.headers_down, { Authorization: '…9876', 'X-A': '…' })
  assert.deepEqual(refused('webhook', { url_up: '' }), {
    field: 'url_down',
    problem: 'at least one of url_down and url_up is required',
  })
  assert.equal(
    refused('webhook', { url_down: 'https://e.com', method_down: 'DELETE' }).field,
    'method_down',
  )
  assert.equal(
    refused('webhook', { url_down: 'https://e.com', headers_down: { 'Bad Name': 'x' } }).field,
    'headers_down',
  )
})
