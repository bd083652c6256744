/**
 * Use case behind `POST /api/vN/bounces/`, Healthchecks' `bounces` view: a bounce mail whose `To`
 * local part is a signed bounce id (mail/bounce-id.ts, at most 48 hours old), or holds it where
 * EMAIL_MAIL_FROM_TMPL puts it (`bounces+%s@…`): the outbox sends every alert, report and nag
 * with that id in its envelope sender, so the bounce comes back to it. `n.<notification
 * uuid>`: the email notification's error and its channel's last_error say why, and a permanent
 * bounce disables the channel. `r.<user id>` (Healthchecks: username) with a permanent bounce
 * turns that user's reports and reminders off. The answer is always a 200 text, so the sender
 * does not retry.
 */
import type { Ctx } from '../context.js'
import { bounceIdOfLocalPart, unsignBounceId } from '../mail/index.js'
import { bounceKind, readBounceReport } from './bounce-report.js'
import { recordFailedDelivery } from './failed-delivery.js'

/** How old a bounce id, and the notification it names, may be. */
export const BOUNCE_MAX_AGE_MS = 48 * 3_600_000

export type BounceAnswer =
  | 'OK'
  | 'OK (bad signature)'
  | 'OK (ignored)'
  | 'OK (notification not found)'
  | 'OK (user not found)'

export async function recordBounce(ctx: Ctx, raw: string): Promise<BounceAnswer> {
  const now = ctx.clock.now()
  const report = readBounceReport(raw)
  const signed = bounceIdOfLocalPart(report.toLocal, ctx.config.emailMailFromTmpl)
  const value = unsignBounceId(signed, ctx.config.secretKey, now, BOUNCE_MAX_AGE_MS)
  if (value === null) return 'OK (bad signature)'
  const kind = bounceKind(report.status)
  if (kind === 'other') return 'OK (ignored)'
  const k = ctx.db.kysely

  if (value.startsWith('n.')) {
    const n = await k
      .selectFrom('notifications')
      .select(['id', 'channel_id'])
      .where('code', '=', value.slice(2))
      .where('created', '>', now - BOUNCE_MAX_AGE_MS)
      .executeTakeFirst()
    if (!n) return 'OK (notification not found)'
    const error = (
      report.diagnostic
        ? `Delivery failed (${report.diagnostic})`
        : `Delivery failed (SMTP status code: ${report.status})`
    ).slice(0, 200)
    await recordFailedDelivery(ctx.db, n, error, kind === 'permanent')
  }

  if (value.startsWith('r.') && kind === 'permanent') {
    const id = /^\d{1,15}$/.test(value.slice(2)) ? Number(value.slice(2)) : null
    const r =
      id === null
        ? null
        : await k
            .updateTable('users')
            .set({ reports: 'off', next_report_date: null, nag_period: 0, next_nag_date: null })
            .where('id', '=', id)
            .executeTakeFirst()
    if (!r || Number(r.numUpdatedRows) === 0) return 'OK (user not found)'
  }
  return 'OK'
}
