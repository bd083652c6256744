/**
 * Spec §3.7 `POST /api/vN/bounces/` with §2.10 and §5.2 (bounce ids of reports and alert emails)
 * and §6.3 EMAIL_MAIL_FROM_TMPL, end to end on real parts: an alert and a report go out through
 * the outbox to a real SMTP server, the envelope sender (MAIL FROM) the server saw is where a
 * mail server sends its bounce, and that DSN posted to the endpoint reaches the notification's
 * channel or the user's reports. Both template shapes: Healthchecks' `%s@bounces.example.org`
 * (the id is the whole local part) and `bounces+%s@example.org` (sub-addressing).
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { startWorker } from '../../src/alerts/index.js'
import { buildApp } from '../../src/app.js'
import { goingDownAfter } from '../../src/checks/status.js'
import type { Check, Project, User } from '../../src/db/index.js'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { runVigil } from '../helpers/cli.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ReceivedMail, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js'
import { receiveMonthlyReport, receiveNag } from '../helpers/user-mail.js'

const HOUR = 3_600_000
const TEMPLATES = ['%s@bounces.example.org', 'bounces+%s@example.org']

/** The envelope sender's pattern for a template: the signed id `<value>.<hex time>.<16 hex>`. */
function envelopePattern(tmpl: string, value: string): RegExp {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const [before, after] = tmpl.split('%s')
  return new RegExp(`^${esc(before)}${esc(value)}\\.[0-9a-f]+\\.[0-9a-f]{16}${esc(after)}$`)
}

/**
 * The DSN a receiving mail server sends back to the envelope sender of `original` (RFC 3464:
 * multipart/report with a message/delivery-status part and the original headers).
 */
