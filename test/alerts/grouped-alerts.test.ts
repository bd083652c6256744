/**
 * Grouped alerts end to end (issue 14 §6): flips queued by processFlips, delivered by the
 * worker's own delivery code to a real loopback webhook receiver, with ALERT_GROUP_MIN=3 and
 * ALERT_GROUP_WINDOW=60 on a fake clock.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import { releaseOrphanedMembers } from '../../src/alerts/alert-groups.js'
import {
  claimDueNotifications,
  deliverDueNotifications,
  NOTIFY_LEASE_MS,
  processFlips,
} from '../../src/alerts/index.js'
import type { Channel, Check, Project } from '../../src/db/index.js'
import { sendDueMail } from '../../src/mail/index.js'
import { buildChannel, buildCheck, buildProject } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js'

const WORKER = 'w1'

describeEachDatabase('grouped alerts', (dialect) => {
  let ctx: TestContext
  let cap: CaptureServer
  let project: Project
  let checks: Check[]
  let sink: SmtpSink
  before(async () => {
    cap = await startCaptureServer()
    sink = await startSmtpSink()
  })
  after(async () => {
    await cap.close()
    await sink.close()
  })
  beforeEach(async () => {
    cap.requests.length = 0
    sink.messages.length = 0
    ctx = await createTestContext(dialect, {
      ...sink.env,
      INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True',
      ALERT_GROUP_MIN: '3',
      ALERT_GROUP_WINDOW: '60',
    })
    project = (await buildProject(ctx, 'alice@example.org', 'Backups')).project
    await ctx.db.kysely.deleteFrom('channels').where('project_id', '=', project.id).execute()
    checks = []
    for (let i = 1; i <= 8; i++)
      checks.push(await buildCheck(ctx, project, { name: `job-${i}`, status: 'down' }))
  })
  afterEach(() => ctx.drop())

  function webhook(on: Check[]): Promise<Channel> {
    const body = '{"name": $NAME_JSON, "checks": $CHECKS}'
    return buildChannel(
      ctx,
      project,
      'webhook',
      {
        method_down: 'POST',
        url_down: `${cap.url}/down`,
        body_down: body,
        headers_down: {},
        method_up: 'POST',
        url_up: `${cap.url}/up`,
        body_up: body,
        headers_up: {},
      },
      on,
    )
  }

  async function flip(check: Check, old_status: 'up' | 'down', new_status: 'up' | 'down') {
    await ctx.db.kysely
      .updateTable('checks')
      .set({ status: new_status })
      .where('id', '=', check.id)
      .execute()
    await ctx.db.kysely
      .insertInto('flips')
      .values({
        check_id: check.id,
        created: ctx.clock.now(),
        old_status,
        new_status,
        reason: new_status === 'down' ? 'timeout' : '',
      })
      .execute()
  }

  async function queueAndDeliver() {
    await processFlips(ctx, ctx.clock.now())
    return deliverDueNotifications(ctx, { workerId: WORKER, limit: 100 })
  }

  const notifications = () =>
    ctx.db.kysely.selectFrom('notifications').selectAll().orderBy('id').execute()

  test('a burst: the first 3 alerts go at once, the rest (down and up) as one message a window later', async () => {
    await webhook(checks)
    for (const c of checks) await flip(c, 'up', 'down')
    await queueAndDeliver()
    assert.equal(cap.requests.length, 3, 'the first ALERT_GROUP_MIN alerts leave at once')
    const singles = cap.requests.map((r) => JSON.parse(r.body))
    // Delivered concurrently: their arrival order is not fixed.
    assert.deepEqual(
      singles.map((b) => b.checks.map((c: { name: string }) => c.name).join()).sort(),
      ['job-1', 'job-2', 'job-3'],
    )
    assert.equal(singles[0].checks[0].status, 'down')

    // Half a window later two of the first checks recover: they join the group.
    ctx.clock.advance(30_000)
    await flip(checks[0], 'down', 'up')
    await flip(checks[1], 'down', 'up')
    await queueAndDeliver()
    assert.equal(cap.requests.length, 3, 'nothing more before the window ends')

    ctx.clock.advance(29_999)
    await queueAndDeliver()
    assert.equal(cap.requests.length, 3)
    ctx.clock.advance(1)
    await queueAndDeliver()
    assert.equal(cap.requests.length, 4, 'one grouped message')
    const group = cap.requests[3]
    assert.equal(group.url, '/down', 'a group with a down check goes to the down URL')
    const body = JSON.parse(group.body)
    assert.deepEqual(
      body.checks.map((c: { name: string; status: string }) => `${c.name} ${c.status}`),
      [
        'job-4 down',
        'job-5 down',
        'job-6 down',
        'job-7 down',
        'job-8 down',
        'job-1 up',
        'job-2 up',
      ],
    )
    assert.equal(body.checks[0].reason, 'success signal did not arrive on time, grace time passed')
    assert.equal(body.checks[0].uuid, checks[3].code)

    // Every flip is recorded and every notification row settled, one per flip and channel.
    const flips = await ctx.db.kysely.selectFrom('flips').select('id').execute()
    assert.equal(flips.length, 10)
    const rows = await notifications()
    assert.equal(rows.length, 10)
    assert.deepEqual(new Set(rows.map((r) => r.status)), new Set(['sent']))
    await queueAndDeliver()
    assert.equal(cap.requests.length, 4, 'nothing is sent twice')
  })

  test('with one channel per check there is nothing to group: every alert leaves at once', async () => {
    for (const c of checks) await webhook([c])
    for (const c of checks) await flip(c, 'up', 'down')
    await queueAndDeliver()
    assert.equal(cap.requests.length, 8)
    const rows = await notifications()
    assert.deepEqual(
      rows.map((r) => r.group_code),
      rows.map(() => null),
    )
  })

  test('a worker killed while sending a group: the group is sent once by another, members included', async () => {
    await webhook(checks.slice(0, 5))
    for (const c of checks.slice(0, 5)) await flip(c, 'up', 'down')
    await queueAndDeliver()
    assert.equal(cap.requests.length, 3)
    ctx.clock.advance(60_000)
    // A worker claims the group's carrier and dies before recording anything.
    const claimed = await claimDueNotifications(ctx, 'dead-worker', ctx.clock.now(), 100)
    assert.equal(claimed.length, 1, 'only the carrier is claimable; its member is not')
    await deliverDueNotifications(ctx, { workerId: WORKER, limit: 100 })
    assert.equal(cap.requests.length, 3, 'the lease is still held')
    ctx.clock.advance(NOTIFY_LEASE_MS + 1)
    await deliverDueNotifications(ctx, { workerId: WORKER, limit: 100 })
    assert.equal(cap.requests.length, 4)
    assert.deepEqual(
      JSON.parse(cap.requests[3].body).checks.map((c: { name: string }) => c.name),
      ['job-4', 'job-5'],
    )
    const rows = await notifications()
    assert.deepEqual(
      rows.map((r) => r.status),
      ['sent', 'sent', 'sent', 'sent', 'sent'],
    )
    await deliverDueNotifications(ctx, { workerId: WORKER, limit: 100 })
    assert.equal(cap.requests.length, 4)
  })

  test('a failing group is retried as a whole; its members wait and then share its outcome', async () => {
    await webhook(checks.slice(0, 5))
    for (const c of checks.slice(0, 5)) await flip(c, 'up', 'down')
    await queueAndDeliver()
    cap.script(503, 200)
    ctx.clock.advance(60_000)
    assert.deepEqual(await deliverDueNotifications(ctx, { workerId: WORKER, limit: 100 }), [
      'retrying',
    ])
    let rows = await notifications()
    assert.deepEqual(
      rows.slice(3).map((r) => r.status),
      ['pending', 'sending'],
    )
    ctx.clock.advance(10_000)
    assert.deepEqual(await deliverDueNotifications(ctx, { workerId: WORKER, limit: 100 }), ['sent'])
    rows = await notifications()
    assert.deepEqual(
      rows.slice(3).map((r) => r.status),
      ['sent', 'sent'],
    )
    assert.equal(cap.requests.length, 5)
  })

  test('a group that nobody joined is sent as an ordinary alert', async () => {
    await webhook(checks.slice(0, 4))
    for (const c of checks.slice(0, 4)) await flip(c, 'up', 'down')
    await queueAndDeliver()
    ctx.clock.advance(60_000)
    await queueAndDeliver()
    assert.equal(cap.requests.length, 4)
    assert.equal(JSON.parse(cap.requests[3].body).name, 'job-4')
  })

  test('a kind that draws no group gets one alert named after the group, listing it', async () => {
    await buildChannel(ctx, project, 'rocketchat', `${cap.url}/rc`, checks.slice(0, 5))
    for (const c of checks.slice(0, 5)) await flip(c, 'up', 'down')
    await queueAndDeliver()
    ctx.clock.advance(60_000)
    await queueAndDeliver()
    assert.equal(cap.requests.length, 4)
    const body = JSON.parse(cap.requests[3].body)
    assert.match(body.text, /^\[2 checks changed state in “Backups”: 2 down\]\(.*\) is DOWN\.$/)
    assert.deepEqual(body.attachments[0].fields[0], {
      title: 'Description',
      value: 'Down (2): job-4, job-5',
    })
  })

  test('by email a group is one mail, and the outbox settles every alert it carried', async () => {
    await buildChannel(
      ctx,
      project,
      'email',
      { value: 'ops@example.org', up: true, down: true },
      checks,
    )
    for (const c of checks) await flip(c, 'up', 'down')
    await queueAndDeliver()
    ctx.clock.advance(60_000)
    await queueAndDeliver()
    await sendDueMail(ctx, { workerId: WORKER, limit: 100 })
    await sink.waitFor(4)
    assert.equal(sink.messages.length, 4)
    assert.equal(sink.messages[3].subject, 'DOWN | 5 checks changed state in “Backups”: 5 down')
    assert.match(sink.messages[3].text, /- job-8 \(/)
    const rows = await notifications()
    assert.deepEqual(
      rows.map((r) => r.status),
      rows.map(() => 'sent'),
    )
  })

  test('when the check carrying a group is deleted, the alerts it carried are sent on their own', async () => {
    await webhook(checks.slice(0, 5))
    for (const c of checks.slice(0, 5)) await flip(c, 'up', 'down')
    await queueAndDeliver()
    assert.equal(
      await releaseOrphanedMembers(ctx),
      0,
      'nothing to release while the carrier exists',
    )
    await ctx.db.kysely.deleteFrom('checks').where('id', '=', checks[3].id).execute()
    assert.equal(await releaseOrphanedMembers(ctx), 1)
    await queueAndDeliver()
    assert.equal(cap.requests.length, 4)
    assert.deepEqual(
      JSON.parse(cap.requests[3].body).checks.map((c: { name: string }) => c.name),
      ['job-5'],
    )
  })
})
