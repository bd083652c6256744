import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { buildChannel } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, assertError, call, createApiHarness } from './api-harness.js'

const WEBHOOK = { method_down: 'POST', url_down: 'https://hooks.example.com/down' }

describeEachDatabase('API v3: channel repeat settings', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect)
  })
  afterEach(() => h.close())

  const create = (body: unknown) =>
    call(h.app, 'POST', '/api/v3/channels/', { key: h.alice.apiKey, body })
  const update = (code: string, body: unknown) =>
    call(h.app, 'POST', `/api/v3/channels/${code}`, { key: h.alice.apiKey, body })

  test('a channel is created with repeats and shows them in its JSON', async () => {
    const r = await create({ kind: 'webhook', config: WEBHOOK, repeat_every: 3600, repeat_max: 5 })
    assert.equal(r.statusCode, 201, r.body)
    assert.equal(r.json().repeat_every, 3600)
    assert.equal(r.json().repeat_max, 5)
    const got = await call(h.app, 'GET', `/api/v3/channels/${r.json().id}`, {
      key: h.alice.apiKey,
    })
    assert.deepEqual([got.json().repeat_every, got.json().repeat_max], [3600, 5])
  })

  test('without the fields there are no repeats; an interval alone gets 10 repeats at most', async () => {
    const plain = await create({ kind: 'webhook', config: WEBHOOK })
    assert.deepEqual([plain.json().repeat_every, plain.json().repeat_max], [0, 0])
    const r = await update(plain.json().id, { repeat_every: 600 })
    assert.equal(r.statusCode, 200, r.body)
    assert.deepEqual([r.json().repeat_every, r.json().repeat_max], [600, 10])
    const max = await update(plain.json().id, { repeat_max: 2 })
    assert.deepEqual([max.json().repeat_every, max.json().repeat_max], [600, 2])
    const off = await update(plain.json().id, { repeat_every: 0 })
    assert.deepEqual([off.json().repeat_every, off.json().repeat_max], [0, 0])
  })

  test('bad repeat values are a 400 and change nothing', async () => {
    const hook = await buildChannel(h.ctx, h.alice.project, 'webhook', WEBHOOK)
    const cases: [unknown, string][] = [
      [
        { repeat_every: 30 },
        'json validation error: repeat_every must be 0 (no repeats) or between 60 and 2592000 seconds',
      ],
      [
        { repeat_every: '1h' },
        'json validation error: repeat_every is not an integer number of seconds',
      ],
      [
        { repeat_every: 600, repeat_max: 0 },
        'json validation error: repeat_max must be between 1 and 1000',
      ],
      [
        { repeat_every: 600, repeat_max: 1.5 },
        'json validation error: repeat_max is not an integer',
      ],
    ]
    for (const [body, message] of cases) assertError(await update(hook.code, body), 400, message)
    const row = await h.ctx.db.kysely
      .selectFrom('channels')
      .select(['repeat_every', 'repeat_max'])
      .where('id', '=', hook.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { repeat_every: 0, repeat_max: 0 })
  })
})
