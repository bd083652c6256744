/**
 * The mail outbox: every outgoing mail is a row first. Requests and the worker only enqueue;
 * the sender (send-due-mail.ts) delivers. An empty from address means DEFAULT_FROM_EMAIL at send
 * time, so a corrected setting also applies to mail already queued.
 */
import type { Ctx } from '../context.js'
import type { Db, OutboxMail } from '../db/index.js'

export interface MailInput {
  to: string
  subject: string
  text: string
  html?: string
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>
  /** Envelope and header sender; default DEFAULT_FROM_EMAIL when sent. */
  from?: string
  /** The notification this mail delivers: it follows the mail's outcome. */
  notificationId?: number
  /**
   * The address was typed by someone and is not proven (an invitation, a new address to confirm):
   * its outcome does not move the mail status (MAIL-1), so a refused address cannot degrade it.
   */
  unverifiedRecipient?: boolean
}

/**
 * Queues a mail, due at once. A second mail for the same notification is ignored (a redelivery
 * after a lost lease), and the existing row is returned.
 */
export async function enqueueMail(db: Db, mail: MailInput, now: number): Promise<OutboxMail> {
  const inserted = await db.kysely
    .insertInto('mail_outbox')
    .values({
      created: now,
      to_addr: mail.to,
      from_addr: mail.from ?? '',
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html ?? null,
      headers: JSON.stringify(mail.headers ?? {}),
      status: 'pending',
      next_attempt_at: now,
      notification_id: mail.notificationId ?? null,
      unverified_recipient: mail.unverifiedRecipient ? 1 : 0,
    })
    .onConflict((oc) =>
      oc.column('notification_id').where('notification_id', 'is not', null).doNothing(),
    )
    .returningAll()
    .executeTakeFirst()
  if (inserted) return inserted
  return db.kysely
    .selectFrom('mail_outbox')
    .selectAll()
    .where('notification_id', '=', mail.notificationId ?? -1)
    .executeTakeFirstOrThrow()
}

/** How many outbox mails there are in each status (admin status page). */
export function outboxCounts(ctx: Ctx) {
  return ctx.db.kysely
    .selectFrom('mail_outbox')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute()
}

/** The newest outbox mails, without their bodies (admin status page). */
export function recentOutboxMail(ctx: Ctx, limit: number) {
  return ctx.db.kysely
    .selectFrom('mail_outbox')
    .select(['id', 'created', 'to_addr', 'subject', 'status', 'error', 'attempts'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}
