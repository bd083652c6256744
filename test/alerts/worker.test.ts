import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import { startWorker, type WorkerHandle } from '../../src/alerts/index.js'
import { goingDownAfter } from '../../src/checks/status.js'
import type { Ctx } from '../../src/context.js'
import { type Check, openDatabase, type Project } from '../../src/db/index.js'
import { buildChannel, buildCheck, buildProject } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { closedPort, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js'

const HOUR = 3_600_000

/** Runs the worker until its loop and everything it started have settled, `times` times. */
async function settle(w: WorkerHandle, times = 3) {
  for (let i = 0; i < times; i++) {
    await w.tick()
    await w.drain()
  }
}

describeEachDatabase('worker', (dialect) => {
  let ctx: TestContext
  let sink: SmtpSink
  let cap: CaptureServer
  let project: Project
  let check: Check
  let worker: WorkerHandle | null = null
  before(async () => {
    sink = await startSmtpSink()
    cap = await startCaptureServer()
  })
  after(async () => {
    await sink.close()
    await cap.close()
  })
  beforeEach(async () => {
    sink.messages.length = 0
    cap.requests.length = 0
    ctx = await createTestContext(dialect, {
      ...sink.env,
      INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True',
      WORKER_POLL_MS: '50',
    })
    project = (await buildProject(ctx, 'alice@example.org', 'Backups')).project
    const lastPing = ctx.clock.now() - 2 * HOUR
    const fields = { status: 'up' as const, timeout: 3600, grace: 600, last_ping: lastPing }
    check = await buildCheck(ctx, project, {
      ...fields,
      name: 'nightly <db>',
      tags: 'prod',
      alert_after: goingDownAfter({
        kind: 'simple',
        schedule: '',
        tz: 'UTC',
        last_start: null,
        ...fields,
      }),
    })
    // The owner's email channel (created with the project) notifies about this check.
    const email = await ctx.db.kysely
      .selectFrom('channels')
      .select('id')
      .where('project_id', '=', project.id)
      .executeTakeFirstOrThrow()
    await ctx.db.kysely
      .insertInto('check_channels')
      .values({ check_id: check.id, channel_id: email.id })
      .execute()
  })
  afterEach(async () => {
    await worker?.stop()
    worker = null
    await ctx.drop()
  })

  test('a check going down sends "DOWN | name" by email, and its recovery "UP | name"', async () => {
    worker = startWorker(ctx, { workerId: 'w1' })
    await settle(worker)
    await sink.waitFor(1)
    const [down] = sink.messages
    assert.equal(down.subject, 'DOWN | nightly <db>')
    assert.equal(down.to, 'alice@example.org')
    assert.deepEqual(down.envelopeTo, ['alice@example.org'])
    assert.match(
      down.text,
      /The check "nightly <db>" is DOWN \(success signal did not arrive on time, grace time passed\)\./,
    )
    assert.match(down.text, /Project: Backups/)
    assert.match(down.text, /Period: 1 hour/)
    assert.match(
      down.text,
      new RegExp(`Details: http://localhost:8000/checks/${check.code}/details/`),
    )
    assert.match(down.html, /nightly &lt;db&gt;/)
    assert.doesNotMatch(down.html, /<db>/)
    const n = await ctx.db.kysely.selectFrom('notifications').selectAll().executeTakeFirstOrThrow()
    assert.deepEqual([n.status, n.error, n.check_status], ['sent', '', 'down'])

    // A ping arrives: the check is up again and a down → up flip is recorded (as the ping path does).
    const now = ctx.clock.now()
    await ctx.db.kysely
      .updateTable('checks')
      .set({ status: 'up', last_ping: now, alert_after: now + HOUR + 600_000 })
      .where('id', '=', check.id)
      .execute()
    await ctx.db.kysely
      .insertInto('flips')
      .values({
        check_id: check.id,
        created: now,
        old_status: 'down',
        new_status: 'up',
        reason: '',
      })
      .execute()
    await settle(worker)
    await sink.waitFor(2)
    assert.equal(sink.messages[1].subject, 'UP | nightly <db>')
    assert.equal(sink.messages.length, 2)
  })

  test('the worker writes a heartbeat', async () => {
    worker = startWorker(ctx, { workerId: 'w-heartbeat' })
    await settle(worker, 1)
    const hb = await ctx.db.kysely.selectFrom('worker_heartbeats').selectAll().execute()
    assert.deepEqual(hb, [
      {
        worker_id: 'w-heartbeat',
        role: 'worker',
        started: ctx.clock.now(),
        last_seen: ctx.clock.now(),
      },
    ])
  })

  test('with SMTP unreachable the alert stays queued with the error and the worker keeps running', async () => {
    const down: Ctx = {
      ...ctx,
      config: Object.freeze({
        ...ctx.config,
        smtp: { ...ctx.config.smtp!, port: await closedPort() },
      }),
    }
    worker = startWorker(down, { workerId: 'w-down' })
    await settle(worker)
    const mail = await ctx.db.kysely.selectFrom('mail_outbox').selectAll().executeTakeFirstOrThrow()
    assert.equal(mail.status, 'pending')
    assert.match(mail.error, /ECONNREFUSED/)
    const n = await ctx.db.kysely.selectFrom('notifications').selectAll().executeTakeFirstOrThrow()
    assert.equal(n.status, 'sending')
    // MAIL-4: the notification says it in the user's words; the outbox row keeps the server's.
    assert.equal(n.error, 'Email delivery failed: connect')
    // Still alive: a new due check is flipped on the next iterations.
    await buildCheck(ctx, project, { status: 'up', last_ping: 0, alert_after: 1 })
    await settle(worker, 1)
    assert.equal((await ctx.db.kysely.selectFrom('flips').select('id').execute()).length, 2)
  })

  test('without SMTP the alert is parked as not-sent: email is not configured', async () => {
    const noSmtp: Ctx = { ...ctx, config: Object.freeze({ ...ctx.config, smtp: null }) }
    worker = startWorker(noSmtp, { workerId: 'w-nosmtp' })
    await settle(worker)
    const mail = await ctx.db.kysely.selectFrom('mail_outbox').selectAll().executeTakeFirstOrThrow()
    assert.equal(`${mail.status}: ${mail.error}`, 'not-sent: email is not configured')
    const n = await ctx.db.kysely.selectFrom('notifications').selectAll().executeTakeFirstOrThrow()
    assert.equal(n.error, "Email isn't configured on this server")
    assert.equal(sink.messages.length, 0)
  })

  test('a worker survives a closed database and stops cleanly', async () => {
    const db = openDatabase(ctx.config.db)
    const own: Ctx = { ...ctx, db }
    worker = startWorker(own, { workerId: 'w-closed' })
    await settle(worker, 1)
    await db.close()
    await settle(worker, 2)
    await worker.stop()
    worker = null
  })

  test('two workers on one database send each webhook alert exactly once', async () => {
    const hook = await buildChannel(ctx, project, 'webhook', {
      method_down: 'GET',
      url_down: `${cap.url}/down/$CODE`,
    })
    const codes: string[] = []
    for (let i = 0; i < 12; i++) {
      const c = await buildCheck(ctx, project, { status: 'up', last_ping: 0, alert_after: 1 + i })
      await ctx.db.kysely
        .insertInto('check_channels')
        .values({ check_id: c.id, channel_id: hook.id })
        .execute()
      codes.push(c.code)
    }
    const otherDb = dialect === 'postgres' ? openDatabase(ctx.config.db) : null
    const other: Ctx = otherDb ? { ...ctx, db: otherDb } : ctx
    const a = startWorker(ctx, { workerId: 'wa' })
    const b = startWorker(other, { workerId: 'wb' })
    try {
      await Promise.all([settle(a), settle(b)])
    } finally {
      await a.stop()
      await b.stop()
      await otherDb?.close()
    }
    assert.deepEqual(cap.requests.map((r) => r.url).sort(), codes.map((c) => `/down/${c}`).sort())
    const flips = await ctx.db.kysely.selectFrom('flips').select('check_id').execute()
    assert.equal(flips.length, 13)
    assert.equal(new Set(flips.map((f) => f.check_id)).size, 13)
    // The first check (with the owner's email channel) also went down: one email, not two.
    await sink.waitFor(1)
    assert.deepEqual(
      sink.messages.map((m) => m.subject),
      ['DOWN | nightly <db>'],
    )
  })
})
