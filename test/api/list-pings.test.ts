import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { Check } from '../../src/db/index.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import {
  type ApiHarness,
  assertCors,
  assertError,
  buildPing,
  call,
  createApiHarness,
  SITE_ROOT,
} from './api-harness.js'

const RID = '11111111-2222-4333-8444-555555555555'
const T0 = Date.parse('2026-01-15T10:00:00Z')

describeEachDatabase('API: list pings', (dialect) => {
  let h: ApiHarness
  let check: Check
  beforeEach(async () => {
    h = await createApiHarness(dialect)
    check = await buildCheck(h.ctx, h.alice.project)
  })
  afterEach(() => h.close())

  const list = async (v = 3, key = h.alice.apiKey) => {
    const r = await call(h.app, 'GET', `/api/v${v}/checks/${check.code}/pings/`, { key })
    assert.equal(r.statusCode, 200, r.body)
    return r.json().pings as Array<Record<string, unknown>>
  }

  test("it lists pings newest first with Healthchecks' fields", async () => {
    await buildPing(h.ctx, check, { n: 1, created: T0, kind: 'start', rid: RID })
    await buildPing(h.ctx, check, {
      n: 2,
      created: T0 + 2_900,
      kind: 'success',
      rid: RID,
      body: Buffer.from('hello'),
      scheme: 'https',
      method: 'POST',
    })
    const pings = await list()
    assert.deepEqual(pings[0], {
      type: 'success',
      date: '2026-01-15T10:00:02.900000+00:00',
      n: 2,
      scheme: 'https',
      remote_addr: '192.0.2.1',
      method: 'POST',
      ua: 'curl/8',
      rid: RID,
      body_url: `${SITE_ROOT}/api/v3/checks/${check.code}/pings/2/body`,
      duration: 2.9,
    })
    assert.equal(pings[1].type, 'start')
    assert.equal(pings[1].date, '2026-01-15T10:00:00+00:00')
    assert.equal(pings[1].body_url, null)
    assert.equal(pings[1].duration, undefined)
  })

  test('body_url uses the request version', async () => {
    await buildPing(h.ctx, check, { n: 1, body: Buffer.from('x') })
    assert.equal(
      (await list(1))[0].body_url,
      `${SITE_ROOT}/api/v1/checks/${check.code}/pings/1/body`,
    )
  })

  test('durations pair by run id, null with null, and not across 72 hours', async () => {
    await buildPing(h.ctx, check, { n: 1, created: T0, kind: 'start' })
    await buildPing(h.ctx, check, { n: 2, created: T0 + 1000, kind: 'start', rid: RID })
    await buildPing(h.ctx, check, { n: 3, created: T0 + 5000, kind: 'log' })
    await buildPing(h.ctx, check, { n: 4, created: T0 + 10_000, kind: 'fail' })
    await buildPing(h.ctx, check, { n: 5, created: T0 + 11_000, kind: 'success' })
    await buildPing(h.ctx, check, { n: 6, created: T0 + 73 * 3600_000, kind: 'success', rid: RID })
    const byN = new Map((await list()).map((p) => [p.n, p.duration]))
    assert.equal(byN.get(4), 10)
    assert.equal(byN.get(5), undefined)
    assert.equal(byN.get(6), undefined)
    assert.equal(byN.get(3), undefined)
  })

  test('a start older than the listed pings still pairs', async () => {
    await h.ctx.db.kysely
      .updateTable('projects')
      .set({ ping_log_limit: 1 })
      .where('id', '=', h.alice.project.id)
      .execute()
    await buildPing(h.ctx, check, { n: 1, created: T0, kind: 'start' })
    await buildPing(h.ctx, check, { n: 2, created: T0 + 60_000, kind: 'success' })
    const pings = await list()
    assert.equal(pings.length, 1)
    assert.equal(pings[0].duration, 60)
  })

  test('with more than 10 unpaired successes no durations are shown', async () => {
    await h.ctx.db.kysely
      .updateTable('projects')
      .set({ ping_log_limit: 12 })
      .where('id', '=', h.alice.project.id)
      .execute()
    await buildPing(h.ctx, check, { n: 1, created: T0, kind: 'start' })
    for (let i = 0; i < 11; i++) {
      await buildPing(h.ctx, check, {
        n: 2 + i,
        created: T0 + 1000 + i,
        kind: 'success',
        rid: `00000000-0000-4000-8000-0000000000${10 + i}`,
      })
    }
    await buildPing(h.ctx, check, { n: 13, created: T0 + 5000, kind: 'success' })
    const pings = await list()
    assert.equal(pings.length, 12)
    assert.ok(pings.every((p) => p.duration === undefined))
  })

  test('it returns at most ping_log_limit pings', async () => {
    await h.ctx.db.kysely
      .updateTable('projects')
      .set({ ping_log_limit: 2 })
      .where('id', '=', h.alice.project.id)
      .execute()
    for (let n = 1; n <= 4; n++) await buildPing(h.ctx, check, { n })
    assert.deepEqual(
      (await list()).map((p) => p.n),
      [4, 3],
    )
  })

  test('read-only keys, other projects and unknown checks are refused', async () => {
    assertError(
      await call(h.app, 'GET', `/api/v3/checks/${check.code}/pings/`, {
        key: h.alice.apiKeyReadonly,
      }),
      401,
      'wrong api key',
    )
    assert.equal(
      (await call(h.app, 'GET', `/api/v3/checks/${check.code}/pings/`, { key: h.bob.apiKey }))
        .statusCode,
      403,
    )
    assert.equal(
      (
        await call(h.app, 'GET', '/api/v3/checks/6d6a2b6e-1b0b-4d1a-9f0e-8e8f2d3f4a5b/pings/', {
          key: h.alice.apiKey,
        })
      ).statusCode,
      404,
    )
  })

  test('it only allows GET', async () => {
    const r = await call(h.app, 'POST', `/api/v3/checks/${check.code}/pings/`, {
      key: h.alice.apiKey,
    })
    assert.equal(r.statusCode, 405)
    assertCors(r, 'GET, OPTIONS')
  })
})
