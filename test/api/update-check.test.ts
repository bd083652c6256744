import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { Check } from '../../src/db/index.js'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import {
  type ApiHarness,
  assertCors,
  assertError,
  call,
  channelCodesOfCheck,
  createApiHarness,
  readCheck,
} from './api-harness.js'

const HOUR = 3600_000

describeEachDatabase('API: update check', (dialect) => {
  let h: ApiHarness
  let check: Check
  beforeEach(async () => {
    h = await createApiHarness(dialect)
    check = await buildCheck(h.ctx, h.alice.project, {
      name: 'Old',
      slug: 'old',
      tags: 'a',
      desc: 'keep',
    })
  })
  afterEach(() => h.close())

  const url = (v = 3) => `/api/v${v}/checks/${check.code}`
  const post = (body: unknown, v = 3, key = h.alice.apiKey) =>
    call(h.app, 'POST', url(v), { key, body })

  test('it updates the given fields and leaves the others alone', async () => {
    const r = await post({ name: 'New', timeout: 120, grace: 60 })
    assert.equal(r.statusCode, 200)
    assert.equal(r.json().name, 'New')
    const saved = await readCheck(h.ctx, check.id)
    assert.equal(saved.name, 'New')
    assert.equal(saved.timeout, 120)
    assert.equal(saved.grace, 60)
    assert.equal(saved.desc, 'keep')
    assert.equal(saved.tags, 'a')
  })

  test('v1 and v2 regenerate the slug from the name; v3 does not', async () => {
    await post({ name: 'Second Name' }, 2)
    assert.equal((await readCheck(h.ctx, check.id)).slug, 'second-name')
    await post({ name: 'Third Name' }, 3)
    assert.equal((await readCheck(h.ctx, check.id)).slug, 'second-name')
    await post({ name: 'Fourth', slug: 'explicit' }, 1)
    assert.equal((await readCheck(h.ctx, check.id)).slug, 'explicit')
  })

  test('v1 reports a running check as started', async () => {
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ last_start: h.ctx.clock.now() })
      .where('id', '=', check.id)
      .execute()
    assert.equal((await post({}, 1)).json().status, 'started')
    assert.equal((await post({}, 2)).json().status, 'new')
    assert.equal((await post({}, 3)).json().started, true)
  })

  test('it recomputes alert_after from the new schedule', async () => {
    const now = h.ctx.clock.now()
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ status: 'up', last_ping: now })
      .where('id', '=', check.id)
      .execute()
    await post({ timeout: 7200, grace: 600 })
    assert.equal((await readCheck(h.ctx, check.id)).alert_after, now + 2 * HOUR + 600_000)
  })

  test('an overdue up check is not flipped down by the API', async () => {
    const now = h.ctx.clock.now()
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ status: 'up', last_ping: now - 10 * HOUR })
      .where('id', '=', check.id)
      .execute()
    await post({ timeout: 60, grace: 60 })
    const saved = await readCheck(h.ctx, check.id)
    assert.equal(saved.status, 'up')
    assert.equal(saved.alert_after, now - 10 * HOUR + 120_000)
  })

  test('it switches between cron and simple', async () => {
    await post({ schedule: '0 5 * * *', tz: 'Europe/Riga' })
    let saved = await readCheck(h.ctx, check.id)
    assert.equal(saved.kind, 'cron')
    assert.equal(saved.tz, 'Europe/Riga')
    await post({ timeout: 300 })
    saved = await readCheck(h.ctx, check.id)
    assert.equal(saved.kind, 'simple')
    assert.equal(saved.timeout, 300)
  })

  test('channels replaces the set, "" clears it, absent keeps it', async () => {
    const [email] = await h.ctx.db.kysely
      .selectFrom('channels')
      .select('code')
      .where('project_id', '=', h.alice.project.id)
      .execute()
    const hook = await buildChannel(h.ctx, h.alice.project, 'webhook', { url: 'http://a' })
    await post({ channels: '*' })
    assert.deepEqual(await channelCodesOfCheck(h.ctx, check.id), [email.code, hook.code].sort())
    await post({ name: 'x' })
    assert.equal((await channelCodesOfCheck(h.ctx, check.id)).length, 2)
    await post({ channels: hook.code })
    assert.deepEqual(await channelCodesOfCheck(h.ctx, check.id), [hook.code])
    const r = await post({ channels: '' })
    assert.equal(r.json().channels, '')
    assert.deepEqual(await channelCodesOfCheck(h.ctx, check.id), [])
  })

  test('a bad channel reference saves nothing', async () => {
    assertError(
      await post({ name: 'Changed', channels: 'missing' }),
      400,
      'invalid channel identifier: missing',
    )
    assert.equal((await readCheck(h.ctx, check.id)).name, 'Old')
  })

  test('it validates the body', async () => {
    assertError(
      await post({ timeout: 3600.5 }),
      400,
      'json validation error: timeout is not a number',
    )
    assertError(await post({ desc: 1 }), 400, 'json validation error: desc is not a string')
    assertError(
      await call(h.app, 'POST', url(), { key: h.alice.apiKey, body: '[]' }),
      400,
      'json validation error: value is not an object',
    )
    assert.equal((await readCheck(h.ctx, check.id)).desc, 'keep')
  })

  test("it answers 403 (empty) for another project's check, before validating", async () => {
    const r = await post({ timeout: 'bad' }, 3, h.bob.apiKey)
    assert.equal(r.statusCode, 403)
    assert.equal(r.body, '')
  })

  test('it answers 404 for an unknown or malformed uuid', async () => {
    const missing = await call(
      h.app,
      'POST',
      '/api/v3/checks/6d6a2b6e-1b0b-4d1a-9f0e-8e8f2d3f4a5b',
      { key: h.alice.apiKey, body: {} },
    )
    assert.equal(missing.statusCode, 404)
    const upper = await call(h.app, 'POST', `/api/v3/checks/${check.code.toUpperCase()}`, {
      key: h.alice.apiKey,
      body: {},
    })
    assert.equal(upper.statusCode, 404)
    assert.equal(
      (await call(h.app, 'POST', '/api/v3/checks/not-a-uuid', { key: h.alice.apiKey })).statusCode,
      404,
    )
  })

  test('it refuses a read-only key', async () => {
    assertError(await post({ name: 'x' }, 3, h.alice.apiKeyReadonly), 401, 'wrong api key')
  })

  test('CORS: OPTIONS answers 204, PUT and HEAD 405', async () => {
    const options = await call(h.app, 'OPTIONS', url())
    assert.equal(options.statusCode, 204)
    assertCors(options, 'POST, DELETE, GET, OPTIONS')
    for (const method of ['PUT', 'HEAD', 'PATCH'] as const) {
      const r = await call(h.app, method, url(), { key: h.alice.apiKey })
      assert.equal(r.statusCode, 405, method)
      assertCors(r, 'POST, DELETE, GET, OPTIONS')
    }
  })
})
