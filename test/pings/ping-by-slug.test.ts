import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, test } from 'node:test'
import type { Check } from '../../src/db/index.js'
import { buildChannel, buildCheck, buildProject } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { createPingHarness, onlyPing, type PingHarness, readPings } from './ping-harness.js'

// Healthchecks' hc/api/tests/test_ping_by_slug.py, for /ping/<ping-key>/<slug>[/…].
describeEachDatabase('ping by slug', (dialect) => {
  let h: PingHarness
  let check: Check
  let url: string
  beforeEach(async () => {
    h = await createPingHarness(dialect)
    check = await buildCheck(h.ctx, h.alice.project, { name: 'foo', slug: 'foo' })
    url = `/ping/${h.alice.project.ping_key}/foo`
  })
  afterEach(() => h.close())

  const allChecks = () => h.ctx.db.kysely.selectFrom('checks').selectAll().orderBy('id').execute()
  const deleteCheck = () =>
    h.ctx.db.kysely.deleteFrom('checks').where('id', '=', check.id).execute()

  test('it works', async () => {
    const r = await h.app.inject({ method: 'GET', url })
    assert.equal(r.statusCode, 200)
    assert.equal(r.body, 'OK')
    assert.equal(r.headers['access-control-allow-origin'], '*')
    const ping = await onlyPing(h.ctx)
    assert.equal(ping.kind, 'success')
    assert.equal(ping.check_id, check.id)
  })

  test('post works', async () => {
    const r = await h.app.inject({
      method: 'POST',
      url,
      payload: 'hello world',
      headers: { 'content-type': 'text/plain' },
    })
    assert.equal(r.statusCode, 200)
    const ping = await onlyPing(h.ctx)
    assert.equal(ping.method, 'POST')
    assert.deepEqual(ping.body, Buffer.from('hello world'))
  })

  test('head works', async () => {
    const r = await h.app.inject({ method: 'HEAD', url })
    assert.equal(r.statusCode, 200)
    assert.equal((await readPings(h.ctx)).length, 1)
  })

  test('it never caches', async () => {
    const r = await h.app.inject({ method: 'GET', url })
    assert.match(String(r.headers['cache-control']), /no-cache/)
  })

  test('fail endpoint works', async () => {
    await h.app.inject({ method: 'GET', url: `${url}/fail` })
    assert.equal((await onlyPing(h.ctx)).kind, 'fail')
  })

  test('start endpoint works', async () => {
    await h.app.inject({ method: 'GET', url: `${url}/start` })
    assert.equal((await onlyPing(h.ctx)).kind, 'start')
  })

  test('log endpoint works', async () => {
    await h.app.inject({ method: 'GET', url: `${url}/log` })
    assert.equal((await onlyPing(h.ctx)).kind, 'log')
  })

  test('zero exit status works', async () => {
    await h.app.inject({ method: 'GET', url: `${url}/0` })
    const ping = await onlyPing(h.ctx)
    assert.equal(ping.kind, 'success')
    assert.equal(ping.exitstatus, 0)
  })

  test('nonzero exit status works', async () => {
    await h.app.inject({ method: 'GET', url: `${url}/123` })
    const ping = await onlyPing(h.ctx)
    assert.equal(ping.kind, 'fail')
    assert.equal(ping.exitstatus, 123)
  })

  test('it rejects exit status over 255', async () => {
    const r = await h.app.inject({ method: 'GET', url: `${url}/256` })
    assert.equal(r.statusCode, 400)
    assert.equal(r.body, 'invalid url format')
  })

  test('it handles duplicates', async () => {
    await buildCheck(h.ctx, h.alice.project, { name: 'foo', slug: 'foo' })
    const r = await h.app.inject({ method: 'GET', url })
    assert.equal(r.statusCode, 409)
    assert.equal(r.body, 'ambiguous slug')
    assert.equal(r.headers['access-control-allow-origin'], undefined)
    assert.equal((await readPings(h.ctx)).length, 0)
  })

  test('the same slug in another project is not a duplicate', async () => {
    const bob = await buildProject(h.ctx, 'bob@example.org', 'Bobs Project')
    await buildCheck(h.ctx, bob.project, { name: 'foo', slug: 'foo' })
    const r = await h.app.inject({ method: 'GET', url })
    assert.equal(r.statusCode, 200)
  })

  test('it handles wrong ping key', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/ping/rrrrrrrrrrrrrrrrrrrrrr/foo' })
    assert.equal(r.statusCode, 404)
    assert.equal(r.body, 'not found')
    assert.equal(r.headers['access-control-allow-origin'], undefined)
  })

  test('it handles a missing slug', async () => {
    const r = await h.app.inject({ method: 'GET', url: `/ping/${h.alice.project.ping_key}/bar` })
    assert.equal(r.statusCode, 404)
    assert.equal(r.body, 'not found')
  })

  test('it rejects uppercase slug', async () => {
    const r = await h.app.inject({ method: 'GET', url: `/ping/${h.alice.project.ping_key}/Foo` })
    assert.equal(r.statusCode, 400)
    assert.equal(r.body, 'invalid url format')
  })

  test('an uppercase slug is refused before the lookup, even with create', async () => {
    const r = await h.app.inject({
      method: 'GET',
      url: `/ping/${h.alice.project.ping_key}/NEW?create=1`,
    })
    assert.equal(r.statusCode, 400)
    assert.equal((await allChecks()).length, 1)
  })

  test('it has no trailing slash form', async () => {
    const r = await h.app.inject({ method: 'GET', url: `${url}/` })
    assert.equal(r.statusCode, 404)
    assert.equal((await readPings(h.ctx)).length, 0)
  })

  test('it handles invalid rid', async () => {
    const r = await h.app.inject({ method: 'GET', url: `${url}?rid=12345` })
    assert.equal(r.statusCode, 400)
    assert.equal(r.body, 'invalid uuid format')
  })

  test('it auto provisions missing check', async () => {
    await deleteCheck()
    const other = await buildChannel(h.ctx, h.alice.project, 'webhook', {
      url: 'http://127.0.0.1:9/',
    })
    const r = await h.app.inject({ method: 'GET', url: `${url}?create=1` })
    assert.equal(r.statusCode, 201)
    assert.equal(r.body, 'Created')
    assert.equal(r.headers['access-control-allow-origin'], '*')
    const [created] = await allChecks()
    assert.equal(created.name, 'foo')
    assert.equal(created.slug, 'foo')
    assert.equal(created.kind, 'simple')
    assert.equal(created.timeout, 86400)
    assert.equal(created.grace, 3600)
    assert.equal(created.status, 'up')
    assert.equal(created.n_pings, 1)
    assert.equal((await readPings(h.ctx, created.id)).length, 1)
    // Every channel of the project, the owner's email channel included.
    const assigned = await h.ctx.db.kysely
      .selectFrom('check_channels')
      .select('channel_id')
      .where('check_id', '=', created.id)
      .orderBy('channel_id')
      .execute()
    const channels = await h.ctx.db.kysely
      .selectFrom('channels')
      .select('id')
      .where('project_id', '=', h.alice.project.id)
      .orderBy('id')
      .execute()
    assert.equal(channels.length, 2)
    assert.ok(channels.some((c) => c.id === other.id))
    assert.deepEqual(
      assigned.map((a) => a.channel_id),
      channels.map((c) => c.id),
    )
  })

  test('auto provisioning answers 200 when the check exists', async () => {
    const r = await h.app.inject({ method: 'GET', url: `${url}?create=1` })
    assert.equal(r.statusCode, 200)
    assert.equal(r.body, 'OK')
    assert.equal((await allChecks()).length, 1)
  })

  test('auto provisioning is off by default', async () => {
    await deleteCheck()
    for (const q of ['', '?create=0', '?create=true']) {
      const r = await h.app.inject({ method: 'GET', url: url + q })
      assert.equal(r.statusCode, 404, q)
    }
    assert.equal((await allChecks()).length, 0)
  })

  test('auto provisioning with an unknown ping key is not found', async () => {
    const r = await h.app.inject({
      method: 'GET',
      url: '/ping/rrrrrrrrrrrrrrrrrrrrrr/foo?create=1',
    })
    assert.equal(r.statusCode, 404)
    assert.equal(r.body, 'not found')
  })

  test('auto provisioning with a bad rid answers 400 but keeps the new check', async () => {
    await deleteCheck()
    const r = await h.app.inject({ method: 'GET', url: `${url}?create=1&rid=nope` })
    assert.equal(r.statusCode, 400)
    assert.equal(r.body, 'invalid uuid format')
    const checks = await allChecks()
    assert.equal(checks.length, 1)
    assert.equal(checks[0].n_pings, 0)
    assert.equal((await readPings(h.ctx)).length, 0)
  })

  test('auto provisioning with a bad exit status answers 400 but keeps the new check', async () => {
    await deleteCheck()
    const r = await h.app.inject({ method: 'GET', url: `${url}/256?create=1` })
    assert.equal(r.statusCode, 400)
    assert.equal((await allChecks()).length, 1)
  })

  test('auto provisioning limits check count', async () => {
    await deleteCheck()
    // check_limit 1 allows auto-provisioning up to 2 checks across the owner's projects.
    await h.ctx.db.kysely
      .updateTable('projects')
      .set({ check_limit: 1 })
      .where('id', '=', h.alice.project.id)
      .execute()
    const second = await buildProject(h.ctx, 'alice@example.org', 'Alices Second Project')
    await buildCheck(h.ctx, second.project, { slug: 'elsewhere' })
    const first = await h.app.inject({
      method: 'GET',
      url: `/ping/${h.alice.project.ping_key}/one?create=1`,
    })
    assert.equal(first.statusCode, 201)
    const r = await h.app.inject({
      method: 'GET',
      url: `/ping/${h.alice.project.ping_key}/two?create=1`,
    })
    assert.equal(r.statusCode, 404)
    assert.equal(r.body, 'not found')
    assert.deepEqual(
      (await allChecks()).map((c) => c.slug),
      ['elsewhere', 'one'],
    )
  })

  test('auto provisioning does not count other owners checks', async () => {
    await deleteCheck()
    await h.ctx.db.kysely
      .updateTable('projects')
      .set({ check_limit: 1 })
      .where('id', '=', h.alice.project.id)
      .execute()
    const bob = await buildProject(h.ctx, 'bob@example.org', 'Bobs Project')
    for (const slug of ['a', 'b', 'c']) await buildCheck(h.ctx, bob.project, { slug })
    const r = await h.app.inject({ method: 'GET', url: `${url}?create=1` })
    assert.equal(r.statusCode, 201)
  })

  test('concurrent auto provisioning creates the check once', async () => {
    await deleteCheck()
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.app.inject({ method: 'GET', url: `${url}?create=1&rid=${randomUUID()}` }),
      ),
    )
    assert.deepEqual(
      answers.map((a) => a.statusCode).sort(),
      [200, 200, 200, 200, 200, 200, 200, 200, 200, 201],
    )
    const checks = await allChecks()
    assert.equal(checks.length, 1)
    assert.equal(checks[0].n_pings, 10)
  })
})
