import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, assertError, call, createApiHarness, readCheck } from './api-harness.js'

const POLICY = {
  alert_failures: 1,
  alert_delay: 0,
  fail_window: 0,
  fail_threshold: 0,
  recover_successes: 1,
  warn_after: null,
}

describeEachDatabase('API v3: thresholds and the warning stage', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect)
  })
  afterEach(() => h.close())

  const create = (body: unknown, v = 3) =>
    call(h.app, 'POST', `/api/v${v}/checks/`, { key: h.alice.apiKey, body })

  test('v3 JSON shows the policy fields (defaults); v1 and v2 do not', async () => {
    const r = await create({ name: 'plain' })
    assert.equal(r.statusCode, 201, r.body)
    assert.deepEqual(Object.fromEntries(Object.keys(POLICY).map((k) => [k, r.json()[k]])), POLICY)
    const v2 = await call(h.app, 'GET', `/api/v2/checks/${r.json().uuid}`, { key: h.alice.apiKey })
    assert.equal(v2.json().fail_window, undefined)
    assert.equal(v2.json().warn_after, undefined)
  })

  test('create and update set them; null turns the warning stage off', async () => {
    const body = {
      name: 'nightly',
      alert_failures: 2,
      alert_delay: 120,
      fail_window: 5,
      fail_threshold: 3,
      recover_successes: 2,
      warn_after: 300,
    }
    const r = await create(body)
    assert.equal(r.statusCode, 201, r.body)
    const { name: _n, ...fields } = body
    for (const [k, v] of Object.entries(fields)) assert.equal(r.json()[k], v, k)
    const url = `/api/v3/checks/${r.json().uuid}`
    const u = await call(h.app, 'POST', url, { key: h.alice.apiKey, body: { warn_after: null } })
    assert.equal(u.statusCode, 200, u.body)
    assert.equal(u.json().warn_after, null)
    assert.equal(u.json().fail_window, 5)
  })

  test('v1/v2 ignore the fields, as Healthchecks would', async () => {
    const r = await create({ name: 'old', fail_window: 'x', warn_after: 300 }, 2)
    assert.equal(r.statusCode, 201, r.body)
    const saved = await h.ctx.db.kysely
      .selectFrom('checks')
      .selectAll()
      .where('name', '=', 'old')
      .executeTakeFirstOrThrow()
    assert.equal(saved.warn_after, null)
  })

  test('a ping sets warn_at from the new deadline; updating warn_after recomputes it', async () => {
    const check = await buildCheck(h.ctx, h.alice.project, { timeout: 3600, grace: 600 })
    const now = h.ctx.clock.now()
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ status: 'up', last_ping: now })
      .where('id', '=', check.id)
      .execute()
    const url = `/api/v3/checks/${check.code}`
    await call(h.app, 'POST', url, { key: h.alice.apiKey, body: { warn_after: 120 } })
    assert.equal((await readCheck(h.ctx, check.id)).warn_at, now + 3600_000 + 480_000)
    // More than the grace: the warning comes when the grace starts.
    await call(h.app, 'POST', url, { key: h.alice.apiKey, body: { warn_after: 7200 } })
    assert.equal((await readCheck(h.ctx, check.id)).warn_at, now + 3600_000)
    const ping = await h.app.inject({ method: 'GET', url: `/ping/${check.code}` })
    assert.equal(ping.statusCode, 200)
    assert.equal((await readCheck(h.ctx, check.id)).warn_at, now + 3600_000)
    await call(h.app, 'POST', url, { key: h.alice.apiKey, body: { warn_after: null } })
    assert.equal((await readCheck(h.ctx, check.id)).warn_at, null)
  })

  const invalid: [string, Record<string, unknown>, string][] = [
    ['a string', { fail_window: '3' }, 'fail_window is not a number'],
    ['a float', { recover_successes: 1.5 }, 'recover_successes is not a number'],
    ['null where not allowed', { fail_threshold: null }, 'fail_threshold is not a number'],
    [
      'window too large',
      { fail_window: 101, fail_threshold: 1 },
      'fail_window is out of range (allowed: 0 to 100)',
    ],
    [
      'recover 0',
      { recover_successes: 0 },
      'recover_successes is out of range (allowed: 1 to 100)',
    ],
    [
      'warn 0',
      { warn_after: 0 },
      'warn_after is out of range (allowed: 1 to 31536000 seconds, or null)',
    ],
    [
      'alert_failures 0',
      { alert_failures: 0 },
      'alert_failures is out of range (allowed: 1 to 100)',
    ],
    [
      'threshold without window',
      { fail_threshold: 2 },
      'fail_threshold and fail_window must both be set (or both 0, which turns the threshold off)',
    ],
    [
      'threshold above window',
      { fail_window: 2, fail_threshold: 3 },
      'fail_threshold is larger than fail_window (2)',
    ],
  ]
  for (const [name, body, message] of invalid) {
    test(`400 and nothing created or changed: ${name}`, async () => {
      assertError(await create({ name: 'x', ...body }), 400, `json validation error: ${message}`)
      const n = await h.ctx.db.kysely
        .selectFrom('checks')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
      assert.equal(Number(n.n), 0)
    })
  }

  test('an update that would break the pair is refused and changes nothing', async () => {
    const r = await create({ name: 'pair', fail_window: 3, fail_threshold: 2 })
    const url = `/api/v3/checks/${r.json().uuid}`
    const u = await call(h.app, 'POST', url, {
      key: h.alice.apiKey,
      body: { name: 'renamed', fail_window: 1 },
    })
    assertError(u, 400, 'json validation error: fail_threshold is larger than fail_window (1)')
    const saved = await h.ctx.db.kysely
      .selectFrom('checks')
      .selectAll()
      .where('code', '=', r.json().uuid)
      .executeTakeFirstOrThrow()
    assert.deepEqual([saved.name, saved.fail_window], ['pair', 3])
  })

  test('channels: notify_late in create, update and JSON; a non-boolean is a 400', async () => {
    const body = {
      kind: 'webhook',
      config: { url_down: 'https://example.com/d' },
      notify_late: true,
    }
    const r = await call(h.app, 'POST', '/api/v3/channels/', { key: h.alice.apiKey, body })
    assert.equal(r.statusCode, 201, r.body)
    assert.equal(r.json().notify_late, true)
    const url = `/api/v3/channels/${r.json().id}`
    const u = await call(h.app, 'POST', url, { key: h.alice.apiKey, body: { notify_late: false } })
    assert.equal(u.json().notify_late, false)
    assertError(
      await call(h.app, 'POST', url, { key: h.alice.apiKey, body: { notify_late: 'yes' } }),
      400,
      'json validation error: notify_late is not a boolean',
    )
  })
})
