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

  test('AK-3 RL-A1 the 61st failure in a minute answers 429 with Retry-After, even for a right key', async () => {
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

describeEachDatabase(
  'Prometheus and operator metrics: RL-A1 and its sampled audit (AU-2)',
  (dialect) => {
    let h: ApiHarness
    beforeEach(async () => {
      h = await createApiHarness(dialect, { METRICS_KEY: 'metrics-key-0123456789' })
    })
    afterEach(() => h.close())

    const IP = '203.0.113.7'
    const fetch = (url: string, headers: Record<string, string> = {}, ip = IP) =>
      h.app.inject({ method: 'GET', url, headers, remoteAddress: ip })
    const blockedEvents = () =>
      h.ctx.db.kysely
        .selectFrom('security_events')
        .select(['ip', 'details'])
        .where('type', '=', 'ratelimit.blocked')
        .execute()

    test('RL-A1 wrong keys on every Prometheus URL form count; the 61st failure gets 429 with Retry-After', async () => {
      const p = h.alice.project.code
      const wrong = 'x'.repeat(32)
      const failures = [
        () => fetch(`/projects/${p}/metrics/${wrong}`), // 403
        () => fetch(`/projects/${p}/checks/metrics/${wrong}`), // 403, the legacy form
        () => fetch(`/projects/${p}/metrics/short`), // 400, wrong length
        () => fetch(`/projects/${p}/metrics/`, { authorization: `Bearer ${wrong}` }), // 403
        () => fetch(`/projects/${p}/metrics/`), // 401, no key
        () => fetch(`/projects/${p}/metrics/${h.alice.apiKey}`), // 403, a read-write key
      ]
      for (let i = 0; i < 60; i++) {
        const r = await failures[i % failures.length]()
        assert.ok([400, 401, 403].includes(r.statusCode), `failure ${i}: ${r.statusCode}`)
      }
      const right = `/projects/${p}/metrics/${h.alice.apiKeyReadonly}`
      const blocked = await fetch(right)
      assert.equal(blocked.statusCode, 429)
      assert.equal(blocked.headers['retry-after'], '1')
      assert.match(
        blocked.body,
        /Too many failed key attempts from your address\. Try again in 1 seconds\./,
      )
      // Other addresses scrape on; a right key from a fresh address takes nothing.
      assert.equal((await fetch(right, {}, '198.51.100.9')).statusCode, 200)
      h.ctx.clock.advance(1000)
      assert.equal((await fetch(right)).statusCode, 200)
    })

    test('RL-A1 the key failures of the API and of the metrics URLs share one per-IP limit', async () => {
      for (let i = 0; i < 30; i++)
        assert.equal((await fetch('/api/v3/checks/', { 'x-api-key': WRONG })).statusCode, 401)
      for (let i = 0; i < 30; i++)
        assert.equal(
          (await fetch(`/projects/${h.alice.project.code}/metrics/${WRONG}`)).statusCode,
          403,
        )
      const r = await fetch(`/projects/${h.alice.project.code}/metrics/${h.alice.apiKeyReadonly}`)
      assert.equal(r.statusCode, 429)
    })

    test('RL-A1 operator metrics: a wrong X-Metrics-Key counts; past the limit 429 JSON with Retry-After', async () => {
      for (let i = 0; i < 60; i++)
        assert.equal(
          (await fetch('/api/v3/metrics/', { 'x-metrics-key': 'guess' })).statusCode,
          403,
        )
      const r = await fetch('/api/v1/metrics/', { 'x-metrics-key': 'metrics-key-0123456789' })
      assert.equal(r.statusCode, 429)
      assert.equal(r.headers['retry-after'], '1')
      assert.deepEqual(r.json(), { error: 'rate_limited', retry_after: 1 })
      h.ctx.clock.advance(1000)
      const ok = await fetch('/api/v1/metrics/', { 'x-metrics-key': 'metrics-key-0123456789' })
      assert.equal(ok.statusCode, 200)
    })

    test('AU-2 RL-A1 blocks write one ratelimit.blocked event per IP and minute, not one per request', async () => {
      const wrong = (ip = IP) => fetch('/api/v3/checks/', { 'x-api-key': WRONG }, ip)
      for (let i = 0; i < 60; i++) await wrong()
      assert.deepEqual(await blockedEvents(), [], 'failures under the limit are not blocks')
      for (let i = 0; i < 20; i++) assert.equal((await wrong()).statusCode, 429)
      let events = await blockedEvents()
      assert.equal(events.length, 1)
      assert.equal(events[0].ip, IP)
      const details = JSON.parse(events[0].details)
      assert.equal(details.rule, 'RL-A1')
      assert.equal(details.retry_after, 1)
      assert.match(details.key, /^[0-9a-f]{12}$/)
      assert.doesNotMatch(events[0].details, /203\.0\.113\.7/, 'the key is a digest')
      // Another IP is another key: its own event.
      for (let i = 0; i < 61; i++) await wrong('198.51.100.9')
      assert.equal((await blockedEvents()).length, 2)
      // A minute on (one window of RL-A1), the same IP blocked again is sampled again.
      h.ctx.clock.advance(30_000)
      for (let i = 0; i < 40; i++) await wrong()
      assert.equal((await blockedEvents()).length, 2, 'half a window: still sampled out')
      h.ctx.clock.advance(60_000)
      for (let i = 0; i < 61; i++) await wrong()
      events = await blockedEvents()
      assert.equal(events.length, 3)
    })
  },
)
