import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import { deliverDueNotifications, processFlips } from '../../src/alerts/index.js'
import type { Channel, Check, Project } from '../../src/db/index.js'
import { PRIVATE_IP_ERROR } from '../../src/integrations/index.js'
import { buildChannel, buildCheck, buildProject } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const WORKER = 'test-worker'

describeEachDatabase('webhook delivery', (dialect) => {
  let ctx: TestContext
  let project: Project
  let check: Check
  let cap: CaptureServer
  before(async () => {
    cap = await startCaptureServer()
  })
  after(() => cap.close())
  beforeEach(async () => {
    cap.requests.length = 0
    cap.script(200)
    ctx = await createTestContext(dialect, {
      INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True',
      WEBHOOK_TIMEOUT: '1',
    })
    project = (await buildProject(ctx)).project
    check = await buildCheck(ctx, project, {
      name: 'Nightly backup',
      slug: 'nightly-backup',
      tags: 'prod db',
      status: 'down',
    })
  })
  afterEach(() => ctx.drop())

  async function webhook(value: Record<string, unknown>): Promise<Channel> {
    return buildChannel(ctx, project, 'webhook', value, [check])
  }
  async function flip(old_status: 'up' | 'down', new_status: 'up' | 'down') {
    await ctx.db.kysely
      .insertInto('flips')
      .values({
        check_id: check.id,
        created: ctx.clock.now() - 60_000,
        old_status,
        new_status,
        reason: 'timeout',
      })
      .execute()
    await processFlips(ctx, ctx.clock.now())
  }
  const notifications = () =>
    ctx.db.kysely.selectFrom('notifications').selectAll().orderBy('id').execute()

  test('a down flip sends the templated method, URL, headers and body', async () => {
    await webhook({
      method_down: 'POST',
      url_down: `${cap.url}/hook/$CODE?name=$NAME&s=$STATUS`,
      body_down: '{"check": $NAME_JSON, "status": "$STATUS", "tags": "$TAGS"}',
      headers_down: { 'X-Check': '$NAME ☃', 'Content-Type': 'application/json' },
      method_up: 'GET',
      url_up: '',
      body_up: '',
      headers_up: {},
    })
    await flip('up', 'down')
    assert.deepEqual(await deliverDueNotifications(ctx, { workerId: WORKER }), ['sent'])
    assert.equal(cap.requests.length, 1)
    const req = cap.requests[0]
    assert.equal(req.method, 'POST')
    assert.equal(req.url, `/hook/${check.code}?name=Nightly%20backup&s=down`)
    assert.equal(req.headers['x-check'], 'Nightly backup &#9731;')
    assert.equal(req.headers['content-type'], 'application/json')
    assert.equal(req.headers['user-agent'], 'Vigil')
    assert.equal(req.body, '{"check": "Nightly backup", "status": "down", "tags": "prod db"}')
    const [n] = await notifications()
    assert.deepEqual([n.status, n.error, n.attempts, n.sent_at], ['sent', '', 1, ctx.clock.now()])
    const channel = await ctx.db.kysely
      .selectFrom('channels')
      .selectAll()
      .where('kind', '=', 'webhook')
      .executeTakeFirstOrThrow()
    assert.equal(channel.last_notify, ctx.clock.now())
    assert.equal(channel.last_error, '')
  })

  test('an up flip uses the up spec; a GET sends no body', async () => {
    await webhook({
      method_down: 'GET',
      url_down: `${cap.url}/down`,
      method_up: 'GET',
      url_up: `${cap.url}/up?tag=$TAG2`,
      body_up: 'ignored',
    })
    await flip('down', 'up')
    await deliverDueNotifications(ctx, { workerId: WORKER })
    assert.equal(cap.requests.length, 1)
    assert.equal(cap.requests[0].method, 'GET')
    assert.equal(cap.requests[0].url, '/up?tag=db')
    assert.equal(cap.requests[0].body, '')
  })

  test('a direction without URL queues nothing', async () => {
    await webhook({ method_down: 'GET', url_down: '', method_up: 'GET', url_up: `${cap.url}/up` })
    await flip('up', 'down')
    assert.equal((await notifications()).length, 0)
  })

  test('500 twice then 200 is delivered once, after two recorded errors and backoff', async () => {
    cap.script(500, 500, 200)
    await webhook({ method_down: 'GET', url_down: `${cap.url}/flaky` })
    await flip('up', 'down')
    assert.deepEqual(await deliverDueNotifications(ctx, { workerId: WORKER }), ['retrying'])
    let [n] = await notifications()
    assert.deepEqual([n.status, n.attempts, n.error], ['pending', 1, 'Received status code 500'])
    assert.equal(n.next_attempt_at, ctx.clock.now() + 10_000)
    // Not due yet: nothing is sent.
    assert.deepEqual(await deliverDueNotifications(ctx, { workerId: WORKER }), [])
    ctx.clock.advance(10_000)
    assert.deepEqual(await deliverDueNotifications(ctx, { workerId: WORKER }), ['retrying'])
    ;[n] = await notifications()
    assert.equal(n.attempts, 2)
    assert.equal(n.next_attempt_at, ctx.clock.now() + 20_000)
    ctx.clock.advance(20_000)
    assert.deepEqual(await deliverDueNotifications(ctx, { workerId: WORKER }), ['sent'])
    ;[n] = await notifications()
    assert.deepEqual([n.status, n.attempts, n.error], ['sent', 3, ''])
    assert.equal(cap.requests.length, 3)
    assert.deepEqual(await deliverDueNotifications(ctx, { workerId: WORKER }), [])
  })

  test('a 400 fails at once and keeps the answer', async () => {
    cap.script({ status: 400, body: 'unknown field "foo"' })
    await webhook({ method_down: 'GET', url_down: `${cap.url}/bad` })
    await flip('up', 'down')
    assert.deepEqual(await deliverDueNotifications(ctx, { workerId: WORKER }), ['failed'])
    const [n] = await notifications()
    assert.deepEqual(
      [n.status, n.attempts, n.error],
      ['failed', 1, 'Received status code 400: unknown field "foo"'],
    )
    const channel = await ctx.db.kysely
      .selectFrom('channels')
      .selectAll()
      .where('kind', '=', 'webhook')
      .executeTakeFirstOrThrow()
    assert.equal(channel.last_error, 'Received status code 400: unknown field "foo"')
    assert.equal(channel.disabled, 0)
  })

  test('a 429 is retried', async () => {
    cap.script(429)
    await webhook({ method_down: 'GET', url_down: `${cap.url}/busy` })
    await flip('up', 'down')
    assert.deepEqual(await deliverDueNotifications(ctx, { workerId: WORKER }), ['retrying'])
  })

  test('a notification gives up after the last attempt', async () => {
    cap.script(503)
    await webhook({ method_down: 'GET', url_down: `${cap.url}/down` })
    await flip('up', 'down')
    const outcomes = []
    for (let i = 0; i < 8; i++) {
      outcomes.push(...(await deliverDueNotifications(ctx, { workerId: WORKER })))
      ctx.clock.advance(3_600_000)
    }
    assert.deepEqual(outcomes, [...Array(7).fill('retrying'), 'failed'])
    const [n] = await notifications()
    assert.deepEqual([n.status, n.attempts], ['failed', 8])
  })

  test('a hanging service times out while other notifications are delivered meanwhile', async () => {
    const slow = await startCaptureServer()
    slow.script({ status: 200, hang: true })
    try {
      await webhook({ method_down: 'GET', url_down: `${slow.url}/hang` })
      await webhook({ method_down: 'GET', url_down: `${cap.url}/fast` })
      await flip('up', 'down')
      const started = Date.now()
      const run = deliverDueNotifications(ctx, { workerId: WORKER })
      await cap.waitFor(1)
      await slow.waitFor(1)
      // The fast one is recorded while the slow one is still hanging.
      for (let i = 0; i < 50; i++) {
        const rows = await notifications()
        if (rows.some((r) => r.status === 'sent')) break
        await new Promise((r) => setTimeout(r, 10))
      }
      const during = await notifications()
      assert.deepEqual(during.map((n) => n.status).sort(), ['sending', 'sent'])
      assert.deepEqual((await run).sort(), ['retrying', 'sent'])
      assert.ok(Date.now() - started >= 900, 'waited for the 1 s timeout')
      const hung = (await notifications()).find((n) => n.status !== 'sent')
      assert.equal(hung?.error, 'Connection timed out')
    } finally {
      await slow.close()
    }
  })

  test('a private address is refused without INTEGRATIONS_ALLOW_PRIVATE_IPS', async () => {
    const strict = {
      ...ctx,
      config: Object.freeze({ ...ctx.config, integrationsAllowPrivateIps: false }),
    }
    await webhook({ method_down: 'GET', url_down: `${cap.url}/private` })
    await flip('up', 'down')
    assert.deepEqual(await deliverDueNotifications(strict, { workerId: WORKER }), ['failed'])
    const [n] = await notifications()
    assert.equal(n.error, PRIVATE_IP_ERROR)
    assert.equal(cap.requests.length, 0)
  })

  test('a redirect to a private address is refused too', async () => {
    const strict = {
      ...ctx,
      config: Object.freeze({ ...ctx.config, integrationsAllowPrivateIps: false }),
    }
    // localhost resolves to loopback: refused before any request.
    await webhook({ method_down: 'GET', url_down: `http://localhost:${cap.port}/x` })
    await flip('up', 'down')
    await deliverDueNotifications(strict, { workerId: WORKER })
    assert.equal((await notifications())[0].error, PRIVATE_IP_ERROR)
    assert.equal(cap.requests.length, 0)
  })

  test('redirects are followed up to three times', async () => {
    cap.script(
      { status: 302, headers: { location: '/r2' } },
      { status: 302, headers: { location: '/r3' } },
      { status: 302, headers: { location: '/r4' } },
      { status: 302, headers: { location: '/r5' } },
    )
    await webhook({ method_down: 'GET', url_down: `${cap.url}/r1` })
    await flip('up', 'down')
    await deliverDueNotifications(ctx, { workerId: WORKER })
    assert.deepEqual(
      cap.requests.map((r) => r.url),
      ['/r1', '/r2', '/r3', '/r4'],
    )
    assert.equal((await notifications())[0].error, 'Too many redirects')
  })
})
