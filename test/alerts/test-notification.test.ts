import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import { deliverDueNotifications, sendTestNotification } from '../../src/alerts/index.js'
import type { Project } from '../../src/db/index.js'
import { buildChannel, buildProject } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

describeEachDatabase('sendTestNotification', (dialect) => {
  let cap: CaptureServer
  let ctx: TestContext
  let project: Project
  before(async () => {
    cap = await startCaptureServer()
  })
  after(() => cap.close())
  beforeEach(async () => {
    cap.requests.length = 0
    cap.script(200)
    ctx = await createTestContext(dialect, { INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True' })
    project = (await buildProject(ctx)).project
  })
  afterEach(() => ctx.drop())

  const channelRow = (id: number) =>
    ctx.db.kysely.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  test('queues a notification without a check, delivered about the dummy check TEST', async () => {
    const ch = await buildChannel(ctx, project, 'webhook', {
      method_down: 'POST',
      url_down: `${cap.url}/down`,
      body_down: '$NAME $STATUS',
      url_up: '',
    })
    const r = await sendTestNotification(ctx, ch.code)
    assert.ok(r.ok)
    assert.equal(r.value.status, 'down')
    const [n] = await ctx.db.kysely.selectFrom('notifications').selectAll().execute()
    assert.equal(n.check_id, null)
    assert.equal(n.code, r.value.code)
    assert.deepEqual(await deliverDueNotifications(ctx, { workerId: 'w' }), ['sent'])
    assert.equal(cap.requests[0].url, '/down')
    assert.equal(cap.requests[0].body, 'TEST down')
    const row = await channelRow(ch.id)
    assert.equal(row.last_notify, ctx.clock.now())
    assert.equal(row.last_error, '')
  })

  test('a channel that ignores down gets an up test', async () => {
    const ch = await buildChannel(ctx, project, 'webhook', {
      url_down: '',
      method_up: 'GET',
      url_up: `${cap.url}/up?s=$STATUS`,
    })
    const r = await sendTestNotification(ctx, ch.id)
    assert.ok(r.ok)
    assert.equal(r.value.status, 'up')
    await deliverDueNotifications(ctx, { workerId: 'w' })
    assert.equal(cap.requests[0].url, '/up?s=up')
  })

  test('a failed test is not retried and its error is on the channel', async () => {
    cap.script(500)
    const ch = await buildChannel(ctx, project, 'webhook', { url_down: `${cap.url}/x`, url_up: '' })
    await sendTestNotification(ctx, ch.id)
    assert.deepEqual(await deliverDueNotifications(ctx, { workerId: 'w' }), ['failed'])
    assert.equal((await channelRow(ch.id)).last_error, 'Received status code 500')
  })

  test('a new test replaces the previous test notifications of the channel', async () => {
    const ch = await buildChannel(ctx, project, 'webhook', { url_down: `${cap.url}/x`, url_up: '' })
    await sendTestNotification(ctx, ch.id)
    await deliverDueNotifications(ctx, { workerId: 'w' })
    const second = await sendTestNotification(ctx, ch.id)
    const rows = await ctx.db.kysely.selectFrom('notifications').selectAll().execute()
    assert.equal(rows.length, 1)
    assert.ok(second.ok)
    assert.equal(rows[0].code, second.value.code)
  })

  test('an email test goes through the outbox with subject DOWN | TEST', async () => {
    const [email] = await ctx.db.kysely
      .selectFrom('channels')
      .selectAll()
      .where('project_id', '=', project.id)
      .execute()
    await sendTestNotification(ctx, email.id)
    assert.deepEqual(await deliverDueNotifications(ctx, { workerId: 'w' }), ['handed-off'])
    const [mail] = await ctx.db.kysely.selectFrom('mail_outbox').selectAll().execute()
    assert.equal(mail.subject, 'DOWN | TEST')
    assert.ok(mail.text_body.includes('Total pings: 42'))
  })

  test('unknown channels and switched-off kinds are typed errors', async () => {
    assert.deepEqual(await sendTestNotification(ctx, 999_999), {
      ok: false,
      error: { kind: 'channel-not-found' },
    })
    const ch = await buildChannel(ctx, project, 'shell', { cmd_down: 'true', cmd_up: '' })
    assert.deepEqual(await sendTestNotification(ctx, ch.id), {
      ok: false,
      error: { kind: 'channel-unavailable', reason: 'Shell commands are not enabled.' },
    })
  })
})
