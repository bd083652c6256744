import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import {
  type DeliverySender,
  sendTestNotification,
  startDeliverySender,
  startWorker,
  type WorkerHandle,
} from '../../src/alerts/index.js'
import type { Channel, Check, Project } from '../../src/db/index.js'
import { newUuid } from '../../src/tokens.js'
import { buildChannel, buildCheck, buildProject } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

/** Queues `n` due down notifications of `check` for `channel`, oldest first. */
async function queue(ctx: TestContext, check: Check, channel: Channel, n: number) {
  const now = ctx.clock.now()
  const rows = Array.from({ length: n }, (_, i) => ({
    code: newUuid(),
    check_id: check.id,
    channel_id: channel.id,
    flip_id: null,
    check_status: 'down' as const,
    created: now,
    status: 'pending' as const,
    // Older than anything queued later, so a plain oldest-first claim would take these first.
    next_attempt_at: now - 1000 + i,
  }))
  for (let i = 0; i < rows.length; i += 100)
    await ctx.db.kysely
      .insertInto('notifications')
      .values(rows.slice(i, i + 100))
      .execute()
}

function webhook(url: string) {
  return { method_down: 'POST', url_down: url, body_down: '$STATUS', url_up: '' }
}

describeEachDatabase('delivery sender', (dialect) => {
  let ctx: TestContext
  let good: CaptureServer
  let hanging: CaptureServer
  let project: Project
  let check: Check
  let sender: DeliverySender | null = null
  let worker: WorkerHandle | null = null
  before(async () => {
    good = await startCaptureServer()
    hanging = await startCaptureServer()
  })
  after(async () => {
    await good.close()
    await hanging.close()
  })
  beforeEach(async () => {
    good.requests.length = 0
    hanging.requests.length = 0
    hanging.script({ status: 200, hang: true })
    ctx = await createTestContext(dialect, {
      INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True',
      DELIVERY_CONCURRENCY: '8',
      DELIVERY_CHANNEL_CONCURRENCY: '4',
      WEBHOOK_TIMEOUT: '30',
    })
    project = (await buildProject(ctx)).project
    check = await buildCheck(ctx, project, { name: 'db', status: 'down' })
  })
  afterEach(async () => {
    await worker?.stop()
    worker = null
    // Hanging requests end when the capture server closes their sockets (after()) or time out.
    void sender?.stop()
    sender = null
    await ctx.drop()
  })

  test('ALERTS-1 deliveries to other channels continue while one endpoint hangs', async () => {
    const stuck = await buildChannel(ctx, project, 'webhook', webhook(`${hanging.url}/stuck`))
    await queue(ctx, check, stuck, 20)
    const fine = await buildChannel(ctx, project, 'webhook', webhook(`${good.url}/fine`))
    await queue(ctx, check, fine, 40)

    sender = startDeliverySender(ctx, 'w1')
    sender.kick()
    // All 40 arrive long before the hanging requests time out (30 s).
    await good.waitFor(40, 15_000)
    assert.equal(good.requests.length, 40)
    // The hanging channel holds no more than its share of the 8 slots.
    assert.equal(hanging.requests.length, 4)
    // Outcomes are recorded as they come, not after the stuck ones.
    await waitUntil(async () => Number((await countSent(ctx, fine.id)).n) === 40)
  })

  test('ALERTS-2 a channel with 200 due alerts does not hold back another channel', async () => {
    const busy = await buildChannel(ctx, project, 'webhook', webhook(`${good.url}/busy`))
    await queue(ctx, check, busy, 200)
    const other = await buildChannel(ctx, project, 'webhook', webhook(`${good.url}/other`))
    await queue(ctx, check, other, 1)

    sender = startDeliverySender(ctx, 'w1')
    sender.kick()
    await good.waitFor(201, 20_000)
    await sender.drain()
    const position = good.requests.findIndex((r) => r.url === '/other')
    // Claimed in the first round (round-robin), not after the 200 older ones.
    assert.ok(position >= 0 && position < 8, `"/other" arrived as request ${position + 1}`)
    assert.equal(good.requests.length, 201)
  })

  test('one claim delivers each notification with its own check', async () => {
    const channel = await buildChannel(ctx, project, 'webhook', {
      method_down: 'POST',
      url_down: `${good.url}/$NAME`,
      body_down: '$STATUS',
      url_up: '',
    })
    await queue(ctx, check, channel, 1)
    for (const name of ['web', 'mail']) {
      const other = await buildCheck(ctx, project, { name, status: 'down' })
      await queue(ctx, other, channel, 1)
    }
    sender = startDeliverySender(ctx, 'w1')
    sender.kick()
    await good.waitFor(3, 10_000)
    await sender.drain()
    assert.deepEqual(good.requests.map((r) => r.url).sort(), ['/db', '/mail', '/web'])
  })

  test('ALERTS-3 a notification queued in this process is sent without waiting for the poll', async () => {
    const channel = await buildChannel(ctx, project, 'webhook', webhook(`${good.url}/test`))
    // The worker polls once a minute; its first iteration runs at start.
    worker = startWorker({ ...ctx, config: { ...ctx.config, workerPollMs: 60_000 } })
    await worker.tick()
    const started = Date.now()
    const r = await sendTestNotification(ctx, channel.id)
    assert.ok(r.ok)
    await good.waitFor(1, 10_000)
    assert.ok(Date.now() - started < 10_000)
    assert.equal(good.requests[0].url, '/test')
  })
})

async function countSent(ctx: TestContext, channelId: number) {
  return ctx.db.kysely
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('channel_id', '=', channelId)
    .where('status', '=', 'sent')
    .executeTakeFirstOrThrow()
}

async function waitUntil(cond: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}
