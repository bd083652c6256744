import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, buildPing, call, createApiHarness } from './api-harness.js'

const KEY = 'operator-metrics-key-0123456789'

describeEachDatabase('API: operator metrics', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect, { METRICS_KEY: KEY })
  })
  afterEach(() => h.close())

  const metrics = (key?: string, version = 3, method: 'GET' | 'POST' = 'GET') =>
    call(h.app, method, `/api/v${version}/metrics/`, {
      headers: key === undefined ? {} : { 'x-metrics-key': key },
    })

  test('it reports the clock, the newest ids and the unprocessed flips', async () => {
    const check = await buildCheck(h.ctx, h.alice.project, {})
    await buildPing(h.ctx, check, { n: 1 })
    const last = await buildPing(h.ctx, check, { n: 2 })
    const channel = await buildChannel(h.ctx, h.alice.project, 'webhook', {})
    const flip = (processed: number | null) =>
      h.ctx.db.kysely
        .insertInto('flips')
        .values({
          check_id: check.id,
          created: h.ctx.clock.now(),
          processed,
          old_status: 'up',
          new_status: 'down',
          reason: 'timeout',
        })
        .returningAll()
        .executeTakeFirstOrThrow()
    const done = await flip(h.ctx.clock.now())
    await flip(null)
    await flip(null)
    const n = await h.ctx.db.kysely
      .insertInto('notifications')
      .values({
        code: crypto.randomUUID(),
        check_id: check.id,
        channel_id: channel.id,
        flip_id: done.id,
        check_status: 'down',
        created: h.ctx.clock.now(),
        next_attempt_at: h.ctx.clock.now(),
        claimed_by: null,
        claimed_at: null,
        sent_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()

    const r = await metrics(KEY)
    assert.equal(r.statusCode, 200)
    assert.match(String(r.headers['content-type']), /^application\/json/)
    assert.deepEqual(r.json(), {
      ts: Math.floor(h.ctx.clock.now() / 1000),
      max_ping_id: last.id,
      max_notification_id: n.id,
      num_unprocessed_flips: 2,
    })
  })

  test('empty tables give null ids', async () => {
    assert.deepEqual((await metrics(KEY, 1)).json(), {
      ts: Math.floor(h.ctx.clock.now() / 1000),
      max_ping_id: null,
      max_notification_id: null,
      num_unprocessed_flips: 0,
    })
  })

  test('it answers under v1, v2 and v3 and to any method', async () => {
    for (const v of [1, 2, 3]) assert.equal((await metrics(KEY, v)).statusCode, 200)
    assert.equal((await metrics(KEY, 3, 'POST')).statusCode, 200)
  })

  test('a missing or wrong X-Metrics-Key is an empty 403', async () => {
    for (const key of [undefined, '', 'wrong', `${KEY}x`, KEY.slice(1)]) {
      const r = await metrics(key)
      assert.equal(r.statusCode, 403, String(key))
      assert.equal(r.body, '')
    }
  })

  test('an API key does not open it', async () => {
    const r = await call(h.app, 'GET', '/api/v3/metrics/', { key: h.alice.apiKey })
    assert.equal(r.statusCode, 403)
  })
})

describeEachDatabase('API: operator metrics without METRICS_KEY', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect)
  })
  afterEach(() => h.close())

  test('it is forbidden whatever key is sent', async () => {
    const sent: Record<string, string>[] = [
      {},
      { 'x-metrics-key': '' },
      { 'x-metrics-key': 'None' },
    ]
    for (const headers of sent) {
      const r = await call(h.app, 'GET', '/api/v3/metrics/', { headers })
      assert.equal(r.statusCode, 403)
    }
  })
})
