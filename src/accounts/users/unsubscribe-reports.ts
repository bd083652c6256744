/**
 * Use case behind the reports/nags unsubscribe link (spec §2.10, Healthchecks'
 * unsubscribe_reports): a good signed user id turns off what the profile page's "Email reports"
 * and "Still down reminders" fields control (reports 'off', nag_period 0, both dates cleared), as
 * a hard bounce of a report does. A bad signature is refused before any query.
 */
import type { Ctx } from '../../context.js'
import { reportsUnsubscribeUser } from '../../mail/index.js'
import { err, ok, type Result } from '../../result.js'

export type UnsubscribeReportsError = { kind: 'bad-link' }

export interface ReportsUnsubscribeTarget {
  /** null when the account no longer exists. */
  userId: number | null
  /** When the link was signed (ms): Healthchecks auto-submits the form of links over 5 min old. */
  signedAt: number
}

/** The user a good link names. */
export async function findReportsUnsubscribeUser(
  ctx: Ctx,
  signed: string,
): Promise<Result<ReportsUnsubscribeTarget, UnsubscribeReportsError>> {
  const link = reportsUnsubscribeUser(signed, ctx.config.secretKey)
  if (link === null) return err({ kind: 'bad-link' })
  const user = await ctx.db.kysely
    .selectFrom('users')
    .select('id')
    .where('id', '=', link.userId)
    .executeTakeFirst()
  return ok({ userId: user ? user.id : null, signedAt: link.signedAt })
}

export async function unsubscribeReports(
  ctx: Ctx,
  signed: string,
): Promise<Result<ReportsUnsubscribeTarget, UnsubscribeReportsError>> {
  const target = await findReportsUnsubscribeUser(ctx, signed)
  if (!target.ok || target.value.userId === null) return target
  await ctx.db.kysely
    .updateTable('users')
    .set({ reports: 'off', next_report_date: null, nag_period: 0, next_nag_date: null })
    .where('id', '=', target.value.userId)
    .execute()
  return target
}
