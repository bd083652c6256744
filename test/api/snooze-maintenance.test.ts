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
} from './api-harness.js'

const MIN = 60_000
const RIGA = { schedule: '0 2 * * 0', duration: 7200, tz: 'Europe/Riga' }

describeEachDatabase('API: snooze and maintenance windows (Vigil v3 extensions)', (dialect) => {
  let h: ApiHarness
  let check: Check
  beforeEach(async () => {
    h = await createApiHarness(dialect)
    check = await buildCheck(h.ctx, h.alice.project, { name: 'db backup', tags: 'db prod' })
  })
  afterEach(() => h.close())

  const snooze = (body: unknown, key = h.alice.apiKey, code = check.code) =>
    call(h.app, 'POST', `/api/v3/checks/${code}/snooze`, { key, body })

  test('POST …/snooze with minutes, then DELETE ends it; the check JSON shows it', async () => {
    const now = h.ctx.clock.now()
    const r = await snooze({ minutes: 30, reason: 'deploy' })
    assert.equal(r.statusCode, 200, r.body)
    assertCors(r, 'POST, DELETE, OPTIONS')
    assert.equal(r.json().snoozed_until, '2026-01-15T12:30:00+00:00')
    assert.equal(r.json().snooze_reason, 'deploy')
    assert.equal((await readCheck(h.ctx, check.id)).snoozed_until, now + 30 * MIN)
    const got = await call(h.app, 'GET', `/api/v3/checks/${check.code}`, { key: h.alice.apiKey })
    assert.equal(got.json().snoozed_until, '2026-01-15T12:30:00+00:00')
    const history = await h.ctx.db.kysely.selectFrom('snoozes').selectAll().execute()
    assert.deepEqual(
      history.map((s) => [s.until, s.reason, s.source, s.ended]),
      [[now + 30 * MIN, 'deploy', 'api', null]],
    )

    h.ctx.clock.advance(MIN)
    const d = await call(h.app, 'DELETE', `/api/v3/checks/${check.code}/snooze`, {
      key: h.alice.apiKey,
    })
    assert.equal(d.statusCode, 200)
    assert.equal(d.json().snoozed_until, null)
    assert.equal((await readCheck(h.ctx, check.id)).snoozed_until, null)
    const ended = await h.ctx.db.kysely.selectFrom('snoozes').select('ended').execute()
    assert.deepEqual(ended, [{ ended: now + MIN }])
    // Ending a check that is not snoozed is fine and changes nothing.
    const again = await call(h.app, 'DELETE', `/api/v3/checks/${check.code}/snooze`, {
      key: h.alice.apiKey,
    })
    assert.equal(again.statusCode, 200)
  })

  test('until: an ISO time in the future; the v1/v2 JSON stays Healthchecks’', async () => {
    const r = await snooze({ until: '2026-01-16T02:00:00+02:00' })
    assert.equal(r.json().snoozed_until, '2026-01-16T00:00:00+00:00')
    const v1 = await call(h.app, 'GET', `/api/v1/checks/${check.code}`, { key: h.alice.apiKey })
    assert.equal('snoozed_until' in v1.json(), false)
    assert.equal(
      (
        await call(h.app, 'POST', `/api/v1/checks/${check.code}/snooze`, {
          key: h.alice.apiKey,
          body: { minutes: 5 },
        })
      ).statusCode,
      404,
    )
  })

  test('validation errors are 400 with a message and change nothing', async () => {
    const cases: [unknown, string][] = [
      [{}, 'json validation error: minutes or until is required (exactly one of them)'],
      [{ minutes: 0 }, 'json validation error: minutes is out of range (allowed: 1 to 43200)'],
      [{ minutes: 43_201 }, 'json validation error: minutes is out of range (allowed: 1 to 43200)'],
      [{ minutes: 'x' }, 'json validation error: minutes is not an integer'],
      [{ until: '2026-01-15T11:00:00Z' }, 'json validation error: until is not in the future'],
      [
        { until: '2027-01-15T11:00:00Z' },
        'json validation error: until is more than 30 days ahead',
      ],
      [
        { until: 'tomorrow' },
        'json validation error: until is not an ISO 8601 date-time with a time zone',
      ],
      [{ minutes: 5, reason: ['x'] }, 'json validation error: reason is not a string'],
      ['{"minutes": ', 'could not parse request body'],
      ['[1]', 'json validation error: value is not an object'],
    ]
    for (const [body, message] of cases) assertError(await snooze(body), 400, message)
    assert.equal((await readCheck(h.ctx, check.id)).snoozed_until, null)
  })

  test('read-only keys cannot snooze; other projects 403; unknown 404', async () => {
    assertError(await snooze({ minutes: 5 }, h.alice.apiKeyReadonly), 401, 'wrong api key')
    assertError(
      await call(h.app, 'DELETE', `/api/v3/checks/${check.code}/snooze`, {
        key: h.alice.apiKeyReadonly,
      }),
      401,
      'wrong api key',
    )
    assertError(
      await call(h.app, 'POST', '/api/v3/snooze', {
        key: h.alice.apiKeyReadonly,
        body: { minutes: 5 },
      }),
      401,
      'wrong api key',
    )
    assert.equal((await snooze({ minutes: 5 }, h.bob.apiKey)).statusCode, 403)
    const unknown = '6d6a2b6e-1b0b-4d1a-9f0e-8e8f2d3f4a5b'
    assert.equal((await snooze({ minutes: 5 }, h.alice.apiKey, unknown)).statusCode, 404)
    assert.equal((await readCheck(h.ctx, check.id)).snoozed_until, null)
  })

  test('POST /snooze snoozes the checks carrying every tag; no tags: the whole project', async () => {
    const web = await buildCheck(h.ctx, h.alice.project, { tags: 'web prod' })
    const dbStaging = await buildCheck(h.ctx, h.alice.project, { tags: 'db staging' })
    const bobs = await buildCheck(h.ctx, h.bob.project, { tags: 'db prod' })
    const r = await call(h.app, 'POST', '/api/v3/snooze', {
      key: h.alice.apiKey,
      body: { tags: 'db prod', minutes: 60 },
    })
    assert.equal(r.statusCode, 200, r.body)
    assert.deepEqual(r.json(), { snoozed_until: '2026-01-15T13:00:00+00:00', checks: [check.code] })
    for (const c of [web, dbStaging, bobs])
      assert.equal((await readCheck(h.ctx, c.id)).snoozed_until, null)

    const all = await call(h.app, 'POST', '/api/v3/snooze', {
      key: h.alice.apiKey,
      body: { minutes: 10 },
    })
    assert.deepEqual(all.json().checks, [check.code, web.code, dbStaging.code])
    assert.equal((await readCheck(h.ctx, bobs.id)).snoozed_until, null)
    assertError(
      await call(h.app, 'POST', '/api/v3/snooze', {
        key: h.alice.apiKey,
        body: { tags: 5, minutes: 1 },
      }),
      400,
      'json validation error: tags is not a string',
    )
    assertError(
      await call(h.app, 'POST', '/api/v3/snooze', { key: h.alice.apiKey, body: { tags: 'db' } }),
      400,
      'json validation error: minutes or until is required (exactly one of them)',
    )
  })

  test('the maintenance field of checks: create, update, validation', async () => {
    const created = await call(h.app, 'POST', '/api/v3/checks/', {
      key: h.alice.apiKey,
      body: { name: 'nightly', maintenance: [RIGA] },
    })
    assert.equal(created.statusCode, 201, created.body)
    assert.deepEqual(created.json().maintenance, [RIGA])
    const code = created.json().uuid
    const upd = await call(h.app, 'POST', `/api/v3/checks/${code}`, {
      key: h.alice.apiKey,
      body: { maintenance: [{ schedule: 'Sun *-*-* 02:00', duration: 3600 }] },
    })
    assert.deepEqual(upd.json().maintenance, [
      { schedule: 'Sun *-*-* 02:00', duration: 3600, tz: 'UTC' },
    ])
    assertError(
      await call(h.app, 'POST', `/api/v3/checks/${code}`, {
        key: h.alice.apiKey,
        body: { maintenance: [{ schedule: '0 2 * * 0', duration: 30 }] },
      }),
      400,
      'json validation error: maintenance item 1: duration is not an integer from 60 to 604800 seconds',
    )
    assertError(
      await call(h.app, 'POST', `/api/v3/checks/${code}`, {
        key: h.alice.apiKey,
        body: { maintenance: 'Sundays' },
      }),
      400,
      'json validation error: maintenance is not an array',
    )
    const cleared = await call(h.app, 'POST', `/api/v3/checks/${code}`, {
      key: h.alice.apiKey,
      body: { maintenance: [] },
    })
    assert.deepEqual(cleared.json().maintenance, [])
  })

  test('project windows: GET (read-only keys too) and POST /maintenance', async () => {
    const empty = await call(h.app, 'GET', '/api/v3/maintenance', { key: h.alice.apiKeyReadonly })
    assert.equal(empty.statusCode, 200)
    assertCors(empty, 'GET, POST, OPTIONS')
    assert.deepEqual(empty.json(), { maintenance: [] })
    const set = await call(h.app, 'POST', '/api/v3/maintenance', {
      key: h.alice.apiKey,
      body: { maintenance: [RIGA] },
    })
    assert.equal(set.statusCode, 200, set.body)
    assert.deepEqual(set.json(), { maintenance: [RIGA] })
    const got = await call(h.app, 'GET', '/api/v3/maintenance', { key: h.alice.apiKey })
    assert.deepEqual(got.json(), { maintenance: [RIGA] })
    const bobs = await call(h.app, 'GET', '/api/v3/maintenance', { key: h.bob.apiKey })
    assert.deepEqual(bobs.json(), { maintenance: [] })
    assertError(
      await call(h.app, 'POST', '/api/v3/maintenance', {
        key: h.alice.apiKeyReadonly,
        body: { maintenance: [] },
      }),
      401,
      'wrong api key',
    )
    assertError(
      await call(h.app, 'POST', '/api/v3/maintenance', { key: h.alice.apiKey, body: {} }),
      400,
      'json validation error: maintenance is required',
    )
    assertError(
      await call(h.app, 'POST', '/api/v3/maintenance', {
        key: h.alice.apiKey,
        body: { maintenance: [{ ...RIGA, tz: 'Riga' }] },
      }),
      400,
      'json validation error: maintenance item 1: tz is not a valid timezone',
    )
    assert.deepEqual(
      (await call(h.app, 'GET', '/api/v3/maintenance', { key: h.alice.apiKey })).json(),
      {
        maintenance: [RIGA],
      },
    )
  })

  test('the snooze ping URL: POST only, uuid and slug forms, minutes validated', async () => {
    const get = await call(h.app, 'GET', `/ping/${check.code}/snooze?minutes=30`)
    assert.equal(get.statusCode, 405)
    assert.match(get.body, /snooze needs a POST request/)
    assert.equal((await readCheck(h.ctx, check.id)).snoozed_until, null)

    const post = await call(h.app, 'POST', `/ping/${check.code}/snooze?minutes=30`)
    assert.equal(post.statusCode, 200, post.body)
    assert.match(post.body, /^OK, snoozed until 2026-01-15T12:30:00.000Z$/)
    assert.equal((await readCheck(h.ctx, check.id)).snoozed_until, h.ctx.clock.now() + 30 * MIN)
    // It snoozes; it is not a ping.
    assert.equal((await readCheck(h.ctx, check.id)).n_pings, 0)

    const bad = await call(h.app, 'POST', `/ping/${check.code}/snooze?minutes=0`)
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.body, 'minutes is out of range (allowed: 1 to 43200)')
    assert.equal(
      (await call(h.app, 'POST', `/ping/${check.code}/snooze?minutes=abc`)).statusCode,
      400,
    )
    const unknown = '6d6a2b6e-1b0b-4d1a-9f0e-8e8f2d3f4a5b'
    assert.equal((await call(h.app, 'POST', `/ping/${unknown}/snooze`)).statusCode, 404)

    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ slug: 'db-backup' })
      .where('id', '=', check.id)
      .execute()
    const project = await h.ctx.db.kysely
      .selectFrom('projects')
      .select('ping_key')
      .where('id', '=', h.alice.project.id)
      .executeTakeFirstOrThrow()
    h.ctx.clock.advance(MIN)
    const slug = await call(h.app, 'POST', `/ping/${project.ping_key}/db-backup/snooze`)
    assert.equal(slug.statusCode, 200, slug.body)
    // Default: an hour.
    assert.equal((await readCheck(h.ctx, check.id)).snoozed_until, h.ctx.clock.now() + 60 * MIN)
  })
})
