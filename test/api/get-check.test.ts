import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { uniqueKey } from '../../src/checks/json.js'
import type { Check } from '../../src/db/index.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, assertCors, assertError, call, createApiHarness } from './api-harness.js'

describeEachDatabase('API: get check', (dialect) => {
  let h: ApiHarness
  let check: Check
  beforeEach(async () => {
    h = await createApiHarness(dialect)
    check = await buildCheck(h.ctx, h.alice.project, {
      name: 'Backup',
      tags: 'a b',
      kind: 'cron',
      schedule: '0 5 * * *',
      tz: 'Europe/Riga',
    })
  })
  afterEach(() => h.close())

  test('it returns the check by uuid', async () => {
    const r = await call(h.app, 'GET', `/api/v3/checks/${check.code}`, { key: h.alice.apiKey })
    assert.equal(r.statusCode, 200)
    const doc = r.json()
    assert.equal(doc.uuid, check.code)
    assert.equal(doc.schedule, '0 5 * * *')
    assert.equal(doc.tz, 'Europe/Riga')
    assert.equal(doc.unique_key, undefined)
    assertCors(r, 'POST, DELETE, GET, OPTIONS')
  })

  test('a read-only key gets the read-only shape', async () => {
    const doc = (
      await call(h.app, 'GET', `/api/v3/checks/${check.code}`, { key: h.alice.apiKeyReadonly })
    ).json()
    assert.equal(doc.unique_key, uniqueKey(check.code))
    for (const field of ['uuid', 'ping_url', 'update_url', 'pause_url', 'resume_url', 'channels']) {
      assert.equal(doc[field], undefined, field)
    }
  })

  test('it returns the check by unique key, to read-only and read-write keys', async () => {
    const url = `/api/v3/checks/${uniqueKey(check.code)}`
    const ro = await call(h.app, 'GET', url, { key: h.alice.apiKeyReadonly })
    assert.equal(ro.statusCode, 200)
    assert.equal(ro.json().name, 'Backup')
    assertCors(ro, 'GET, OPTIONS')
    const rw = await call(h.app, 'GET', url, { key: h.alice.apiKey })
    assert.equal(rw.json().uuid, check.code)
  })

  test("by unique key, another project's check is not found and other methods are 405", async () => {
    const url = `/api/v3/checks/${uniqueKey(check.code)}`
    assert.equal((await call(h.app, 'GET', url, { key: h.bob.apiKey })).statusCode, 404)
    assert.equal(
      (await call(h.app, 'POST', url, { key: h.alice.apiKey, body: {} })).statusCode,
      405,
    )
    assert.equal((await call(h.app, 'DELETE', url, { key: h.alice.apiKey })).statusCode, 405)
  })

  test("it answers 403 for another project's check and 404 for an unknown one", async () => {
    const other = await call(h.app, 'GET', `/api/v3/checks/${check.code}`, { key: h.bob.apiKey })
    assert.equal(other.statusCode, 403)
    assert.equal(other.body, '')
    const unknown = await call(
      h.app,
      'GET',
      '/api/v3/checks/6d6a2b6e-1b0b-4d1a-9f0e-8e8f2d3f4a5b',
      { key: h.alice.apiKey },
    )
    assert.equal(unknown.statusCode, 404)
    assert.doesNotMatch(String(unknown.headers['content-type'] ?? ''), /application\/json/)
  })

  test('it answers 401 without a key and ignores api_key in a GET query', async () => {
    assertError(await call(h.app, 'GET', `/api/v3/checks/${check.code}`), 401, 'missing api key')
    assertError(
      await call(h.app, 'GET', `/api/v3/checks/${check.code}?api_key=${h.alice.apiKey}`),
      401,
      'missing api key',
    )
  })

  test('v1 shows a running check as started', async () => {
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ last_start: h.ctx.clock.now() })
      .where('id', '=', check.id)
      .execute()
    assert.equal(
      (await call(h.app, 'GET', `/api/v1/checks/${check.code}`, { key: h.alice.apiKey })).json()
        .status,
      'started',
    )
    assert.equal(
      (await call(h.app, 'GET', `/api/v3/checks/${check.code}`, { key: h.alice.apiKey })).json()
        .status,
      'new',
    )
  })
})
