// The run-insight check fields in API v3 (a Vigil extension): create, update, JSON, validation.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, assertError, call, createApiHarness, readCheck } from './api-harness.js'

const ON = {
  unusual_duration_warning: true,
  new_source_days: 30,
  source_scope: 'network',
  two_sources_warning: true,
  too_often_warning: true,
}
const OFF = {
  unusual_duration_warning: false,
  new_source_days: 0,
  source_scope: 'address',
  two_sources_warning: false,
  too_often_warning: false,
}

describeEachDatabase('API: run insight fields', (dialect) => {
  let h: ApiHarness
  before(async () => {
    h = await createApiHarness(dialect)
  })
  after(() => h.close())

  const create = (body: unknown) =>
    call(h.app, 'POST', '/api/v3/checks/', { key: h.alice.apiKey, body })

  test('a new check has every insight warning off, shown in v3 JSON only', async () => {
    const r = await create({ name: 'plain' })
    assert.equal(r.statusCode, 201)
    assert.deepEqual(pick(r.json()), OFF)
    const v1 = await call(h.app, 'GET', `/api/v1/checks/${r.json().uuid}`, { key: h.alice.apiKey })
    assert.equal(v1.json().too_often_warning, undefined)
  })

  test('create and update set the fields; switching on starts at the current ping number', async () => {
    const r = await create({ name: 'nightly', schedule: '0 3 * * *', ...ON })
    assert.equal(r.statusCode, 201)
    assert.deepEqual(pick(r.json()), ON)
    const id = await idOf(r.json().uuid)
    const saved = await readCheck(h.ctx, id)
    assert.equal(saved.insight_on, 1)

    const url = `/api/v3/checks/${r.json().uuid}`
    const off = await call(h.app, 'POST', url, { key: h.alice.apiKey, body: OFF })
    assert.equal(off.statusCode, 200)
    assert.deepEqual(pick(off.json()), OFF)
    assert.equal((await readCheck(h.ctx, id)).insight_on, 0)

    await h.ctx.db.kysely.updateTable('checks').set({ n_pings: 7 }).where('id', '=', id).execute()
    const on = await call(h.app, 'POST', url, {
      key: h.alice.apiKey,
      body: { too_often_warning: true },
    })
    assert.equal(on.json().too_often_warning, true)
    const again = await readCheck(h.ctx, id)
    assert.equal(again.insight_on, 1)
    assert.equal(again.insight_n, 7)
  })

  test('the README curl form (-d, a form content type) is read as JSON', async () => {
    const made = await create({ name: 'curl' })
    const r = await h.app.inject({
      method: 'POST',
      url: `/api/v3/checks/${made.json().uuid}`,
      headers: { 'x-api-key': h.alice.apiKey, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '{"new_source_days": 30, "source_scope": "network", "two_sources_warning": true}',
    })
    assert.equal(r.statusCode, 200, r.body)
    assert.equal(r.json().source_scope, 'network')
  })

  const invalid: Array<[Record<string, unknown>, string]> = [
    [{ unusual_duration_warning: 'yes' }, 'unusual_duration_warning is not a boolean'],
    [{ new_source_days: -1 }, 'new_source_days is out of range (allowed: 0 to 365 days)'],
    [{ new_source_days: 366 }, 'new_source_days is out of range (allowed: 0 to 365 days)'],
    [{ new_source_days: 1.5 }, 'new_source_days is not a number'],
    [{ new_source_days: null }, 'new_source_days is not a number'],
    [{ source_scope: '/24' }, 'source_scope has unexpected value'],
    [{ two_sources_warning: 1 }, 'two_sources_warning is not a boolean'],
    [{ too_often_warning: null }, 'too_often_warning is not a boolean'],
  ]
  for (const [body, message] of invalid) {
    test(`${JSON.stringify(body)} answers 400 "${message}" and changes nothing`, async () => {
      const made = await create({ name: 'target' })
      const url = `/api/v3/checks/${made.json().uuid}`
      assertError(
        await call(h.app, 'POST', url, { key: h.alice.apiKey, body: { name: 'x', ...body } }),
        400,
        `json validation error: ${message}`,
      )
      const saved = await readCheck(h.ctx, await idOf(made.json().uuid))
      assert.equal(saved.name, 'target')
      assert.equal(saved.insight_on, 0)
      assertError(
        await create({ name: 'never', ...body }),
        400,
        `json validation error: ${message}`,
      )
    })
  }

  test('the OpenAPI document publishes the fields as Vigil extensions', async () => {
    const r = await call(h.app, 'GET', '/api/v3/openapi.json')
    const spec = r.json().components.schemas
    assert.equal(spec.CheckSpec.properties.source_scope['x-vigil-extension'], true)
    assert.deepEqual(spec.CheckSpec.properties.source_scope.enum, ['address', 'network'])
    assert.equal(spec.Check.properties.new_source_days['x-vigil-extension'], true)
  })

  async function idOf(uuid: string): Promise<number> {
    const row = await h.ctx.db.kysely
      .selectFrom('checks')
      .select('id')
      .where('code', '=', uuid)
      .executeTakeFirstOrThrow()
    return row.id
  }
})

function pick(json: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(ON).map((k) => [k, json[k]]))
}
