import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { Check } from '../../src/db/index.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import {
  type ApiHarness,
  assertError,
  call,
  createApiHarness,
  readCheck,
  readFlips,
} from './api-harness.js'

describeEachDatabase('API: resume', (dialect) => {
  let h: ApiHarness
  let check: Check
  beforeEach(async () => {
    h = await createApiHarness(dialect)
    check = await buildCheck(h.ctx, h.alice.project, {
      status: 'paused',
      last_ping: h.ctx.clock.now(),
    })
  })
  afterEach(() => h.close())

  const resume = (key = h.alice.apiKey) =>
    call(h.app, 'POST', `/api/v3/checks/${check.code}/resume`, { key })

  test('it resumes a paused check as new and records a processed flip', async () => {
    const r = await resume()
    assert.equal(r.statusCode, 200)
    assert.equal(r.json().status, 'new')
    const saved = await readCheck(h.ctx, check.id)
    assert.equal(saved.status, 'new')
    assert.equal(saved.last_ping, null)
    assert.equal(saved.alert_after, null)
    const [flip] = await readFlips(h.ctx, check.id)
    assert.equal(flip.old_status, 'paused')
    assert.equal(flip.new_status, 'new')
    assert.notEqual(flip.processed, null)
  })

  test('it answers 409 with text for a check that is not paused', async () => {
    await resume()
    const r = await resume()
    assert.equal(r.statusCode, 409)
    assert.equal(r.body, 'check is not paused')
    assert.equal((await readFlips(h.ctx, check.id)).length, 1)
  })

  test('it answers 403, 404 and 401 like the other write endpoints', async () => {
    assert.equal((await resume(h.bob.apiKey)).statusCode, 403)
    assert.equal(
      (
        await call(h.app, 'POST', '/api/v3/checks/6d6a2b6e-1b0b-4d1a-9f0e-8e8f2d3f4a5b/resume', {
          key: h.alice.apiKey,
        })
      ).statusCode,
      404,
    )
    assertError(await resume(h.alice.apiKeyReadonly), 401, 'wrong api key')
    assertError(await resume(''), 401, 'missing api key')
    assert.equal((await readCheck(h.ctx, check.id)).status, 'paused')
  })

  test('it only allows POST', async () => {
    assert.equal(
      (await call(h.app, 'DELETE', `/api/v3/checks/${check.code}/resume`, { key: h.alice.apiKey }))
        .statusCode,
      405,
    )
  })
})
