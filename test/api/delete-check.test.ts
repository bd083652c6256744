import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { Check } from '../../src/db/index.js'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import {
  type ApiHarness,
  assertError,
  buildPing,
  call,
  countChecks,
  createApiHarness,
} from './api-harness.js'

describeEachDatabase('API: delete check', (dialect) => {
  let h: ApiHarness
  let check: Check
  beforeEach(async () => {
    h = await createApiHarness(dialect)
    check = await buildCheck(h.ctx, h.alice.project, { name: 'Gone', slug: 'gone' })
  })
  afterEach(() => h.close())

  test('it deletes the check with its pings and answers with the check as it was', async () => {
    await buildChannel(h.ctx, h.alice.project, 'webhook', { url: 'http://x' }, [check])
    await buildPing(h.ctx, check, { n: 1 })
    const r = await call(h.app, 'DELETE', `/api/v3/checks/${check.code}`, { key: h.alice.apiKey })
    assert.equal(r.statusCode, 200)
    assert.equal(r.json().uuid, check.code)
    assert.equal(r.json().slug, 'gone')
    assert.equal(r.json().channels, '')
    assert.equal(await countChecks(h.ctx), 1 - 1)
    const pings = await h.ctx.db.kysely.selectFrom('pings').selectAll().execute()
    assert.equal(pings.length, 0)
  })

  test("it answers 403 for another project's check and keeps it", async () => {
    const r = await call(h.app, 'DELETE', `/api/v3/checks/${check.code}`, { key: h.bob.apiKey })
    assert.equal(r.statusCode, 403)
    assert.equal(await countChecks(h.ctx), 1)
  })

  test('it answers 404 for an unknown check and 401 for a read-only key', async () => {
    assert.equal(
      (
        await call(h.app, 'DELETE', '/api/v3/checks/6d6a2b6e-1b0b-4d1a-9f0e-8e8f2d3f4a5b', {
          key: h.alice.apiKey,
        })
      ).statusCode,
      404,
    )
    assertError(
      await call(h.app, 'DELETE', `/api/v3/checks/${check.code}`, { key: h.alice.apiKeyReadonly }),
      401,
      'wrong api key',
    )
    assert.equal(await countChecks(h.ctx), 1)
  })

  test('a deleted check cannot be deleted twice', async () => {
    assert.equal(
      (await call(h.app, 'DELETE', `/api/v3/checks/${check.code}`, { key: h.alice.apiKey }))
        .statusCode,
      200,
    )
    assert.equal(
      (await call(h.app, 'DELETE', `/api/v3/checks/${check.code}`, { key: h.alice.apiKey }))
        .statusCode,
      404,
    )
  })
})
