// API v3's run-time fields (Vigil extensions): max_runtime and min_runtime in the check JSON,
// set and cleared through create and update with clear 400s, absent from v1/v2, the deadline
// recomputed on edit, and progress pings listed with type "progress".
import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, assertError, call, createApiHarness } from './api-harness.js'

describeEachDatabase('API: run-time limits', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect)
  })
  afterEach(() => h.close())

  const byCode = (code: string) =>
    h.ctx.db.kysely
      .selectFrom('checks')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirstOrThrow()
  const create = (body: unknown, v = 3) =>
    call(h.app, 'POST', `/api/v${v}/checks/`, { key: h.alice.apiKey, body })

  test('create sets both limits and v3 JSON shows them; v1 and v2 do not', async () => {
    const r = await create({ name: 'backup', max_runtime: 7200, min_runtime: 30 })
    assert.equal(r.statusCode, 201)
    assert.deepEqual([r.json().max_runtime, r.json().min_runtime], [7200, 30])
    const code = r.json().uuid
    for (const v of [1, 2]) {
      const doc = (
        await call(h.app, 'GET', `/api/v${v}/checks/${code}`, { key: h.alice.apiKey })
      ).json()
      assert.equal('max_runtime' in doc, false, `v${v}`)
    }
    const plain = await create({ name: 'plain' })
    assert.deepEqual([plain.json().max_runtime, plain.json().min_runtime], [null, null])
  })

  test('update sets, keeps and clears a limit, and recomputes the deadline of a running job', async () => {
    const r = await create({ name: 'job', timeout: 3600, grace: 600 })
    const code = r.json().uuid
    const url = `/api/v3/checks/${code}`
    const ping = await h.app.inject({ method: 'GET', url: `/ping/${code}/start` })
    assert.equal(ping.statusCode, 200)
    const id = (await byCode(code)).id
    const now = h.ctx.clock.now()
    assert.equal((await byCode(code)).alert_after, now + 600_000)

    const up = await call(h.app, 'POST', url, {
      key: h.alice.apiKey,
      body: { max_runtime: 3 * 3600 },
    })
    assert.equal(up.statusCode, 200, up.body)
    assert.equal(up.json().max_runtime, 3 * 3600)
    assert.equal((await byCode(code)).alert_after, now + 3 * 3600_000)

    const keep = await call(h.app, 'POST', url, { key: h.alice.apiKey, body: { name: 'renamed' } })
    assert.equal(keep.json().max_runtime, 3 * 3600)

    const clear = await call(h.app, 'POST', url, {
      key: h.alice.apiKey,
      body: { max_runtime: null },
    })
    assert.equal(clear.json().max_runtime, null)
    const row = await byCode(code)
    assert.equal(row.id, id)
    assert.equal(row.alert_after, now + 600_000)
  })

  test('bad values answer 400 with the allowed range and change nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { max_runtime: 59 },
        'max_runtime is too small (allowed: 60 to 31536000 seconds, or null to unset)',
      ],
      [
        { max_runtime: 31_536_001 },
        'max_runtime is too large (allowed: 60 to 31536000 seconds, or null to unset)',
      ],
      [{ max_runtime: '3600' }, 'max_runtime is not a number or null'],
      [{ max_runtime: 1.5 }, 'max_runtime is not a number or null'],
      [{ max_runtime: true }, 'max_runtime is not a number or null'],
      [
        { min_runtime: 0 },
        'min_runtime is too small (allowed: 1 to 31536000 seconds, or null to unset)',
      ],
      [{ min_runtime: [] }, 'min_runtime is not a number or null'],
      [
        { max_runtime: 600, min_runtime: 600 },
        'min_runtime must be smaller than max_runtime (600 seconds)',
      ],
    ]
    for (const [body, message] of cases) {
      assertError(await create({ name: 'x', ...body }), 400, `json validation error: ${message}`)
    }
    const count = await h.ctx.db.kysely.selectFrom('checks').select('id').execute()
    assert.equal(count.length, 0)
  })

  test('an update that would put min_runtime at or above the stored max_runtime is refused', async () => {
    const code = (await create({ name: 'job', max_runtime: 600 })).json().uuid
    const r = await call(h.app, 'POST', `/api/v3/checks/${code}`, {
      key: h.alice.apiKey,
      body: { min_runtime: 900 },
    })
    assertError(
      r,
      400,
      'json validation error: min_runtime must be smaller than max_runtime (600 seconds)',
    )
    assert.equal((await byCode(code)).min_runtime, null)
  })

  test('the pings list shows a progress ping with type "progress"', async () => {
    const code = (await create({ name: 'job', max_runtime: 600 })).json().uuid
    for (const suffix of ['start', 'progress']) {
      await h.app.inject({ method: 'GET', url: `/ping/${code}/${suffix}` })
    }
    const r = await call(h.app, 'GET', `/api/v3/checks/${code}/pings/`, { key: h.alice.apiKey })
    assert.deepEqual(
      r.json().pings.map((p: { type: string }) => p.type),
      ['progress', 'start'],
    )
  })

  test('a run longer than 72 hours has its duration listed when max_runtime allows it', async () => {
    const long = (await create({ name: 'long', max_runtime: 5 * 86_400 })).json().uuid
    const plain = (await create({ name: 'plain' })).json().uuid
    for (const code of [long, plain])
      await h.app.inject({ method: 'GET', url: `/ping/${code}/start` })
    h.ctx.clock.advance(80 * 3600_000)
    for (const code of [long, plain]) await h.app.inject({ method: 'GET', url: `/ping/${code}` })
    const durations = async (code: string) =>
      (await call(h.app, 'GET', `/api/v3/checks/${code}/pings/`, { key: h.alice.apiKey }))
        .json()
        .pings.map((p: { duration?: number }) => p.duration)
    assert.deepEqual(await durations(long), [80 * 3600, undefined])
    // Healthchecks' 72-hour pairing limit still holds without max_runtime.
    assert.deepEqual(await durations(plain), [undefined, undefined])
  })
})
