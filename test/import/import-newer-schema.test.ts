/**
 * Healthchecks v3–v4 rows (built from its migrations, see hc-newer-schema.ts): hashed API keys,
 * check badge keys and filter fields, flip reasons, bodies only in body_raw, a security key, an
 * argon2 password, integration kinds Vigil lacks.
 */
import assert from 'node:assert/strict'
import { createHmac, pbkdf2Sync } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, test } from 'node:test'
import { hash } from '@node-rs/argon2'
import { buildApp } from '../../src/app.js'
import type { TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { optionsFrom, SoftAuthenticator } from '../helpers/soft-authenticator.js'
import { csrfFrom, FormClient } from '../web/form-client.js'
import { createNewerHealthchecksDb } from './hc-newer-schema.js'
import { HC_SECRET_KEY, importContext, runImport } from './import-harness.js'

const ORIGIN = 'http://localhost:8000'
const RW_KEY = 'hcw_AbCdEfGh0123456789abcdefghij'
const RO_KEY = 'hcr_ZyXwVuTs9876543210zyxwvutsrq'
const CHECK = '5f0c6a9e-8d0b-4b7e-9c1e-0a3c7d9e2b41'
const CHECK_BADGE = '0e6b5a3c-1f2d-4e8a-9b7c-6d5e4f3a2b1c'

function hashedKey(key: string): string {
  return `${key.slice(4, 12)}.${createHmac('sha256', HC_SECRET_KEY).update(key).digest('hex')}`
}

function djangoPbkdf2(password: string): string {
  const salt = 'fixedsaltfortests'
  const digest = pbkdf2Sync(password, salt, 1000, 32, 'sha256').toString('base64')
  return `pbkdf2_sha256$1000$${salt}$${digest}`
}

const hex = (uuid: string) => uuid.replace(/-/g, '')

describeEachDatabase('import from a Healthchecks v3–v4 database', (dialect) => {
  let ctx: TestContext
  let dir: string
  let file: string
  let key: SoftAuthenticator

  beforeEach(async () => {
    ctx = await importContext(dialect)
    dir = mkdtempSync(join(tmpdir(), 'vigil-hc4-'))
    file = join(dir, 'hc.sqlite')
    key = new SoftAuthenticator(ORIGIN, 'localhost')
    const hc = createNewerHealthchecksDb(file)
    const owner = hc.insert('auth_user', {
      password: djangoPbkdf2('owner-password-1'),
      username: 'owner',
      email: 'Owner@Example.org',
      date_joined: '2025-03-01 10:00:00',
    })
    hc.insert('accounts_profile', {
      user_id: owner,
      ping_log_limit: 3,
      reports: 'daily',
      tz: 'Europe/Berlin',
    })
    const idLength = Buffer.alloc(2)
    idLength.writeUInt16BE(key.credentialId.length)
    const coseKey = (key as unknown as { coseKey(): Buffer }).coseKey()
    hc.insert('accounts_credential', {
      code: 'a'.repeat(32),
      name: 'YubiKey',
      created: '2025-03-02 10:00:00',
      data: Buffer.concat([Buffer.alloc(16), idLength, key.credentialId, coseKey]),
      user_id: owner,
    })
    hc.insert('accounts_credential', {
      code: 'b'.repeat(32),
      name: 'Broken',
      created: '2025-03-02 10:00:00',
      data: Buffer.from('not attested credential data'),
      user_id: owner,
    })
    const teammate = hc.insert('auth_user', {
      password: `argon2${await hash('teammate-password-2')}`,
      username: 'teammate',
      email: 'teammate@example.org',
      date_joined: '2025-03-01 11:00:00',
    })
    hc.insert('accounts_profile', { user_id: teammate })
    const project = hc.insert('accounts_project', {
      code: hex('7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f'),
      name: 'Newer',
      api_key: hashedKey(RW_KEY),
      api_key_readonly: hashedKey(RO_KEY),
      owner_id: owner,
      badge_key: 'owner-badge',
      ping_key: 'lowercaseonlypingkey01',
    })
    hc.insert('accounts_member', { user_id: teammate, project_id: project, role: 'm' })
    const check = hc.insert('api_check', {
      code: hex(CHECK),
      badge_key: hex(CHECK_BADGE),
      name: 'Newer check',
      slug: 'newer-check',
      project_id: project,
      status: 'up',
      created: '2025-03-03 10:00:00',
      last_ping: '2025-03-05 10:00:05.250000',
      alert_after: '2025-03-06 11:00:05.250000',
      last_duration: 12_500_000,
      n_pings: 5,
      filter_http_body: 1,
      filter_default_fail: 1,
      success_kw: 'ok',
    })
    for (let n = 1; n <= 5; n++) {
      hc.insert('api_ping', {
        owner_id: check,
        n,
        kind: n === 4 ? 'fail' : null,
        created: `2025-03-05 10:00:0${n}`,
        body_raw: Buffer.from(`body ${n}`),
        rid: n === 5 ? hex('11111111-2222-4333-8444-555555555555') : null,
      })
    }
    hc.insert('api_flip', {
      owner_id: check,
      created: '2025-03-05 10:00:04',
      processed: '2025-03-05 10:00:05',
      old_status: 'up',
      new_status: 'down',
      reason: 'fail',
    })
    const channel = (kind: string, value: string, extra: Record<string, unknown> = {}) =>
      hc.insert('api_channel', {
        code: hex(crypto.randomUUID()),
        kind,
        value,
        project_id: project,
        created: '2025-03-03 10:00:00',
        ...extra,
      })
    const teams = channel('msteamsw', 'https://example.webhook.office.com/webhookb2/x', {
      last_notify: '2025-03-05 10:00:06',
      last_notify_duration: 250_000,
    })
    hc.insert('api_channel_checks', { channel_id: teams, check_id: check })
    channel('trello', '{"token": "t", "board_name": "b", "list_id": "l"}', { name: 'Board' })
    channel('group', 'abc', { name: 'Everyone' })
    hc.close()
  })
  afterEach(async () => {
    await ctx.drop()
    rmSync(dir, { recursive: true, force: true })
  })

  test('keeps hashed API keys, check badge keys, filters, durations and the newest pings', async () => {
    const report = await runImport(ctx, file)
    assert.equal(report.schema, 'v3+')
    assert.equal(report.created.api_keys, 2)
    assert.equal(report.created.pings, 3)
    assert.equal(report.created.webauthn_credentials, 1)
    const k = ctx.db.kysely
    const check = await k
      .selectFrom('checks')
      .selectAll()
      .where('code', '=', CHECK)
      .executeTakeFirstOrThrow()
    assert.equal(check.badge_key, CHECK_BADGE)
    assert.equal(check.filter_http_body, 1)
    assert.equal(check.filter_default_fail, 1)
    assert.equal(check.last_duration_ms, 12_500)
    assert.equal(check.last_ping, Date.parse('2025-03-05T10:00:05.250Z'))
    const pings = await k
      .selectFrom('pings')
      .select(['n', 'kind', 'body', 'rid'])
      .orderBy('n')
      .execute()
    assert.deepEqual(
      pings.map((p) => [p.n, p.kind, p.body?.toString()]),
      [
        [3, 'success', 'body 3'],
        [4, 'fail', 'body 4'],
        [5, 'success', 'body 5'],
      ],
    )
    assert.equal(pings[2].rid, '11111111-2222-4333-8444-555555555555')
    const flip = await k.selectFrom('flips').selectAll().executeTakeFirstOrThrow()
    assert.equal(flip.reason, 'fail')
    const teams = await k
      .selectFrom('channels')
      .selectAll()
      .where('kind', '=', 'msteamsw')
      .executeTakeFirstOrThrow()
    assert.equal(teams.last_notify_duration_ms, 250)

    const app = await buildApp(ctx)
    try {
      const api = (url: string, apiKey: string) =>
        app.inject({ method: 'GET', url, headers: { 'x-api-key': apiKey } })
      assert.equal((await api('/api/v3/checks/', RW_KEY)).statusCode, 200)
      assert.equal((await api('/api/v3/checks/', RO_KEY)).statusCode, 200)
      assert.equal((await api('/api/v3/checks/', `${RW_KEY.slice(0, -1)}X`)).statusCode, 401)
      const badge = await app.inject({ method: 'GET', url: `/b/2/${CHECK_BADGE}.svg` })
      assert.equal(badge.statusCode, 200)
      const ping = await app.inject({
        method: 'GET',
        url: '/ping/lowercaseonlypingkey01/newer-check',
      })
      assert.equal(ping.body, 'OK')
    } finally {
      await app.close()
    }
  })

  test('lists integration kinds Vigil lacks and unreadable security keys instead of dropping them', async () => {
    const report = await runImport(ctx, file)
    const reasons = report.skipped.map((s) => `${s.table}: ${s.reason}`)
    assert.ok(reasons.includes('api_channel: Vigil has no "trello" integration'))
    assert.ok(reasons.includes('api_channel: Vigil has no "group" integration'))
    assert.ok(
      reasons.some((r) => r.startsWith('accounts_credential: key data not in a readable form')),
    )
    assert.equal(report.created.channels, 1)
  })

  test('users log in with the imported security key or argon2 password', async () => {
    await runImport(ctx, file)
    const app = await buildApp(ctx)
    try {
      const browser = new FormClient(app, ctx.clock)
      const first = await browser.submit('/login', '/login', {
        email: 'owner@example.org',
        password: 'owner-password-1',
      })
      assert.equal(first.headers.location, '/login/second-step')
      const step = await browser.get('/login/second-step')
      const r = await browser.post('/login/second-step', {
        csrf: csrfFrom(step.body),
        method: 'webauthn',
        response: key.assert(optionsFrom(step.body)),
      })
      assert.equal(r.statusCode, 303)
      assert.equal(r.headers.location, '/checks/')
      const mate = await new FormClient(app, ctx.clock).submit('/login', '/login', {
        email: 'teammate@example.org',
        password: 'teammate-password-2',
      })
      assert.equal(mate.headers.location, '/checks/')
    } finally {
      await app.close()
    }
  })
})
