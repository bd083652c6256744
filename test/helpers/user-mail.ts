/**
 * A user's own mail (monthly report, "still down" reminder) sent for real and received by the
 * test's SMTP sink: the set-up the bounce and unsubscribe tests share.
 */
import assert from 'node:assert/strict'
import { handleOneNag, handleOneReport } from '../../src/alerts/index.js'
import { sendDueMail } from '../../src/mail/index.js'
import type { TestContext } from './context.js'
import type { ReceivedMail, SmtpSink } from './smtp-sink.js'

const HOUR = 3_600_000

/** The user gets monthly reports and hourly nags, a report due now (2026-02-01 09:30 UTC, the check
 * pinged at 09:00): it is sent and received. */
export async function receiveMonthlyReport(
  ctx: TestContext,
  sink: SmtpSink,
  { checkId, userId }: { checkId: number; userId: number },
): Promise<ReceivedMail> {
  ctx.clock.set('2026-02-01T09:30:00Z')
  await ctx.db.kysely
    .updateTable('checks')
    .set({ last_ping: Date.parse('2026-02-01T09:00:00Z') })
    .where('id', '=', checkId)
    .execute()
  await ctx.db.kysely
    .updateTable('users')
    .set({
      reports: 'monthly',
      next_report_date: Date.parse('2026-02-01T09:00:00Z'),
      nag_period: 3600,
      next_nag_date: ctx.clock.now() + HOUR,
    })
    .where('id', '=', userId)
    .execute()
  assert.equal(await handleOneReport(ctx, ctx.clock.now(), () => 0), 'sent')
  assert.equal((await sendDueMail(ctx)).sent, 1)
  const [report] = await sink.waitFor(1)
  assert.equal(report.subject, 'Monthly Report')
  return report
}

/** The check is down and the user's hourly nag is due (reports as given): it is sent and received. */
export async function receiveNag(
  ctx: TestContext,
  sink: SmtpSink,
  { checkId, userId, reports }: { checkId: number; userId: number; reports: 'off' | 'weekly' },
): Promise<ReceivedMail> {
  await ctx.db.kysely
    .updateTable('checks')
    .set({ status: 'down' })
    .where('id', '=', checkId)
    .execute()
  await ctx.db.kysely
    .updateTable('users')
    .set({ reports, nag_period: 3600, next_nag_date: ctx.clock.now() - 1 })
    .where('id', '=', userId)
    .execute()
  assert.equal(await handleOneNag(ctx, ctx.clock.now()), 'sent')
  assert.equal((await sendDueMail(ctx)).sent, 1)
  const [nag] = await sink.waitFor(1)
  assert.match(nag.subject, /^Reminder: 1 check still down$/)
  return nag
}
