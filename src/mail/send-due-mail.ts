/**
 * The outbox sender: claims due mail with a lease (conditional UPDATE, plus SKIP LOCKED on
 * PostgreSQL) and sends it over SMTP with nodemailer; failures are retried with backoff and stay
 * visible in `error`. Without SMTP, mail is parked as `not-sent: email is not configured` and
 * goes out once EMAIL_HOST is set. A mail linked to a notification settles that notification.
 * The envelope sender carries the mail's bounce id when EMAIL_MAIL_FROM_TMPL is set (envelope-sender.ts).
 */
import { hostname } from 'node:os'
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely'
import nodemailer from 'nodemailer'
import type { Ctx } from '../context.js'
import { claimLeased, type Database, type OutboxMail } from '../db/index.js'
import { mailEnvelope } from './envelope-sender.js'
import { MAIL_LEASE_MS, MAIL_MAX_ATTEMPTS, mailRetryDelayMs } from './mail-retry.js'
import { newMessageId } from './message-id.js'
import {
  classifySendError,
  NOTIFICATION_MAIL_UNCONFIGURED,
  notificationMailError,
  type SendFailureReason,
} from './send-failure.js'
import { smtpTransportOptions } from './smtp-options.js'

export const MAIL_NOT_CONFIGURED = 'email is not configured'

export interface SendDueMailOptions {
  /** Who holds the lease; default a per-process id. */
  workerId?: string
  /** Most mails claimed in one call. */
  limit?: number
}

export interface SendDueMailReport {
  sent: number
  retrying: number
  failed: number
  /** Rows parked as not-sent because SMTP is not configured. */
  notSent: number
}

const defaultWorkerId = `${hostname()}:${process.pid}:mail`

/** SMTP error of a recipient or the message itself (5xx to RCPT TO / DATA): retrying cannot help. */
function isPermanentSmtpError(e: { responseCode?: number; command?: string }): boolean {
  const code = e.responseCode ?? 0
  return code >= 500 && code < 600 && (e.command === 'RCPT TO' || e.command === 'DATA')
}

function cut(s: string, n = 500): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s
}

/** Moves the outcome of a mail onto the notification it delivers, and that channel's last error. */
async function settleNotification(
  ctx: Ctx,
  notificationId: number | null,
  outcome: { status: 'sent' | 'failed' | 'sending'; error: string },
  now: number,
): Promise<void> {
  if (notificationId === null) return
  const k = ctx.db.kysely
  const fields =
    outcome.status === 'sending'
      ? { error: outcome.error }
      : outcome.status === 'sent'
        ? { status: 'sent' as const, error: '', sent_at: now, claimed_by: null, claimed_at: null }
        : { status: 'failed' as const, error: outcome.error, claimed_by: null, claimed_at: null }
  const n = await k
    .updateTable('notifications')
    .set(fields)
    .where('id', '=', notificationId)
    .returning(['channel_id', 'code'])
    .executeTakeFirst()
  // A grouped alert (alerts/alert-groups.ts): the rows this mail carried share its outcome.
  if (n && outcome.status !== 'sending')
    await k
      .updateTable('notifications')
      .set(fields)
      .where('group_code', '=', n.code)
      .where('id', '<>', notificationId)
      .execute()
  if (n)
    await k
      .updateTable('channels')
      .set({ last_error: outcome.error.slice(0, 200) })
      .where('id', '=', n.channel_id)
      .execute()
}

/** Without SMTP: park every pending mail as not-sent, visibly, and tell the notifications. */
async function parkUnsendable(ctx: Ctx, now: number): Promise<number> {
  const rows = await ctx.db.kysely
    .updateTable('mail_outbox')
    .set({ status: 'not-sent', error: MAIL_NOT_CONFIGURED, claimed_by: null, claimed_at: null })
    .where((eb) =>
      eb.or([
        eb('status', '=', 'pending'),
        eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', now - MAIL_LEASE_MS)]),
      ]),
    )
    .returning(['id', 'notification_id'])
    .execute()
  for (const r of rows)
    await settleNotification(
      ctx,
      r.notification_id,
      // MAIL-4: the notification says it in the user's words; the outbox row keeps its own.
      { status: 'sending', error: NOTIFICATION_MAIL_UNCONFIGURED },
      now,
    )
  return rows.length
}

function isDue(now: number) {
  return (eb: ExpressionBuilder<Database, 'mail_outbox'>): Expression<SqlBool> =>
    eb.or([
      eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
      // Parked while SMTP was not configured: it is now.
      eb('status', '=', 'not-sent'),
      eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', now - MAIL_LEASE_MS)]),
    ])
}

