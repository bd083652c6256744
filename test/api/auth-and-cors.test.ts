import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, assertCors, assertError, call, createApiHarness } from './api-harness.js'

describeEachDatabase('API: authentication, CORS and hostile input', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect)
  })
  afterEach(() => h.close())

  test('every version serves the same endpoints', async () => {
    for (const v of [1, 2, 3]) {
      const r = await call(h.app, 'GET', `/api/v${v}/checks/`, { key: h.alice.apiKey })
      assert.equal(r.statusCode, 200, `v${v}`)
    }
    assert.equal(
      (await call(h.app, 'GET', '/api/v4/checks/', { key: h.alice.apiKey })).statusCode,
      404,
    )
  })

  test('an empty X-Api-Key header wins over the body key', async () => {
    const r = await call(h.app, 'POST', '/api/v3/checks/', {
      key: '',
      body: { api_key: h.alice.apiKey },
    })
    assertError(r, 401, 'missing api key')
  })

  test('error answers carry the CORS headers too', async () => {
    const r = await call(h.app, 'GET', '/api/v3/checks/')
    assert.equal(r.statusCode, 401)
    assertCors(r, 'GET, POST, OPTIONS')
  })

  test('OPTIONS needs no key and answers 204 with an empty body', async () => {
    const check = await buildCheck(h.ctx, h.alice.project)
    for (const [path, methods] of [
      ['/api/v3/checks/', 'GET, POST, OPTIONS'],
      [`/api/v3/checks/${check.code}`, 'POST, DELETE, GET, OPTIONS'],
      [`/api/v3/checks/${check.code}/pause`, 'POST, OPTIONS'],
      [`/api/v3/checks/${check.code}/flips/`, 'GET, OPTIONS'],
      ['/api/v3/badges/', 'GET, OPTIONS'],
    ] as const) {
      const r = await call(h.app, 'OPTIONS', path)
      assert.equal(r.statusCode, 204, path)
      assert.equal(r.body, '')
      assertCors(r, methods)
    }
  })

  test('hostile bodies never cause a 500', async () => {
    const check = await buildCheck(h.ctx, h.alice.project)
    const bodies = [
      '{"name": "\\ud800"}',
      '{"name": "a\\u0000b", "tags": "\\u0000"}',
      '{"timeout": 1e400}',
      '{"timeout": 99999999999999999999999999}',
      '{"grace": -0}',
      '{"unique": [null, {}, []]}',
      '{"channels": ",,,"}',
      '{"tags": "' + 'x'.repeat(100_000) + '"}',
      '{"schedule": "0 0 30 2 *"}',
      '{"schedule": "\\n\\n\\n"}',
      '{"tz": "../../etc/passwd"}',
      '{"tz": "Europe/Riga\\u0000"}',
      '{"__proto__": {"timeout": 1}, "constructor": 1}',
      '{"api_key": {"a": 1}}',
      '{"name": {"toString": 1}}',
      `${'['.repeat(5000)}${']'.repeat(5000)}`,
      `{"a": ${'['.repeat(100_000)}`,
      '\u0000',
      'null',
      '1e5',
      '{"slug": "a", "slug": 5}',
    ]
    for (const body of bodies) {
      for (const url of [
        '/api/v3/checks/',
        `/api/v1/checks/${check.code}`,
        `/api/v3/checks/${check.code}/pause`,
      ]) {
        const r = await call(h.app, 'POST', url, { key: h.alice.apiKey, body })
        assert.ok(r.statusCode < 500, `${url} ${body.slice(0, 40)} → ${r.statusCode} ${r.body}`)
      }
    }
    const raw = await h.app.inject({
      method: 'POST',
      url: '/api/v3/checks/',
      headers: { 'x-api-key': h.alice.apiKey },
      payload: Buffer.from([0xc3, 0x28]),
    })
    assertError(raw, 400, 'could not parse request body')
  })

  test('hostile query strings and paths never cause a 500', async () => {
    const check = await buildCheck(h.ctx, h.alice.project)
    const urls = [
      `/api/v3/checks/?tag=${'%'.repeat(3)}&slug[]=x`,
      '/api/v3/checks/?tag[a]=1&tag=&slug=%00',
      `/api/v3/checks/${check.code}/flips/?start=1e3&end=%20%20&seconds=__`,
      `/api/v3/checks/${check.code}/flips/?start[]=1`,
      `/api/v3/checks/${check.code}/pings/99999999999999999999999/body`,
      '/api/v3/checks/%ZZ',
      `/api/v3/checks/${'a'.repeat(40)}/flips/`,
    ]
    for (const url of urls) {
      const r = await call(h.app, 'GET', url, { key: h.alice.apiKey })
      assert.ok(r.statusCode < 500, `${url} → ${r.statusCode} ${r.body}`)
    }
  })
})
