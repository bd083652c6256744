import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import {
  type ApiHarness,
  assertCors,
  assertError,
  call,
  channelCodesOfCheck,
  createApiHarness,
} from './api-harness.js'

const WEBHOOK = {
  method_down: 'POST',
  url_down: 'https://hooks.example.com/down?token=abcdefghijkl',
  body_down: '$NAME is down',
  headers_down: { Authorization: 'Bearer 0123456789secret' },
  method_up: 'GET',
  url_up: 'https://hooks.example.com/up',
  body_up: '',
  headers_up: {},
}

describeEachDatabase('API v3: channel provisioning', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect, { SLACK_ENABLED: 'True', DISCORD_ENABLED: 'False' })
  })
  afterEach(() => h.close())

  const create = (body: unknown, key = h.alice.apiKey) =>
    call(h.app, 'POST', '/api/v3/channels/', { key, body })

  function readChannel(code: string) {
    return h.ctx.db.kysely
      .selectFrom('channels')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirst()
  }

  test('it creates a webhook channel and answers 201 with its masked config', async () => {
    const r = await create({ kind: 'webhook', name: 'Ops hook', config: WEBHOOK })
    assert.equal(r.statusCode, 201, r.body)
    const json = r.json()
    assert.match(json.id, /^[0-9a-f-]{36}$/)
    assert.equal(json.name, 'Ops hook')
    assert.equal(json.kind, 'webhook')
    assert.deepEqual(json.checks, [])
    assert.equal(json.config.method_down, 'POST')
    assert.equal(json.config.headers_down.Authorization, '…cret')
    assert.doesNotMatch(r.body, /0123456789secret/)
    // Stored in Healthchecks' format, so an exported project reads the same.
    const row = await readChannel(json.id)
    assert.ok(row)
    assert.deepEqual(JSON.parse(row.value), WEBHOOK)
    assert.equal(row.project_id, h.alice.project.id)
    const list = await call(h.app, 'GET', '/api/v3/channels/', { key: h.alice.apiKey })
    assert.deepEqual(list.json().channels[1], { id: json.id, name: 'Ops hook', kind: 'webhook' })
  })

  test('it creates URL channels from {"url": …} and masks the secret part', async () => {
    const url = 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX'
    const r = await create({ kind: 'slack', config: { url } })
    assert.equal(r.statusCode, 201, r.body)
    assert.deepEqual(r.json().config, { url: 'https://hooks.slack.com/…XXXX' })
    assert.equal((await readChannel(r.json().id))?.value, url)
  })

  test("an email channel is verified only for the owner's own address", async () => {
    const own = await create({ kind: 'email', config: { address: 'Alice@Example.org' } })
    assert.equal(own.statusCode, 201, own.body)
    assert.equal(own.json().email_verified, true)
    assert.deepEqual(own.json().config, {
      address: 'Alice@Example.org',
      value: 'Alice@Example.org',
      up: true,
      down: true,
    })
    const other = await create({ kind: 'email', config: { value: 'ops@example.com', up: false } })
    assert.equal(other.json().email_verified, false)
    assert.equal((await readChannel(other.json().id))?.email_verified, 0)
  })

  test('"checks" assigns every check of the project or the listed ones', async () => {
    const a = await buildCheck(h.ctx, h.alice.project, {})
    const b = await buildCheck(h.ctx, h.alice.project, {})
    await buildCheck(h.ctx, h.bob.project, {})
    const all = await create({ kind: 'webhook', config: WEBHOOK, checks: '*' })
    assert.deepEqual(all.json().checks, [a.code, b.code])
    const one = await create({ kind: 'webhook', config: WEBHOOK, checks: [b.code, b.code] })
    assert.deepEqual(one.json().checks, [b.code])
    assert.deepEqual(await channelCodesOfCheck(h.ctx, b.id), [all.json().id, one.json().id].sort())
    // The check API shows the assignment too.
    const check = await call(h.app, 'GET', `/api/v3/checks/${a.code}`, { key: h.alice.apiKey })
    assert.equal(check.json().channels, all.json().id)
  })

  test("another project's check or a malformed UUID in checks is a 400 and creates nothing", async () => {
    const bobs = await buildCheck(h.ctx, h.bob.project, {})
    assertError(
      await create({ kind: 'webhook', config: WEBHOOK, checks: [bobs.code] }),
      400,
      `json validation error: checks has no check ${bobs.code} in this project`,
    )
    assertError(
      await create({ kind: 'webhook', config: WEBHOOK, checks: ['nope'] }),
      400,
      "json validation error: an item in 'checks' is not a check UUID",
    )
    assertError(
      await create({ kind: 'webhook', config: WEBHOOK, checks: 'all' }),
      400,
      'json validation error: checks is not "*" or an array',
    )
    const list = await call(h.app, 'GET', '/api/v3/channels/', { key: h.alice.apiKey })
    assert.equal(list.json().channels.length, 1)
  })

  test('a bad kind or config is a 400 naming the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ config: WEBHOOK }, /^json validation error: kind is required$/],
      [{ kind: 7, config: WEBHOOK }, /^json validation error: kind is not a string$/],
      [
        { kind: 'carrier-pigeon', config: {} },
        /^json validation error: kind has unexpected value \(supported: email, webhook, /,
      ],
      [{ kind: 'webhook' }, /^json validation error: config is required$/],
      [
        { kind: 'webhook', config: { url_down: 'ftp://x' } },
        /^json validation error: config\.url_down /,
      ],
      [{ kind: 'webhook', config: {} }, /^json validation error: config\.url_down /],
      [
        { kind: 'email', config: { value: 'not-an-address' } },
        /^json validation error: config\.value /,
      ],
      [{ kind: 'slack', config: { url: 42 } }, /^json validation error: config\.url /],
      [
        { kind: 'webhook', name: 'x'.repeat(101), config: WEBHOOK },
        /^json validation error: name is too long \(at most 100 characters\)$/,
      ],
      [
        { kind: 'webhook', name: null, config: WEBHOOK },
        /^json validation error: name is not a string$/,
      ],
    ]
    for (const [body, message] of cases) {
      const r = await create(body)
      assert.equal(r.statusCode, 400, JSON.stringify(body))
      assert.match(r.json().error, message, JSON.stringify(body))
    }
  })

  test('a kind switched off on this instance is refused with the reason', async () => {
    const r = await create({
      kind: 'discord',
      config: { url: 'https://discord.com/api/webhooks/1/x' },
    })
    assertError(
      r,
      400,
      'json validation error: kind is not available here: Discord notifications are not enabled.',
    )
  })

  test('read-only and missing keys cannot write; api_key in the body works', async () => {
    assertError(
      await create({ kind: 'webhook', config: WEBHOOK }, h.alice.apiKeyReadonly),
      401,
      'wrong api key',
    )
    assertError(
      await call(h.app, 'POST', '/api/v3/channels/', {
        body: { kind: 'webhook', config: WEBHOOK },
      }),
      401,
      'missing api key',
    )
    const r = await call(h.app, 'POST', '/api/v3/channels/', {
      body: { api_key: h.alice.apiKey, kind: 'webhook', config: WEBHOOK },
    })
    assert.equal(r.statusCode, 201)
  })

  test('bad JSON is a 400 before anything else', async () => {
    assertError(
      await call(h.app, 'POST', '/api/v3/channels/', { key: h.alice.apiKey, body: '{"kind":' }),
      400,
      'could not parse request body',
    )
  })

  test('GET one answers its JSON, 403 for another project, 404 for unknown', async () => {
    const check = await buildCheck(h.ctx, h.alice.project, {})
    const hook = await buildChannel(h.ctx, h.alice.project, 'webhook', WEBHOOK, [check])
    const bobs = await buildChannel(h.ctx, h.bob.project, 'webhook', WEBHOOK)
    const r = await call(h.app, 'GET', `/api/v3/channels/${hook.code}`, { key: h.alice.apiKey })
    assert.equal(r.statusCode, 200)
    assert.equal(r.json().id, hook.code)
    assert.deepEqual(r.json().checks, [check.code])
    assertCors(r, 'GET, POST, DELETE, OPTIONS')
    const forbidden = await call(h.app, 'GET', `/api/v3/channels/${bobs.code}`, {
      key: h.alice.apiKey,
    })
    assert.equal(forbidden.statusCode, 403)
    assert.equal(forbidden.body, '')
    for (const code of [crypto.randomUUID(), 'not-a-uuid', hook.code.toUpperCase()]) {
      const nf = await call(h.app, 'GET', `/api/v3/channels/${code}`, { key: h.alice.apiKey })
      assert.equal(nf.statusCode, 404, code)
    }
    assertError(
      await call(h.app, 'GET', `/api/v3/channels/${hook.code}`, { key: h.alice.apiKeyReadonly }),
      401,
      'wrong api key',
    )
  })

  test('GET one shows the last delivery, so a failing channel is visible to scripts', async () => {
    const hook = await buildChannel(h.ctx, h.alice.project, 'webhook', WEBHOOK)
    const fresh = await call(h.app, 'GET', `/api/v3/channels/${hook.code}`, { key: h.alice.apiKey })
    assert.deepEqual(
      [fresh.json().last_notify, fresh.json().last_error, fresh.json().disabled],
      [null, '', false],
    )
    await h.ctx.db.kysely
      .updateTable('channels')
      .set({
        last_notify: Date.parse('2026-01-15T12:00:00Z'),
        last_error: 'Received status code 500',
      })
      .where('id', '=', hook.id)
      .execute()
    const failed = await call(h.app, 'GET', `/api/v3/channels/${hook.code}`, {
      key: h.alice.apiKey,
    })
    assert.equal(failed.json().last_notify, '2026-01-15T12:00:00+00:00')
    assert.equal(failed.json().last_error, 'Received status code 500')
  })

  test('the single-channel endpoints exist only under v3', async () => {
    const hook = await buildChannel(h.ctx, h.alice.project, 'webhook', WEBHOOK)
    for (const v of [1, 2]) {
      const r = await call(h.app, 'GET', `/api/v${v}/channels/${hook.code}`, {
        key: h.alice.apiKey,
      })
      assert.equal(r.statusCode, 404)
    }
  })

  test('update renames, replaces config and checks, and leaves absent fields alone', async () => {
    const a = await buildCheck(h.ctx, h.alice.project, {})
    const b = await buildCheck(h.ctx, h.alice.project, {})
    const created = (
      await create({ kind: 'webhook', name: 'old', config: WEBHOOK, checks: [a.code] })
    ).json()
    const url = `/api/v3/channels/${created.id}`
    const renamed = await call(h.app, 'POST', url, { key: h.alice.apiKey, body: { name: 'new' } })
    assert.equal(renamed.statusCode, 200, renamed.body)
    assert.equal(renamed.json().name, 'new')
    assert.deepEqual(renamed.json().checks, [a.code])
    assert.deepEqual(renamed.json().config, created.config)

    const config = { url_down: 'https://other.example.com/x' }
    const r = await call(h.app, 'POST', url, {
      key: h.alice.apiKey,
      body: { kind: 'webhook', config, checks: [b.code] },
    })
    assert.equal(r.statusCode, 200, r.body)
    assert.equal(r.json().config.url_down, 'https://other.example.com/x')
    assert.equal(r.json().config.url_up, '')
    assert.deepEqual(r.json().checks, [b.code])
    assert.equal(r.json().name, 'new')
    assert.deepEqual(await channelCodesOfCheck(h.ctx, a.id), [])
  })

  test('update refuses a kind change and a bad config, changing nothing', async () => {
    const hook = await buildChannel(h.ctx, h.alice.project, 'webhook', WEBHOOK)
    const url = `/api/v3/channels/${hook.code}`
    assertError(
      await call(h.app, 'POST', url, { key: h.alice.apiKey, body: { kind: 'email', name: 'x' } }),
      400,
      'json validation error: kind cannot be changed',
    )
    const bad = await call(h.app, 'POST', url, {
      key: h.alice.apiKey,
      body: { name: 'x', config: { url_down: 'nope' } },
    })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.json().error, /^json validation error: config\.url_down /)
    const row = await readChannel(hook.code)
    assert.equal(row?.name, '')
    assert.equal(row?.value, hook.value)
  })

  test("update and delete answer 403 for another project's channel and change nothing", async () => {
    const bobs = await buildChannel(h.ctx, h.bob.project, 'webhook', WEBHOOK)
    const url = `/api/v3/channels/${bobs.code}`
    const upd = await call(h.app, 'POST', url, { key: h.alice.apiKey, body: { name: 'mine' } })
    assert.equal(upd.statusCode, 403)
    const del = await call(h.app, 'DELETE', url, { key: h.alice.apiKey })
    assert.equal(del.statusCode, 403)
    const row = await readChannel(bobs.code)
    assert.equal(row?.name, '')
    const missing = `/api/v3/channels/${crypto.randomUUID()}`
    assert.equal(
      (await call(h.app, 'POST', missing, { key: h.alice.apiKey, body: {} })).statusCode,
      404,
    )
    assert.equal((await call(h.app, 'DELETE', missing, { key: h.alice.apiKey })).statusCode, 404)
    assertError(
      await call(h.app, 'DELETE', url, { key: h.alice.apiKeyReadonly }),
      401,
      'wrong api key',
    )
  })

  test('delete answers the channel as it was and removes it and its assignments', async () => {
    const check = await buildCheck(h.ctx, h.alice.project, {})
    const hook = await buildChannel(h.ctx, h.alice.project, 'webhook', WEBHOOK, [check])
    const r = await call(h.app, 'DELETE', `/api/v3/channels/${hook.code}`, { key: h.alice.apiKey })
    assert.equal(r.statusCode, 200)
    assert.equal(r.json().id, hook.code)
    assert.deepEqual(r.json().checks, [check.code])
    assert.equal(await readChannel(hook.code), undefined)
    assert.deepEqual(await channelCodesOfCheck(h.ctx, check.id), [])
    const again = await call(h.app, 'DELETE', `/api/v3/channels/${hook.code}`, {
      key: h.alice.apiKey,
    })
    assert.equal(again.statusCode, 404)
  })
})