/** Claims up to `limit` due mails for `workerId`; another worker's rows are skipped, not waited for. */
export async function claimDueMail(
  ctx: Ctx,
  workerId: string,
  now: number,
  limit: number,
): Promise<OutboxMail[]> {
  return claimLeased(ctx.db, 'mail_outbox', {
    due: isDue(now),
    limit,
    set: { status: 'sending', claimed_by: workerId, claimed_at: now },
  })
}

/** Sends what is due. Never throws for SMTP trouble; database errors propagate to the caller. */
export async function sendDueMail(
  ctx: Ctx,
  options: SendDueMailOptions = {},
): Promise<SendDueMailReport> {
  const report: SendDueMailReport = { sent: 0, retrying: 0, failed: 0, notSent: 0 }
  const now = ctx.clock.now()
  if (!ctx.config.smtp) {
    report.notSent = await parkUnsendable(ctx, now)
    return report
  }
  const workerId = options.workerId ?? defaultWorkerId
  const mails = await claimDueMail(ctx, workerId, now, options.limit ?? 20)
  if (mails.length === 0) return report

  // A pool of SMTP connections (EMAIL_MAX_CONNECTIONS) sends the batch concurrently.
  const connections = ctx.config.emailMaxConnections
  const transport = nodemailer.createTransport({
    ...smtpTransportOptions(ctx.config),
    pool: true,
    maxConnections: connections,
    maxMessages: Number.POSITIVE_INFINITY,
  })
  try {
    // Once the server cannot be reached, the rest of the batch fails the same way without
    // waiting for another connection timeout each.
    let connectionError: { error: string; reason: SendFailureReason } | null = null
    const sendOne = async (mail: OutboxMail) => {
      let error: string | null = connectionError?.error ?? null
      let reason: SendFailureReason = connectionError?.reason ?? 'other'
      let permanent = false
      if (error === null)
        try {
          const from = mail.from_addr || ctx.config.defaultFromEmail
          const { headers, envelopeFrom } = mailEnvelope(
            JSON.parse(mail.headers || '{}') as Record<string, string>,
            ctx.config.emailMailFromTmpl,
          )
          await transport.sendMail({
            from,
            to: mail.to_addr,
            subject: mail.subject,
            text: mail.text_body,
            html: mail.html_body ?? undefined,
            headers,
            messageId: newMessageId(ctx.config.defaultFromEmail),
            ...(envelopeFrom === null
              ? {}
              : { envelope: { from: envelopeFrom, to: mail.to_addr } }),
          })
        } catch (e) {
          const smtpError = e as { message?: string; responseCode?: number; command?: string }
          error = cut(smtpError.message || String(e))
          reason = classifySendError(e)
          permanent = isPermanentSmtpError(smtpError)
          if (smtpError.responseCode === undefined) connectionError = { error, reason }
        }
      const done = ctx.clock.now()
      const attempts = mail.attempts + 1
      const mine = ctx.db.kysely
        .updateTable('mail_outbox')
        .where('id', '=', mail.id)
        .where('status', '=', 'sending')
        .where('claimed_by', '=', workerId)
      if (error === null) {
        await mine
          .set({
            status: 'sent',
            sent_at: done,
            error: '',
            attempts,
            claimed_by: null,
            claimed_at: null,
          })
          .execute()
        await settleNotification(ctx, mail.notification_id, { status: 'sent', error: '' }, done)
        report.sent++
      } else if (permanent || attempts >= MAIL_MAX_ATTEMPTS) {
        await mine
          .set({ status: 'failed', error, attempts, claimed_by: null, claimed_at: null })
          .execute()
        await settleNotification(
          ctx,
          mail.notification_id,
          { status: 'failed', error: notificationMailError(reason) },
          done,
        )
        report.failed++
      } else {
        await mine
          .set({
            status: 'pending',
            error,
            attempts,
            next_attempt_at: done + mailRetryDelayMs(attempts),
            claimed_by: null,
            claimed_at: null,
          })
          .execute()
        await settleNotification(
          ctx,
          mail.notification_id,
          { status: 'sending', error: notificationMailError(reason) },
          done,
        )
        report.retrying++
        ctx.log.warn({ mailId: mail.id, attempts, error }, 'mail not sent, will retry')
      }
    }
    const queue = [...mails]
    await Promise.all(
      Array.from({ length: Math.min(connections, queue.length) }, async () => {
        for (let mail = queue.shift(); mail; mail = queue.shift()) await sendOne(mail)
      }),
    )
  } finally {
    transport.close()
  }
  return report
}
