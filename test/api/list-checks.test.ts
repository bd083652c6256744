import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import {
  type ApiHarness,
  assertCors,
  assertError,
  call,
  createApiHarness,
  SITE_ROOT,
} from './api-harness.js'

describeEachDatabase('API: list checks', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect)
  })
  afterEach(() => h.close())

  const list = async (query = '', key = h.alice.apiKey, v = 3) => {
    const r = await call(h.app, 'GET', `/api/v${v}/checks/${query}`, { key })
    assert.equal(r.statusCode, 200, r.body)
    return r.json().checks as Array<Record<string, unknown>>
  }

  test("it lists the project's checks in creation order, with their channels", async () => {
    const a = await buildCheck(h.ctx, h.alice.project, { name: 'A' })
    const b = await buildCheck(h.ctx, h.alice.project, { name: 'B' })
    await buildCheck(h.ctx, h.bob.project, { name: 'Bobs' })
    const ch = await buildChannel(h.ctx, h.alice.project, 'webhook', { url: 'http://x' }, [b])
    const checks = await list()
    assert.deepEqual(
      checks.map((c) => c.uuid),
      [a.code, b.code],
    )
    assert.equal(checks[0].channels, '')
    assert.equal(checks[1].channels, ch.code)
    assert.equal(checks[1].update_url, `${SITE_ROOT}/api/v3/checks/${b.code}`)
  })

  test('tag filters are exact and combine with AND', async () => {
    await buildCheck(h.ctx, h.alice.project, { name: 'A', tags: 'foo bar' })
    await buildCheck(h.ctx, h.alice.project, { name: 'B', tags: 'foo' })
    await buildCheck(h.ctx, h.alice.project, { name: 'C', tags: 'foobar bar,baz' })
    assert.deepEqual(
      (await list('?tag=foo')).map((c) => c.name),
      ['A', 'B'],
    )
    assert.deepEqual(
      (await list('?tag=foo&tag=bar')).map((c) => c.name),
      ['A'],
    )
    assert.deepEqual(
      (await list('?tag=bar,baz')).map((c) => c.name),
      ['C'],
    )
    assert.deepEqual(
      (await list('?tag=fo')).map((c) => c.name),
      [],
    )
  })

  test('slug filters exactly', async () => {
    await buildCheck(h.ctx, h.alice.project, { name: 'A', slug: 'backup' })
    await buildCheck(h.ctx, h.alice.project, { name: 'B', slug: 'backup-2' })
    assert.deepEqual(
      (await list('?slug=backup')).map((c) => c.name),
      ['A'],
    )
    assert.deepEqual(
      (await list('?slug=')).map((c) => c.name),
      ['A', 'B'],
    )
  })

  test('a read-only key gets the read-only shape', async () => {
    await buildCheck(h.ctx, h.alice.project, { name: 'A' })
    const [c] = await list('', h.alice.apiKeyReadonly)
    assert.equal(typeof c.unique_key, 'string')
    assert.equal(c.uuid, undefined)
    assert.equal(c.channels, undefined)
  })

  test('v1 reports started, v2 and v3 do not', async () => {
    await buildCheck(h.ctx, h.alice.project, { last_start: h.ctx.clock.now() })
    assert.equal((await list('', h.alice.apiKey, 1))[0].status, 'started')
    assert.equal((await list('', h.alice.apiKey, 2))[0].status, 'new')
    assert.equal((await list('', h.alice.apiKey, 2))[0].started, true)
  })

  test('AK-3 it answers 401 JSON for missing and wrong keys', async () => {
    assertError(await call(h.app, 'GET', '/api/v3/checks/'), 401, 'missing api key')
    assertError(
      await call(h.app, 'GET', '/api/v3/checks/', { key: 'z'.repeat(32) }),
      401,
      'wrong api key',
    )
  })

  test('CORS: OPTIONS 204, DELETE and HEAD 405', async () => {
    const r = await call(h.app, 'OPTIONS', '/api/v3/checks/')
    assert.equal(r.statusCode, 204)
    assertCors(r, 'GET, POST, OPTIONS')
    assert.equal(
      (await call(h.app, 'DELETE', '/api/v3/checks/', { key: h.alice.apiKey })).statusCode,
      405,
    )
    assert.equal(
      (await call(h.app, 'HEAD', '/api/v3/checks/', { key: h.alice.apiKey })).statusCode,
      405,
    )
  })
})
