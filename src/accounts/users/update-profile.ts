/**
 * Use case: the account profile (time zone, "still down" reminders, e-mail reports), as
 * Healthchecks' accounts notifications/profile form. A new report setting (or zone) schedules the
 * next report as the reports worker would; a new reminder period restarts the reminder clock.
 * Validation lives here so every caller refuses the same values; nothing is saved on an error.
 */
import { randomInt } from 'node:crypto'
import { chooseNextReportDate, updateUserNagDate } from '../../checks/index.js'
import type { Ctx } from '../../context.js'
import type { ReportPeriod, User } from '../../db/index.js'
import { err, ok, type Result } from '../../result.js'
import { isValidTimeZone } from '../../schedule/index.js'

/** Seconds between reminders: off, hourly, daily (Healthchecks' NAG_PERIODS). */
export const NAG_PERIODS = [0, 3600, 86_400] as const
export const REPORT_PERIODS: readonly ReportPeriod[] = ['off', 'daily', 'weekly', 'monthly']

export interface ProfileInput {
  userId: number
  tz: string
  /** Seconds; one of NAG_PERIODS. */
  nagPeriod: number
  reports: string
}

export type ProfileError =
  | { kind: 'invalid-tz' }
  | { kind: 'invalid-nag-period' }
  | { kind: 'invalid-reports' }
  | { kind: 'user-not-found' }

function isReportPeriod(v: string): v is ReportPeriod {
  return (REPORT_PERIODS as readonly string[]).includes(v)
}

export async function updateProfile(
  ctx: Ctx,
  input: ProfileInput,
): Promise<Result<User, ProfileError>> {
  if (!isValidTimeZone(input.tz)) return err({ kind: 'invalid-tz' })
  if (!(NAG_PERIODS as readonly number[]).includes(input.nagPeriod))
    return err({ kind: 'invalid-nag-period' })
  const reports = input.reports
  if (!isReportPeriod(reports)) return err({ kind: 'invalid-reports' })
  const now = ctx.clock.now()
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .selectAll()
      .where('id', '=', input.userId)
      .executeTakeFirst()
    if (!user) return err({ kind: 'user-not-found' as const })
    const changes: Partial<Pick<User, 'tz' | 'reports' | 'next_report_date' | 'nag_period'>> = {
      tz: input.tz,
      reports,
    }
    // 09:00 local moves with the zone, so a new zone reschedules the report as well.
    if (reports !== user.reports || input.tz !== user.tz) {
      changes.next_report_date =
        reports === 'off' ? null : chooseNextReportDate(reports, input.tz, now, randomInt(120))
    }
    const nagChanged = input.nagPeriod !== user.nag_period
    if (nagChanged) changes.nag_period = input.nagPeriod
    await trx
      .updateTable('users')
      .set({ ...changes, ...(nagChanged ? { next_nag_date: null } : {}) })
      .where('id', '=', user.id)
      .execute()
    // The old period's reminder date is void; start the new one now if something is down.
    if (nagChanged) await updateUserNagDate(trx, user.id, now)
    const saved = await trx
      .selectFrom('users')
      .selectAll()
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow()
    return ok(saved)
  })
}
