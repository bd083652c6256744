import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import { type Config, loadConfig } from '../../src/config/index.js'
import {
  bounceIdOfLocalPart,
  enqueueMail,
  MAIL_NOT_CONFIGURED,
  mailEnvelope,
  sendDueMail,
} from '../../src/mail/index.js'
import { newUuid } from '../../src/tokens.js'
import { buildChannel, buildCheck, buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { closedPort, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js'

describeEachDatabase('sendDueMail', (dialect) => {
  let ctx: TestContext
  let sink: SmtpSink
  before(async () => {
    sink = await startSmtpSink()
  })
  after(() => sink.close())
  beforeEach(async () => {
    sink.messages.length = 0
    sink.reject(null)
    ctx = await createTestContext(dialect, { ...sink.env, DEFAULT_FROM_EMAIL: 'vigil@example.org' })
  })
  afterEach(() => ctx.drop())

  const rows = () => ctx.db.kysely.selectFrom('mail_outbox').selectAll().orderBy('id').execute()
  const withConfig = (env: Record<string, string>) => {
    const config: Config = Object.freeze({
      ...loadConfig({ SECRET_KEY: 'x', ...env }),
      db: ctx.config.db,
    })
    return { ...ctx, config }
  }
  const mail = () =>
    enqueueMail(
      ctx.db,
      { to: 'alice@example.org', subject: 'Hello', text: 'Plain body', html: '<p>HTML body</p>' },
      ctx.clock.now(),
    )

  test('a queued mail is sent to the SMTP server and marked sent', async () => {
    await mail()
    assert.deepEqual(await sendDueMail(ctx), { sent: 1, retrying: 0, failed: 0, notSent: 0 })
    const [m] = sink.messages
    assert.equal(m.subject, 'Hello')
    assert.equal(m.to, 'alice@example.org')
    assert.equal(m.from, 'vigil@example.org')
    assert.equal(m.text.trim(), 'Plain body')
    assert.match(m.html, /<p>HTML body<\/p>/)
    const [row] = await rows()
    assert.deepEqual(
      [row.status, row.error, row.attempts, row.sent_at],
      ['sent', '', 1, ctx.clock.now()],
    )
    assert.deepEqual(await sendDueMail(ctx), { sent: 0, retrying: 0, failed: 0, notSent: 0 })
    assert.equal(sink.messages.length, 1)
  })

  test('without SMTP the mail is parked as not-sent and goes out once SMTP is configured', async () => {
    await mail()
    const noSmtp = withConfig({})
    assert.equal(noSmtp.config.smtp, null)
    assert.equal((await sendDueMail(noSmtp)).notSent, 1)
    const [row] = await rows()
    assert.deepEqual([row.status, row.error], ['not-sent', MAIL_NOT_CONFIGURED])
    assert.equal(`${row.status}: ${row.error}`, 'not-sent: email is not configured')
    assert.equal(sink.messages.length, 0)
    assert.equal((await sendDueMail(ctx)).sent, 1)
    assert.equal(sink.messages.length, 1)
    assert.equal((await rows())[0].status, 'sent')
  })

  test('an unreachable server keeps the mail pending with the error and a backoff', async () => {
    await mail()
    await mail()
    const down = withConfig({ ...sink.env, EMAIL_PORT: String(await closedPort()) })
    assert.deepEqual(await sendDueMail(down), { sent: 0, retrying: 2, failed: 0, notSent: 0 })
    for (const row of await rows()) {
      assert.equal(row.status, 'pending')
      assert.equal(row.attempts, 1)
      assert.match(row.error, /ECONNREFUSED/)
      assert.equal(row.next_attempt_at, ctx.clock.now() + 10_000)
    }
    // Not due yet.
    assert.equal((await sendDueMail(ctx)).sent, 0)
    ctx.clock.advance(10_000)
    assert.equal((await sendDueMail(ctx)).sent, 2)
  })

  test('a temporary refusal (451) is retried, a permanent one (550) fails at once', async () => {
    sink.reject(451, 'Try again later')
    await mail()
    assert.equal((await sendDueMail(ctx)).retrying, 1)
    let [row] = await rows()
    assert.equal(row.status, 'pending')
    assert.match(row.error, /451/)
    sink.reject(550, 'No such user')
    ctx.clock.advance(10_000)
    assert.equal((await sendDueMail(ctx)).failed, 1)
    ;[row] = await rows()
    assert.equal(row.status, 'failed')
    assert.equal(row.attempts, 2)
    assert.match(row.error, /550/)
    assert.match(row.error, /No such user/)
  })

  test('after the last attempt a mail is marked failed', async () => {
    await mail()
    const down = withConfig({ ...sink.env, EMAIL_PORT: String(await closedPort()) })
    for (let i = 0; i < 10; i++) {
      await sendDueMail(down)
      ctx.clock.advance(3_600_000)
    }
    const [row] = await rows()
    assert.deepEqual([row.status, row.attempts], ['failed', 10])
  })

  test('a second mail for the same notification is ignored', async () => {
    const { project } = await buildProject(ctx)
    const check = await buildCheck(ctx, project)
    const channel = await buildChannel(
      ctx,
      project,
      'email',
      { value: 'a@example.org', up: true, down: true },
      [check],
    )
    const n = await ctx.db.kysely
      .insertInto('notifications')
      .values({
        code: newUuid(),
        check_id: check.id,
        channel_id: channel.id,
        check_status: 'down',
        created: 0,
        next_attempt_at: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const input = { to: 'a@example.org', subject: 's', text: 't', notificationId: n.id }
    const a = await enqueueMail(ctx.db, input, 0)
    const b = await enqueueMail(ctx.db, input, 0)
    assert.equal(a.id, b.id)
    assert.equal((await rows()).length, 1)
    const c = await enqueueMail(ctx.db, { to: 'a@example.org', subject: 's', text: 't' }, 0)
    assert.notEqual(c.id, a.id, 'mails without a notification are independent')
  })

  test('bounces: with EMAIL_MAIL_FROM_TMPL the bounce id fills MAIL FROM; the From header and the rest stay', async () => {
    const tmpl = withConfig({ ...sink.env, EMAIL_MAIL_FROM_TMPL: 'bounces+%s@example.org' })
    await enqueueMail(
      ctx.db,
      {
        to: 'alice@example.org',
        subject: 'Hello',
        text: 'Plain body',
        headers: { 'X-Bounce-ID': 'n.abc.1.2', 'X-Other': 'kept' },
      },
      ctx.clock.now(),
    )
    await mail() // no bounce id: the envelope sender gets Healthchecks' "bounces"
    assert.equal((await sendDueMail(tmpl)).sent, 2)
    const [withId, withoutId] = sink.messages
    assert.equal(withId.envelopeFrom, 'bounces+n.abc.1.2@example.org')
    assert.equal(withId.from, 'vigil@example.org')
    assert.equal(withId.headers.get('x-other'), 'kept')
    assert.equal(withId.headers.has('x-bounce-id'), false, 'the id goes in the envelope only')
    assert.equal(withoutId.envelopeFrom, 'bounces+bounces@example.org')
    assert.equal(withoutId.from, 'vigil@example.org')
  })

  test('bounces: without EMAIL_MAIL_FROM_TMPL MAIL FROM is the From address and no X-Bounce-ID is sent', async () => {
    await enqueueMail(
      ctx.db,
      { to: 'alice@example.org', subject: 'Hello', text: 'x', headers: { 'X-Bounce-ID': 'n.a' } },
      ctx.clock.now(),
    )
    assert.equal((await sendDueMail(ctx)).sent, 1)
    const [m] = sink.messages
    assert.equal(m.envelopeFrom, 'vigil@example.org')
    assert.equal(m.headers.has('x-bounce-id'), false)
  })
})

test('bounces: mailEnvelope and bounceIdOfLocalPart are inverses for every template shape', () => {
  const id = 'n.0f1e2d3c-0000-4000-8000-000000000000.6a1b2c3d.0123456789abcdef'
  for (const tmpl of ['%s@bounces.example.org', 'bounces+%s@example.org', 'x-%s-y@example.org']) {
    const { envelopeFrom, headers } = mailEnvelope({ 'x-bounce-id': id, A: 'b' }, tmpl)
    assert.deepEqual(headers, { A: 'b' })
    assert.ok(envelopeFrom)
    assert.equal(bounceIdOfLocalPart(envelopeFrom.split('@')[0], tmpl), id, tmpl)
  }
  assert.deepEqual(mailEnvelope({ 'X-Bounce-ID': id }, ''), { headers: {}, envelopeFrom: null })
  // Healthchecks' own shape, or no template: the local part is the id.
  assert.equal(bounceIdOfLocalPart(id, ''), id)
  assert.equal(bounceIdOfLocalPart(id, 'bounces+%s@example.org'), id)
  assert.equal(bounceIdOfLocalPart('bounces+', 'bounces+%s@example.org'), 'bounces+')
})
