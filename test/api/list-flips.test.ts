import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { uniqueKey } from '../../src/checks/json.js'
import type { Check, StoredStatus } from '../../src/db/index.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, assertCors, assertError, call, createApiHarness } from './api-harness.js'

const T0 = Date.parse('2026-01-15T10:00:00Z')

describeEachDatabase('API: list flips', (dialect) => {
  let h: ApiHarness
  let check: Check
  beforeEach(async () => {
    h = await createApiHarness(dialect)
    check = await buildCheck(h.ctx, h.alice.project)
    const flip = (created: number, old_status: StoredStatus, new_status: StoredStatus) =>
      h.ctx.db.kysely
        .insertInto('flips')
        .values({
          check_id: check.id,
          created,
          processed: created,
          old_status,
          new_status,
          reason: '',
        })
        .execute()
    await flip(T0, 'new', 'up')
    await flip(T0 + 1000, 'up', 'down')
    await flip(T0 + 2500, 'down', 'paused')
  })
  afterEach(() => h.close())

  const get = (query = '', key = h.alice.apiKey, ref = check.code) =>
    call(h.app, 'GET', `/api/v3/checks/${ref}/flips/${query}`, { key })

  test('it lists flips newest first as an object', async () => {
    const r = await get()
    assert.equal(r.statusCode, 200)
    assert.deepEqual(r.json(), {
      flips: [
        { timestamp: '2026-01-15T10:00:02+00:00', up: 0, held_reason: '' },
        { timestamp: '2026-01-15T10:00:01+00:00', up: 0, held_reason: '' },
        { timestamp: '2026-01-15T10:00:00+00:00', up: 1, held_reason: '' },
      ],
    })
    assertCors(r, 'GET, OPTIONS')
  })

  test('v3 gives held_reason; v1 and v2 answer exactly as before, without it', async () => {
    await h.ctx.db.kysely
      .updateTable('flips')
      .set({ held_reason: 'parent "db" is down', suppressed: 1 })
      .where('check_id', '=', check.id)
      .where('new_status', '=', 'down')
      .execute()
    const v3 = (await get()).json().flips
    assert.deepEqual(
      v3.map((f: { held_reason: string }) => f.held_reason),
      ['', 'parent "db" is down', ''],
    )
    for (const v of [1, 2]) {
      const r = await call(h.app, 'GET', `/api/v${v}/checks/${check.code}/flips/`, {
        key: h.alice.apiKey,
      })
      assert.equal(r.statusCode, 200)
      assert.equal(
        r.body,
        '{"flips":[{"timestamp":"2026-01-15T10:00:02+00:00","up":0},' +
          '{"timestamp":"2026-01-15T10:00:01+00:00","up":0},' +
          '{"timestamp":"2026-01-15T10:00:00+00:00","up":1}]}',
        `v${v}`,
      )
    }
  })

  test('it filters by start, end and seconds', async () => {
    const s = T0 / 1000
    assert.equal((await get(`?start=${s + 1}`)).json().flips.length, 2)
    assert.equal((await get(`?end=${s + 1}`)).json().flips.length, 1)
    assert.equal((await get(`?start=${s}&end=${s + 2}`)).json().flips.length, 2)
    h.ctx.clock.set(T0 + 10_000)
    assert.equal((await get('?seconds=9')).json().flips.length, 2)
    assert.equal((await get('?seconds=0')).json().flips.length, 3)
    assert.equal((await get('?seconds=')).json().flips.length, 3)
  })

  test('invalid filters answer an empty 400', async () => {
    for (const q of [
      '?start=abc',
      '?start=-1',
      '?end=10000000001',
      '?seconds=31536001',
      '?seconds=-5',
      '?start=',
      '?seconds=1.5',
    ]) {
      const r = await get(q)
      assert.equal(r.statusCode, 400, q)
      assert.equal(r.body, '', q)
    }
  })

  test('it works by unique key with a read-only key', async () => {
    const r = await get('', h.alice.apiKeyReadonly, uniqueKey(check.code))
    assert.equal(r.statusCode, 200)
    assert.equal(r.json().flips.length, 3)
    assert.equal((await get('', h.bob.apiKeyReadonly, uniqueKey(check.code))).statusCode, 404)
  })

  test('it answers 403 for another project and 401 without a key', async () => {
    assert.equal((await get('', h.bob.apiKey)).statusCode, 403)
    assertError(
      await call(h.app, 'GET', `/api/v3/checks/${check.code}/flips/`),
      401,
      'missing api key',
    )
  })
})
