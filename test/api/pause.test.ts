import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { Check } from '../../src/db/index.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import {
  type ApiHarness,
  assertCors,
  assertError,
  call,
  createApiHarness,
  readCheck,
  readFlips,
} from './api-harness.js'

describeEachDatabase('API: pause', (dialect) => {
  let h: ApiHarness
  let check: Check
  beforeEach(async () => {
    h = await createApiHarness(dialect)
    const now = h.ctx.clock.now()
    check = await buildCheck(h.ctx, h.alice.project, {
      status: 'up',
      last_ping: now,
      last_start: now,
      alert_after: now + 1000,
    })
  })
  afterEach(() => h.close())

  const pause = (key = h.alice.apiKey, code = check.code) =>
    call(h.app, 'POST', `/api/v3/checks/${code}/pause`, { key })

  test('it pauses the check and records a processed flip', async () => {
    const r = await pause()
    assert.equal(r.statusCode, 200)
    assert.equal(r.json().status, 'paused')
    assertCors(r, 'POST, OPTIONS')
    const saved = await readCheck(h.ctx, check.id)
    assert.equal(saved.status, 'paused')
    assert.equal(saved.last_start, null)
    assert.equal(saved.alert_after, null)
    const flips = await readFlips(h.ctx, check.id)
    assert.equal(flips.length, 1)
    assert.equal(flips[0].old_status, 'up')
    assert.equal(flips[0].new_status, 'paused')
    assert.equal(flips[0].processed, h.ctx.clock.now())
  })

  test('pausing twice records one flip', async () => {
    await pause()
    assert.equal((await pause()).statusCode, 200)
    assert.equal((await readFlips(h.ctx, check.id)).length, 1)
  })

  test('it accepts the key in the body and an empty body', async () => {
    const r = await call(h.app, 'POST', `/api/v3/checks/${check.code}/pause`, {
      body: { api_key: h.alice.apiKey },
    })
    assert.equal(r.statusCode, 200)
    assertError(
      await call(h.app, 'POST', `/api/v3/checks/${check.code}/pause`, {
        key: h.alice.apiKey,
        body: '5',
      }),
      400,
      'json validation error: value is not an object',
    )
  })

  test('it answers 403 for another project, 404 for unknown and 401 for read-only keys', async () => {
    assert.equal((await pause(h.bob.apiKey)).statusCode, 403)
    assert.equal(
      (await pause(h.alice.apiKey, '6d6a2b6e-1b0b-4d1a-9f0e-8e8f2d3f4a5b')).statusCode,
      404,
    )
    assertError(await pause(h.alice.apiKeyReadonly), 401, 'wrong api key')
    assert.equal((await readCheck(h.ctx, check.id)).status, 'up')
  })

  test('it only allows POST', async () => {
    const r = await call(h.app, 'GET', `/api/v3/checks/${check.code}/pause`, {
      key: h.alice.apiKey,
    })
    assert.equal(r.statusCode, 405)
    assert.equal(
      (await call(h.app, 'OPTIONS', `/api/v3/checks/${check.code}/pause`)).statusCode,
      204,
    )
  })

  async function nagDateOf(userId: number): Promise<number | null> {
    const u = await h.ctx.db.kysely
      .selectFrom('users')
      .select('next_nag_date')
      .where('id', '=', userId)
      .executeTakeFirstOrThrow()
    return u.next_nag_date
  }

  async function nagEveryHour(userId: number, next: number | null): Promise<void> {
    await h.ctx.db.kysely
      .updateTable('users')
      .set({ nag_period: 3600, next_nag_date: next })
      .where('id', '=', userId)
      .execute()
  }

  test("pausing the last down check clears the owner's next_nag_date", async () => {
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ status: 'down', alert_after: null })
      .where('id', '=', check.id)
      .execute()
    const next = h.ctx.clock.now() + 600_000
    await nagEveryHour(h.alice.owner.id, next)
    // Bob's reminders are about his own checks: Alice's pause leaves them alone.
    await nagEveryHour(h.bob.owner.id, next)
    assert.equal((await pause()).statusCode, 200)
    assert.equal(await nagDateOf(h.alice.owner.id), null)
    assert.equal(await nagDateOf(h.bob.owner.id), next)
  })

  test('pausing one check keeps reminders while another check is still down', async () => {
    await buildCheck(h.ctx, h.alice.project, { name: 'other', status: 'down' })
    const next = h.ctx.clock.now() + 600_000
    await nagEveryHour(h.alice.owner.id, next)
    assert.equal((await pause()).statusCode, 200)
    assert.equal(await nagDateOf(h.alice.owner.id), next)
  })

  test('pausing an already paused check also clears a stale next_nag_date', async () => {
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ status: 'paused', alert_after: null, last_start: null })
      .where('id', '=', check.id)
      .execute()
    await nagEveryHour(h.alice.owner.id, h.ctx.clock.now() + 600_000)
    assert.equal((await pause()).statusCode, 200)
    assert.equal(await nagDateOf(h.alice.owner.id), null)
    assert.equal((await readFlips(h.ctx, check.id)).length, 0)
  })
})
