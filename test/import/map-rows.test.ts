import assert from 'node:assert/strict'
import { test } from 'node:test'
import { warnAtFor } from '../../src/checks/index.js'
import { intervalMicros } from '../../src/import/hc-source.js'
import {
  convertLegacyWebhook,
  durationSeconds,
  importablePasswordHash,
  mapApiKey,
  mapChannel,
  mapCheck,
  mapPing,
  mapRole,
  mapUser,
  parseAttestedCredential,
  toMillis,
  toUuid,
} from '../../src/import/map-rows.js'

const lower = (e: string) => e.trim().toLowerCase()

test('Django datetimes from SQLite text and PostgreSQL Dates become epoch milliseconds', () => {
  assert.equal(toMillis('2026-12-06 08:50:02.630363'), Date.parse('2026-12-06T08:50:02.630Z'))
  assert.equal(toMillis('2026-09-14 08:12:31'), Date.parse('2026-09-14T08:12:31Z'))
  assert.equal(toMillis('2026-09-14 08:12:31+02:00'), Date.parse('2026-09-14T06:12:31Z'))
  assert.equal(toMillis(new Date('2026-01-01T00:00:00Z')), Date.parse('2026-01-01T00:00:00Z'))
  assert.equal(toMillis(null), null)
  assert.equal(toMillis('yesterday'), null)
})

test('UUIDs in Django SQLite form get their dashes, PostgreSQL ones stay', () => {
  assert.equal(toUuid('AC39E49089514F8488F2DB0AF5464306'), 'ac39e490-8951-4f84-88f2-db0af5464306')
  assert.equal(
    toUuid('ac39e490-8951-4f84-88f2-db0af5464306'),
    'ac39e490-8951-4f84-88f2-db0af5464306',
  )
  assert.equal(toUuid(null), '')
  assert.equal(toUuid('not-a-uuid'), '')
})

test('PostgreSQL intervals become microseconds as DurationField stores them on SQLite', () => {
  assert.equal(intervalMicros('00:08:59.145'), 539_145_000)
  assert.equal(intervalMicros('1 day'), 86_400_000_000)
  assert.equal(intervalMicros('1 day 02:00:00'), 93_600_000_000)
  assert.equal(intervalMicros('-00:00:01'), -1_000_000)
  assert.equal(durationSeconds(3_600_000_000), 3600)
})

test('a user keeps the Django hash; an unusable one becomes no password', () => {
  const u = mapUser(
    {
      id: 2,
      email: ' Maria@Example.com ',
      password: 'pbkdf2_sha256$600000$s$h=',
      date_joined: '2026-09-15 10:03:12',
    },
    {
      tz: 'Europe/Riga',
      reports: 'weekly',
      nag_period: 3_600_000_000,
      totp: 'ABC',
      ping_log_limit: 500,
    },
    lower,
  )
  assert.ok(!('skip' in u))
  assert.equal(u.user.email, 'maria@example.com')
  assert.equal(u.user.password_hash, 'pbkdf2_sha256$600000$s$h=')
  assert.equal(u.user.nag_period, 3600)
  assert.equal(u.user.reports, 'weekly')
  assert.equal(u.pingLogLimit, 500)
  assert.deepEqual(u.totp, { secret: 'ABC', created: Date.parse('2026-09-15T10:03:12Z') })
  assert.equal(importablePasswordHash('!unusable'), null)
  assert.equal(importablePasswordHash(''), null)
  assert.deepEqual(mapUser({ id: 9, email: '' }, undefined, lower), {
    skip: 'no email address (Vigil logs in by email)',
  })
})

test('a user inactive in Healthchecks is imported without a password', () => {
  const u = mapUser(
    { id: 4, email: 'gone@example.com', password: 'pbkdf2_sha256$1$s$h=', is_active: false },
    undefined,
    lower,
  )
  assert.ok(!('skip' in u))
  assert.equal(u.inactive, true)
  assert.equal(u.user.password_hash, null)
})

test('profiles of Healthchecks before v1.20 map reports_allowed to monthly reports', () => {
  const u = mapUser({ id: 1, email: 'a@example.com' }, { reports_allowed: true }, lower)
  assert.ok(!('skip' in u))
  assert.equal(u.user.reports, 'monthly')
})

test('plain API keys are stored as Vigil stores a given key; hashed ones are kept verbatim', () => {
  const stored = (k: string) => ({ stored: `S(${k})`, lookup: `L(${k})` })
  assert.deepEqual(mapApiKey('P-cylKM9AsVjPap1BpdfsFJqPCZu4KOZ', false, stored), {
    readonly: 0,
    stored: 'S(P-cylKM9AsVjPap1BpdfsFJqPCZu4KOZ)',
    lookup: 'L(P-cylKM9AsVjPap1BpdfsFJqPCZu4KOZ)',
  })
  const hashed = `AbCdEfGh.${'0a'.repeat(32)}`
  assert.deepEqual(mapApiKey(hashed, true, stored), {
    readonly: 1,
    lookup: 'AbCdEfGh',
    stored: hashed,
  })
  assert.equal(mapApiKey('', false, stored), null)
})

