/**
 * Check dependencies end to end (issue 14): real pings through the app, the real worker (fake
 * clock), a webhook channel pointing at a loopback capture server. Each test asserts exactly the
 * notifications the rule promises and that none it forbids were sent.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { processFlips, startWorker, type WorkerHandle } from '../../src/alerts/index.js'
import { buildApp } from '../../src/app.js'
import { goingDownAfter } from '../../src/checks/status.js'
import type { Channel, Check, Project } from '../../src/db/index.js'
import { buildChannel, buildCheck, buildProject } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const HOUR = 3_600_000

async function settle(w: WorkerHandle, times = 3) {
  for (let i = 0; i < times; i++) {
    await w.tick()
    await w.drain()
  }
}

describeEachDatabase('check dependencies end to end', (dialect) => {
  let cap: CaptureServer
  let ctx: TestContext
  let app: FastifyInstance
  let project: Project
  let hook: Channel
  let worker: WorkerHandle
  before(async () => {
    cap = await startCaptureServer()
  })
  after(() => cap.close())
  beforeEach(async () => {
    cap.requests.length = 0
    ctx = await createTestContext(dialect, { INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True' })
    app = await buildApp(ctx, { web: false })
    project = (await buildProject(ctx)).project
    await ctx.db.kysely.deleteFrom('channels').execute()
    hook = await buildChannel(ctx, project, 'webhook', {
      method_down: 'GET',
      url_down: `${cap.url}/down/$NAME`,
      method_up: 'GET',
      url_up: `${cap.url}/up/$NAME`,
    })
    worker = startWorker(ctx, { workerId: 'w1' })
  })
  afterEach(async () => {
    await worker.stop()
    await app.close()
    await ctx.drop()
  })

  /** An up check whose last ping was `agoMs` ago (hourly, 10 min grace), on the webhook. */
  async function upCheck(name: string, agoMs: number): Promise<Check> {
    const f = {
      status: 'up' as const,
      timeout: 3600,
      grace: 600,
      last_ping: ctx.clock.now() - agoMs,
    }
    const c = await buildCheck(ctx, project, {
      ...f,
      name,
      alert_after: goingDownAfter({
        kind: 'simple',
        schedule: '',
        tz: 'UTC',
        last_start: null,
        ...f,
      }),
    })
    await ctx.db.kysely
      .insertInto('check_channels')
      .values({ check_id: c.id, channel_id: hook.id })
      .execute()
    return c
  }
  const dependsOn = (child: Check, parent: Check) =>
    ctx.db.kysely
      .insertInto('check_dependencies')
      .values({ check_id: child.id, depends_on_id: parent.id })
      .execute()
  const ping = async (c: Check, path = '') => {
    const r = await app.inject({ method: 'GET', url: `/ping/${c.code}${path}` })
    assert.equal(r.statusCode, 200, r.body)
  }
  const sent = () => cap.requests.map((r) => r.url)
  const lastFlip = (c: Check) =>
    ctx.db.kysely
      .selectFrom('flips')
      .selectAll()
      .where('check_id', '=', c.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()

  test('parent and child down in the same tick: only the parent alerts; its recovery releases the child once, with the reason', async () => {
    const net = await upCheck('net', 2 * HOUR)
    const backup = await upCheck('backup', 2 * HOUR)
    await dependsOn(backup, net)
    await settle(worker)
    await cap.waitFor(1)
    assert.deepEqual(sent(), ['/down/net'])
    const held = await lastFlip(backup)
    assert.equal(held.new_status, 'down')
    assert.equal(held.processed, null)
    assert.equal(held.held_reason, 'parent net is down')

    await ping(net)
    await settle(worker)
    await cap.waitFor(3)
    assert.deepEqual(sent(), ['/down/net', '/up/net', '/down/backup'])
    const released = await lastFlip(backup)
    assert.notEqual(released.processed, null)
    assert.equal(released.suppressed, 0)
    assert.equal(released.held_reason, 'parent net was down; still down after it recovered')

    // Nothing more, however long the worker runs.
    ctx.clock.advance(5 * 60_000)
    await settle(worker)
    assert.deepEqual(sent(), ['/down/net', '/up/net', '/down/backup'])
  })

  test('a child that recovers while its parent is down sends neither its down nor its up', async () => {
    const net = await upCheck('net', 2 * HOUR)
    const backup = await upCheck('backup', 2 * HOUR)
    await dependsOn(backup, net)
    await settle(worker)
    await ping(backup)
    await settle(worker)
    await ping(net)
    await settle(worker)
    await cap.waitFor(2)
    assert.deepEqual(sent(), ['/down/net', '/up/net'])
    const up = await lastFlip(backup)
    assert.equal(up.new_status, 'up')
    assert.equal(up.suppressed, 1)
  })

  test('a child whose down was announced before the parent failed sends its recovery normally', async () => {
    const net = await upCheck('net', 0)
    const backup = await upCheck('backup', 2 * HOUR)
    await dependsOn(backup, net)
    await settle(worker)
    await cap.waitFor(1)
    assert.deepEqual(sent(), ['/down/backup'])
    await ping(net, '/fail')
    await settle(worker)
    await ping(backup)
    await settle(worker)
    await cap.waitFor(3)
    assert.deepEqual(sent(), ['/down/backup', '/down/net', '/up/backup'])
  })

  test('same tick: a child that fails while its parent is overdue but not yet flipped waits for the parent', async () => {
    // No worker yet: the child's failure is processed before any going-down pass has seen the
    // overdue parent.
    await worker.stop()
    const net = await upCheck('net', 2 * HOUR)
    const backup = await upCheck('backup', 0)
    await dependsOn(backup, net)
    await ping(backup, '/fail')
    await processFlips(ctx, ctx.clock.now())
    assert.equal(
      (await lastFlip(backup)).held_reason,
      'waiting to learn whether parent net is down',
    )
    worker = startWorker(ctx, { workerId: 'w2' })
    ctx.clock.advance(1_000)
    await settle(worker)
    await cap.waitFor(1)
    assert.deepEqual(sent(), ['/down/net'])
    assert.equal((await lastFlip(backup)).held_reason, 'parent net is down')
  })

  test('without dependencies both checks alert', async () => {
    await upCheck('net', 2 * HOUR)
    await upCheck('backup', 2 * HOUR)
    await settle(worker)
    await cap.waitFor(2)
    assert.deepEqual(sent().sort(), ['/down/backup', '/down/net'])
  })
})