function dsnFor(original: ReceivedMail, status: string, diagnostic: string): string {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
    `To: <${original.envelopeFrom}>`,
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn-1"',
    '',
    'This is a MIME-encapsulated message.',
    '',
    '--dsn-1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `I'm sorry to have to inform you that your message could not be delivered.`,
    '',
    '--dsn-1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    `Arrival-Date: ${new Date().toUTCString()}`,
    '',
    `Final-Recipient: rfc822; ${original.envelopeTo[0]}`,
    `Original-Recipient: rfc822;${original.envelopeTo[0]}`,
    'Action: failed',
    `Status: ${status}`,
    `Diagnostic-Code: smtp; ${diagnostic}`,
    '',
    '--dsn-1',
    'Content-Type: text/rfc822-headers',
    '',
    `From: ${original.from}`,
    `To: ${original.to}`,
    `Subject: ${original.subject}`,
    '',
    '--dsn-1--',
    '',
  ].join('\r\n')
}

for (const tmpl of TEMPLATES) {
  describeEachDatabase(`bounces: round trip with EMAIL_MAIL_FROM_TMPL=${tmpl}`, (dialect) => {
    let sink: SmtpSink
    let ctx: TestContext
    let app: FastifyInstance
    let owner: User
    let project: Project
    let check: Check
    before(async () => {
      sink = await startSmtpSink()
    })
    after(() => sink.close())
    beforeEach(async () => {
      sink.messages.length = 0
      ctx = await createTestContext(dialect, {
        ...sink.env,
        DEFAULT_FROM_EMAIL: 'alerts@example.org',
        EMAIL_MAIL_FROM_TMPL: tmpl,
      })
      app = await buildApp(ctx)
      const built = await buildProject(ctx, 'alice@example.org', 'Backups')
      owner = built.owner
      project = built.project
      const lastPing = ctx.clock.now() - 2 * HOUR
      const fields = { status: 'up' as const, timeout: 3600, grace: 600, last_ping: lastPing }
      check = await buildCheck(ctx, project, {
        ...fields,
        name: 'nightly',
        created: lastPing - 90 * 86_400_000,
        alert_after: goingDownAfter({
          kind: 'simple',
          schedule: '',
          tz: 'UTC',
          last_start: null,
          ...fields,
        }),
      })
    })
    afterEach(async () => {
      await app.close()
      await ctx.drop()
    })

    const emailChannel = () =>
      ctx.db.kysely
        .selectFrom('channels')
        .selectAll()
        .where('project_id', '=', project.id)
        .where('kind', '=', 'email')
        .executeTakeFirstOrThrow()
    const readUser = () =>
      ctx.db.kysely
        .selectFrom('users')
        .selectAll()
        .where('id', '=', owner.id)
        .executeTakeFirstOrThrow()
    const postBounce = (body: string) =>
      app.inject({ method: 'POST', url: '/api/v3/bounces/', payload: body })

    /** The owner's email channel alerts about the check; the worker sends "DOWN | nightly". */
    async function sendAlert(): Promise<ReceivedMail> {
      const channel = await emailChannel()
      await ctx.db.kysely
        .insertInto('check_channels')
        .values({ check_id: check.id, channel_id: channel.id })
        .execute()
      const worker = startWorker(ctx, { workerId: 'w-bounce' })
      try {
        for (let i = 0; i < 3; i++) {
          await worker.tick()
          await worker.drain()
        }
        const [down] = await sink.waitFor(1)
        return down
      } finally {
        await worker.stop()
      }
    }

    test('bounces: an alert email carries n.<notification uuid> in MAIL FROM, not in its From or headers', async () => {
      const down = await sendAlert()
      assert.equal(down.subject, 'DOWN | nightly')
      const n = await ctx.db.kysely
        .selectFrom('notifications')
        .selectAll()
        .executeTakeFirstOrThrow()
      assert.equal(n.status, 'sent')
      assert.match(down.envelopeFrom, envelopePattern(tmpl, `n.${n.code}`))
      assert.equal(down.from, 'alerts@example.org')
      assert.equal(down.headers.has('x-bounce-id'), false)
      // An address's local part holds at most 64 characters (RFC 5321); Healthchecks' shape fits.
      if (tmpl.startsWith('%s@')) assert.equal(down.envelopeFrom.split('@')[0].length, 64)
    })

    test('bounces: a permanent DSN to the alert envelope sender fails the notification and disables the channel', async () => {
      const down = await sendAlert()
      ctx.clock.advance(10 * 60_000)
      const r = await postBounce(
        dsnFor(down, '5.1.1', '550 5.1.1 <alice@example.org>: Recipient address rejected'),
      )
      assert.equal(r.statusCode, 200)
      assert.equal(r.body, 'OK')
      const n = await ctx.db.kysely
        .selectFrom('notifications')
        .selectAll()
        .executeTakeFirstOrThrow()
      const error = 'Delivery failed (550 5.1.1 <alice@example.org>: Recipient address rejected)'
      assert.deepEqual([n.status, n.error], ['failed', error])
      const channel = await emailChannel()
      assert.deepEqual([channel.disabled, channel.last_error], [1, error])
    })

    test('bounces: a transient DSN (4.x.x) to the alert envelope sender records the error, the channel stays on', async () => {
      const down = await sendAlert()
      const r = await postBounce(dsnFor(down, '4.2.2', '452 4.2.2 Mailbox full'))
      assert.equal(r.body, 'OK')
      const n = await ctx.db.kysely
        .selectFrom('notifications')
        .selectAll()
        .executeTakeFirstOrThrow()
      assert.equal(n.error, 'Delivery failed (452 4.2.2 Mailbox full)')
      const channel = await emailChannel()
      assert.deepEqual([channel.disabled, channel.last_error], [0, n.error])
    })

    test('bounces: a DSN arriving after 48 hours, or with the id altered, changes nothing', async () => {
      const down = await sendAlert()
      // Another notification's uuid under this signature.
      const other = down.envelopeFrom.replace(
        /n\.([0-9a-f])/,
        (_, c) => `n.${c === '0' ? '1' : '0'}`,
      )
      const forged = { ...down, envelopeFrom: other }
      assert.equal((await postBounce(dsnFor(forged, '5.1.1', 'x'))).body, 'OK (bad signature)')
      ctx.clock.advance(49 * HOUR)
      assert.equal((await postBounce(dsnFor(down, '5.1.1', 'x'))).body, 'OK (bad signature)')
      const channel = await emailChannel()
      assert.deepEqual([channel.disabled, channel.last_error], [0, ''])
    })

    test('bounces: a permanent DSN to a monthly report envelope sender (r.<user id>) turns reports and nags off', async () => {
      const report = await receiveMonthlyReport(ctx, sink, { checkId: check.id, userId: owner.id })
      assert.match(report.envelopeFrom, envelopePattern(tmpl, `r.${owner.id}`))
      assert.equal(report.from, 'alerts@example.org')
      assert.equal(report.headers.has('x-bounce-id'), false)

      // A transient bounce leaves the reports on.
      assert.equal((await postBounce(dsnFor(report, '4.4.1', 'timeout'))).body, 'OK')
      assert.equal((await readUser()).reports, 'monthly')

      const r = await postBounce(dsnFor(report, '5.1.1', '550 5.1.1 User unknown'))
      assert.equal(r.body, 'OK')
      const u = await readUser()
      assert.deepEqual(
        [u.reports, u.next_report_date, u.nag_period, u.next_nag_date],
        ['off', null, 0, null],
      )
    })

    test('bounces: a nag ("still down" reminder) carries the same r.<user id> in MAIL FROM', async () => {
      const nag = await receiveNag(ctx, sink, {
        checkId: check.id,
        userId: owner.id,
        reports: 'off',
      })
      assert.match(nag.envelopeFrom, envelopePattern(tmpl, `r.${owner.id}`))
      assert.equal((await postBounce(dsnFor(nag, '5.2.1', 'mailbox disabled'))).body, 'OK')
      const u = await readUser()
      assert.deepEqual([u.nag_period, u.next_nag_date], [0, null])
    })
  })
}

test('bounces: doctor names an EMAIL_MAIL_FROM_TMPL without %s and exits 1', async () => {
  const r = await runVigil({ EMAIL_MAIL_FROM_TMPL: 'bounces@example.org' }, 'doctor')
  assert.equal(r.code, 1)
  assert.match(
    r.out,
    /ERROR vigil\.E000 Invalid setting EMAIL_MAIL_FROM_TMPL: must contain %s exactly once/,
  )
})
