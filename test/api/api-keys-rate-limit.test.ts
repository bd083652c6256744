import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, assertError, createApiHarness } from './api-harness.js'

const WRONG = 'hcw_0000000000000000000000000000'

describeEachDatabase('API keys: RL-A1 authentication failures per IP', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect)
  })
  afterEach(() => h.close())

  const get = (key: string, ip = '203.0.113.7') =>
    h.app.inject({
      method: 'GET',
      url: '/api/v3/checks/',
      headers: { 'x-api-key': key },
      remoteAddress: ip,
    })

  test('RL-A1 the 61st failure in a minute answers 429 with Retry-After, even for a right key', async () => {
    for (let i = 1; i <= 60; i++) assertError(await get(WRONG), 401, 'wrong api key')
    const blocked = await get(WRONG)
    assert.equal(blocked.statusCode, 429)
    assert.equal(blocked.headers['retry-after'], '1')
    assert.deepEqual(blocked.json(), { error: 'rate_limited', retry_after: 1 })
    // The lookup is not even made: a right guess cannot be told from a wrong one.
    assert.equal((await get(h.alice.apiKey)).statusCode, 429)
    // Another address is not affected.
    assert.equal((await get(h.alice.apiKey, '198.51.100.9')).statusCode, 200)
    // One token back after a second: one more try.
    h.ctx.clock.advance(1000)
    assert.equal((await get(h.alice.apiKey)).statusCode, 200)
  })

  test('RL-A1 a missing key counts as a failure; right keys take nothing', async () => {
    for (let i = 0; i < 100; i++) assert.equal((await get(h.alice.apiKey)).statusCode, 200)
    for (let i = 1; i <= 60; i++) assertError(await get(''), 401, 'missing api key')
    assert.equal((await get('')).statusCode, 429)
    h.ctx.clock.advance(60_000)
    assert.equal((await get(h.alice.apiKey)).statusCode, 200)
  })
})
