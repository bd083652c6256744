import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { Check } from '../../src/db/index.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, assertError, buildPing, call, createApiHarness } from './api-harness.js'

describeEachDatabase('API: ping body', (dialect) => {
  let h: ApiHarness
  let check: Check
  beforeEach(async () => {
    h = await createApiHarness(dialect)
    check = await buildCheck(h.ctx, h.alice.project, { n_pings: 1 })
  })
  afterEach(() => h.close())

  const get = (n: number | string, key = h.alice.apiKey) =>
    call(h.app, 'GET', `/api/v3/checks/${check.code}/pings/${n}/body`, { key })

  test('it returns the raw body as text/plain', async () => {
    await buildPing(h.ctx, check, { n: 1, body: Buffer.from([0x68, 0x69, 0xff]) })
    const r = await get(1)
    assert.equal(r.statusCode, 200)
    assert.equal(r.headers['content-type'], 'text/plain')
    assert.deepEqual(r.rawPayload, Buffer.from([0x68, 0x69, 0xff]))
  })

  test('it answers 404 for a missing ping, an empty body and a non-numeric n', async () => {
    await buildPing(h.ctx, check, { n: 1, body: Buffer.alloc(0) })
    assert.equal((await get(1)).statusCode, 404)
    assert.equal((await get(2)).statusCode, 404)
    assert.equal((await get('x')).statusCode, 404)
  })

  test('it answers 404 at or below the retention threshold', async () => {
    await h.ctx.db.kysely
      .updateTable('projects')
      .set({ ping_log_limit: 2 })
      .where('id', '=', h.alice.project.id)
      .execute()
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ n_pings: 3 })
      .where('id', '=', check.id)
      .execute()
    for (let n = 1; n <= 3; n++)
      await buildPing(h.ctx, check, { n, body: Buffer.from(`body ${n}`) })
    assert.equal((await get(1)).statusCode, 404)
    assert.equal((await get(2)).body, 'body 2')
  })

  test('read-only keys and other projects are refused', async () => {
    await buildPing(h.ctx, check, { n: 1, body: Buffer.from('x') })
    assertError(await get(1, h.alice.apiKeyReadonly), 401, 'wrong api key')
    assert.equal((await get(1, h.bob.apiKey)).statusCode, 403)
    assert.equal(
      (
        await call(h.app, 'POST', `/api/v3/checks/${check.code}/pings/1/body`, {
          key: h.alice.apiKey,
        })
      ).statusCode,
      405,
    )
  })
})
