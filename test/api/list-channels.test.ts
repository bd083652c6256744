import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { buildChannel } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, assertCors, assertError, call, createApiHarness } from './api-harness.js'

describeEachDatabase('API: list channels', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect)
  })
  afterEach(() => h.close())

  test("it lists the project's channels as id, name, kind", async () => {
    const hook = await buildChannel(h.ctx, h.alice.project, 'webhook', { url: 'http://x' })
    await buildChannel(h.ctx, h.bob.project, 'webhook', { url: 'http://y' })
    const r = await call(h.app, 'GET', '/api/v3/channels/', { key: h.alice.apiKey })
    assert.equal(r.statusCode, 200)
    const channels = r.json().channels
    assert.equal(channels.length, 2)
    assert.equal(channels[0].kind, 'email')
    assert.deepEqual(channels[1], { id: hook.code, name: '', kind: 'webhook' })
    // v3 also creates channels (a Vigil extension); v1 and v2 stay as Healthchecks.
    assertCors(r, 'GET, POST, OPTIONS')
    const v1 = await call(h.app, 'GET', '/api/v1/channels/', { key: h.alice.apiKey })
    assert.deepEqual(v1.json().channels, channels)
    assertCors(v1, 'GET, OPTIONS')
  })

  test('it refuses read-only and missing keys, and POST below v3', async () => {
    assertError(
      await call(h.app, 'GET', '/api/v3/channels/', { key: h.alice.apiKeyReadonly }),
      401,
      'wrong api key',
    )
    assertError(await call(h.app, 'GET', '/api/v3/channels/'), 401, 'missing api key')
    for (const v of [1, 2]) {
      const r = await call(h.app, 'POST', `/api/v${v}/channels/`, { key: h.alice.apiKey })
      assert.equal(r.statusCode, 405)
    }
  })
})