test('member roles: r, w, m as they are; no role (before v1.21) is a member', () => {
  assert.equal(mapRole({ role: 'm' }), 'm')
  assert.equal(mapRole({}), 'w')
})

test('check durations become seconds and ms, and every filter field is carried', () => {
  const c = mapCheck({
    code: 'da947048451f486b9fa371aa4196dd4b',
    kind: 'cron',
    schedule: '50 */2 * * *',
    timeout: 86_400_000_000,
    grace: 3_600_000_000,
    last_duration: 736_510_000,
    filter_subject: 1,
    filter_body: false,
    success_kw: 'ok',
    status: 'up',
  })
  assert.ok(!('skip' in c))
  assert.equal(c.timeout, 86400)
  assert.equal(c.grace, 3600)
  assert.equal(c.last_duration_ms, 736_510)
  assert.equal(c.filter_subject, 1)
  assert.equal(c.filter_body, 0)
  assert.equal(c.filter_http_body, 0)
  assert.equal(c.badge_key, null)
  assert.deepEqual(mapCheck({ code: 'da947048451f486b9fa371aa4196dd4b', kind: 'weird' }), {
    skip: 'schedule kind "weird" is unknown to Vigil',
  })
})

test('a check gets no warning stage, and warn_at follows alert_after by the same rule', () => {
  const c = mapCheck({
    code: 'da947048451f486b9fa371aa4196dd4b',
    grace: 600_000_000,
    alert_after: '2026-01-15T11:05:00Z',
    status: 'up',
  })
  assert.ok(!('skip' in c))
  assert.equal(c.alert_after, Date.parse('2026-01-15T11:05:00Z'))
  assert.equal(c.warn_after, null)
  assert.equal(c.warn_at, warnAtFor({ warn_after: null, grace: 600 }, c.alert_after ?? null))
  assert.equal(c.warn_at, null)
})

test('pings: NULL kind is a success, legacy text bodies are kept, empty bodies are none', () => {
  const legacy = mapPing({
    n: 7,
    kind: null,
    body: 'hello',
    body_raw: null,
    created: '2026-01-01 00:00:00',
  })
  assert.ok(!('skip' in legacy))
  assert.equal(legacy.kind, 'success')
  assert.equal(legacy.body?.toString(), 'hello')
  const empty = mapPing({
    n: 8,
    kind: 'ign',
    body_raw: Buffer.alloc(0),
    created: '2026-01-01 00:00:00',
  })
  assert.ok(!('skip' in empty))
  assert.equal(empty.kind, 'ign')
  assert.equal(empty.body, null)
  assert.deepEqual(mapPing({ n: null }), { skip: 'no sequence number' })
})

test('channels keep Healthchecks values; kinds Vigil lacks are refused with the reason', () => {
  const kinds = new Set(['email', 'webhook'])
  const email = mapChannel(
    {
      code: '64acb2122d2a4b4685a913aafe0b4e2d',
      kind: 'email',
      value: 'a@example.com',
      disabled: null,
    },
    kinds,
  )
  assert.ok(!('skip' in email))
  assert.equal(email.value, 'a@example.com')
  assert.equal(email.disabled, 0)
  assert.deepEqual(
    mapChannel({ code: '64acb2122d2a4b4685a913aafe0b4e2d', kind: 'trello' }, kinds),
    {
      skip: 'Vigil has no "trello" integration',
    },
  )
})

test('a webhook stored as lines (before v1.15) becomes the JSON form', () => {
  const v = JSON.parse(
    convertLegacyWebhook('https://x.example/down\nhttps://x.example/up\n{"a":1}'),
  )
  assert.equal(v.url_down, 'https://x.example/down')
  assert.equal(v.url_up, 'https://x.example/up')
  assert.equal(v.method_down, 'POST')
  assert.equal(v.body_down, '{"a":1}')
  const json = '{"url_down": "https://x.example"}'
  assert.equal(convertLegacyWebhook(json), json)
})

test('WebAuthn AttestedCredentialData splits into id and COSE key; other bytes are refused', () => {
  const id = Buffer.from('credential-id-bytes')
  const len = Buffer.alloc(2)
  len.writeUInt16BE(id.length)
  const cose = Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26])
  const parsed = parseAttestedCredential(Buffer.concat([Buffer.alloc(16, 1), len, id, cose]))
  assert.deepEqual(parsed, {
    credentialId: id.toString('base64url'),
    publicKey: cose.toString('base64url'),
    aaguid: '01010101-0101-0101-0101-010101010101',
  })
  assert.equal(parseAttestedCredential(Buffer.from('short')), null)
  assert.equal(
    parseAttestedCredential(Buffer.concat([Buffer.alloc(16), len, id, Buffer.from('x')])),
    null,
  )
})
