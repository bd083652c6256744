import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { Check } from '../../src/db/index.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, assertError, call, createApiHarness } from './api-harness.js'

describeEachDatabase('API: depends_on (Vigil extension)', (dialect) => {
  let h: ApiHarness
  let net: Check
  let db: Check
  let backup: Check
  beforeEach(async () => {
    h = await createApiHarness(dialect)
    net = await buildCheck(h.ctx, h.alice.project, { name: 'net' })
    db = await buildCheck(h.ctx, h.alice.project, { name: 'db' })
    backup = await buildCheck(h.ctx, h.alice.project, { name: 'backup' })
  })
  afterEach(() => h.close())

  const update = (c: Check, body: unknown, v = 3) =>
    call(h.app, 'POST', `/api/v${v}/checks/${c.code}`, { key: h.alice.apiKey, body })
  const edges = async () =>
    (
      await h.ctx.db.kysely
        .selectFrom('check_dependencies')
        .select(['check_id', 'depends_on_id'])
        .orderBy('check_id')
        .orderBy('depends_on_id')
        .execute()
    ).map((e) => [e.check_id, e.depends_on_id])

  test('update sets and replaces the parents; v3 JSON shows them sorted', async () => {
    let r = await update(backup, { depends_on: [net.code, db.code.toUpperCase()] })
    assert.equal(r.statusCode, 200, r.body)
    assert.deepEqual(r.json().depends_on, [net.code, db.code].sort())
    r = await update(backup, { depends_on: [net.code] })
    assert.deepEqual(r.json().depends_on, [net.code])
    assert.deepEqual(await edges(), [[backup.id, net.id]])
    r = await call(h.app, 'GET', `/api/v3/checks/${backup.code}`, { key: h.alice.apiKey })
    assert.deepEqual(r.json().depends_on, [net.code])
  })

  test('an update without depends_on leaves the parents alone', async () => {
    await update(backup, { depends_on: [net.code] })
    const r = await update(backup, { name: 'nightly backup' })
    assert.deepEqual(r.json().depends_on, [net.code])
  })

  test('create takes depends_on; list shows it; v1/v2 and read-only keys do not', async () => {
    const r = await call(h.app, 'POST', '/api/v3/checks/', {
      key: h.alice.apiKey,
      body: { name: 'report', depends_on: [db.code] },
    })
    assert.equal(r.statusCode, 201, r.body)
    assert.deepEqual(r.json().depends_on, [db.code])
    const list = await call(h.app, 'GET', '/api/v3/checks/', { key: h.alice.apiKey })
    const report = list.json().checks.find((c: { name: string }) => c.name === 'report')
    assert.deepEqual(report.depends_on, [db.code])
    assert.deepEqual(
      list.json().checks.find((c: { name: string }) => c.name === 'net').depends_on,
      [],
    )
    const v2 = await call(h.app, 'GET', '/api/v2/checks/', { key: h.alice.apiKey })
    assert.ok(v2.json().checks.every((c: object) => !('depends_on' in c)))
    const ro = await call(h.app, 'GET', '/api/v3/checks/', { key: h.alice.apiKeyReadonly })
    assert.ok(ro.json().checks.every((c: object) => !('depends_on' in c)))
  })

  test('a self-dependency is refused and changes nothing', async () => {
    const r = await update(backup, { depends_on: [backup.code], name: 'changed' })
    assertError(r, 400, 'json validation error: depends_on names the check itself')
    assert.deepEqual(await edges(), [])
    const row = await h.ctx.db.kysely
      .selectFrom('checks')
      .select('name')
      .where('id', '=', backup.id)
      .executeTakeFirstOrThrow()
    assert.equal(row.name, 'backup')
  })

  test('a cycle is refused, naming it', async () => {
    assert.equal((await update(db, { depends_on: [net.code] })).statusCode, 200)
    assert.equal((await update(backup, { depends_on: [db.code] })).statusCode, 200)
    const r = await update(net, { depends_on: [backup.code] })
    assertError(
      r,
      400,
      'json validation error: depends_on would create a cycle: net → backup → db → net',
    )
    assert.deepEqual(await edges(), [
      [db.id, net.id],
      [backup.id, db.id],
    ])
  })

  test("another project's check and an unknown UUID are refused, each named", async () => {
    const other = await buildCheck(h.ctx, h.bob.project, { name: 'bobs' })
    assertError(
      await update(backup, { depends_on: [other.code] }),
      400,
      `json validation error: depends_on names a check of another project: ${other.code}`,
    )
    const unknown = '00000000-0000-4000-8000-000000000000'
    assertError(
      await call(h.app, 'POST', '/api/v3/checks/', {
        key: h.alice.apiKey,
        body: { name: 'x', depends_on: [unknown] },
      }),
      400,
      `json validation error: depends_on names no known check: ${unknown}`,
    )
    assert.deepEqual(await edges(), [])
  })

  test('malformed depends_on values are refused', async () => {
    assertError(
      await update(backup, { depends_on: net.code }),
      400,
      'json validation error: depends_on is not an array',
    )
    assertError(
      await update(backup, { depends_on: ['not-a-uuid'] }),
      400,
      "json validation error: an item in 'depends_on' is not a check UUID",
    )
    assertError(
      await update(backup, { depends_on: [1] }),
      400,
      "json validation error: an item in 'depends_on' is not a check UUID",
    )
  })

  test('deleting a parent removes the edge', async () => {
    await update(backup, { depends_on: [net.code, db.code] })
    const r = await call(h.app, 'DELETE', `/api/v3/checks/${net.code}`, { key: h.alice.apiKey })
    assert.equal(r.statusCode, 200)
    assert.deepEqual(await edges(), [[backup.id, db.id]])
  })
})
