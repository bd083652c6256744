/**
 * Use case behind the reports/nags unsubscribe link (spec §2.10, Healthchecks'
 * unsubscribe_reports): a good signed user id turns off what the profile page's "Email reports"
 * and "Still down reminders" fields control (reports 'off', nag_period 0, both dates cleared), as
 * a hard bounce of a report does. A bad signature is refused before any query.
 */
import type { Ctx } from '../context.js'
import { reportsUnsubscribeUser } from '../mail/index.js'
import { err, ok, type Result } from '../result.js'

export type UnsubscribeReportsError = { kind: 'bad-link' }

/** The user a link names, or null when the account no longer exists. */
export async function findReportsUnsubscribeUser(
  ctx: Ctx,
  signed: string,
): Promise<Result<{ id: number } | null, UnsubscribeReportsError>> {
  const id = reportsUnsubscribeUser(signed, ctx.config.secretKey)
  if (id === null) return err({ kind: 'bad-link' })
  const user = await ctx.db.kysely
    .selectFrom('users')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst()
  return ok(user ?? null)
}

export async function unsubscribeReports(
  ctx: Ctx,
  signed: string,
): Promise<Result<{ id: number } | null, UnsubscribeReportsError>> {
  const user = await findReportsUnsubscribeUser(ctx, signed)
  if (!user.ok || user.value === null) return user
  await ctx.db.kysely
    .updateTable('users')
    .set({ reports: 'off', next_report_date: null, nag_period: 0, next_nag_date: null })
    .where('id', '=', user.value.id)
    .execute()
  return user
}
