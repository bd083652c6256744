/**
 * The reports loop, as Healthchecks' sendreports: monthly/weekly/daily reports and "still down"
 * reminders (nags), one user at a time, each claimed with a CAS on its date so that any number
 * of workers (or `vigil sendreports`) never mail twice:
 *   reports: 1. pick a user with reports on whose next_report_date passed or is unset;
 *            2. unset → set it (no mail); 3. CAS the date forward; 0 rows = another worker won;
 *            4. queue the report in the mail outbox (nothing if no check pinged in 180 days).
 *   nags:    1. pick a user whose next_nag_date passed (nag_period > 0); 2. CAS it to
 *            now + nag_period; 3. queue the reminder, or clear the date when nothing is down.
 */
import {
  accessibleProjects,
  chooseNextReportDate,
  downtimesByBoundary,
  periodBoundaries,
  type ReportKind,
  reportZone,
  statusAt,
} from '../checks/index.js'
import type { Ctx } from '../context.js'
import type { Check, User } from '../db/index.js'
import {
  BOUNCE_ID_HEADER,
  enqueueMail,
  reportsUnsubscribeLink,
  signBounceId,
  unsubscribeHeaders,
} from '../mail/index.js'
import { type NagCheck, type ReportCheck, renderNag, renderReport } from './report-message.js'

/** Reports are skipped for accounts whose checks have all been silent this long. */
export const REPORT_INACTIVE_MS = 180 * 86_400_000
/** How often the worker runs the reports loop. */
export const REPORTS_EVERY_MS = 60_000

export interface ReportsOptions {
  /** Minutes of jitter after 09:00 (0–119); default random, as Healthchecks. */
  jitterMinutes?: () => number
  /** At most this many users handled per kind and call. */
  limit?: number
}

export interface ReportsRun {
  reports: number
  nags: number
}

/** Checks of every project the user owns or is a member of (as Healthchecks' reports). */
type OwnedCheck = Check & { project_name: string }

async function ownedChecks(ctx: Ctx, userId: number): Promise<OwnedCheck[]> {
  return ctx.db.kysely
    .selectFrom('checks')
    .innerJoin('projects', 'projects.id', 'checks.project_id')
    .selectAll('checks')
    .select('projects.name as project_name')
    .where('checks.project_id', 'in', accessibleProjects(ctx.db.kysely, userId))
    .execute()
}

function isActive(checks: Check[], now: number): boolean {
  const last = Math.max(...checks.map((c) => c.last_ping ?? Number.NEGATIVE_INFINITY))
  return Number.isFinite(last) && last >= now - REPORT_INACTIVE_MS
}

/** Queues the report of `user`; false when there is nothing to report. */
async function sendReport(ctx: Ctx, user: User, kind: ReportKind, now: number): Promise<boolean> {
  const checks = await ownedChecks(ctx, user.id)
  if (checks.length === 0 || !isActive(checks, now)) return false
  const tz = reportZone(user.tz)
  const boundaries = periodBoundaries(kind, now, tz, 3)
  const oldest = boundaries[boundaries.length - 1]
  const flips = await ctx.db.kysely
    .selectFrom('flips')
    .select(['check_id', 'created', 'old_status'])
    .where(
      'check_id',
      'in',
      checks.map((c) => c.id),
    )
    .where('created', '>', oldest)
    .execute()
  const rows: ReportCheck[] = checks.map((c) => {
    const records = downtimesByBoundary({
      boundaries,
      flips: flips.filter((f) => f.check_id === c.id),
      status: c.status,
      created: c.created,
      now,
    })
    // The current period is incomplete: the report shows the two before it.
    return {
      name: c.name || c.code,
      code: c.code,
      projectName: c.project_name,
      projectId: c.project_id,
      periods: [records[1], records[2]],
    }
  })
  const mail = renderReport({
    kind,
    tz,
    checks: rows,
    siteName: ctx.config.siteName,
    siteRoot: ctx.config.siteRoot,
    unsubscribeLink: unsubscribeLink(ctx, user, now),
  })
  await enqueueMail(ctx.db, { to: user.email, ...mail, headers: mailHeaders(ctx, user, now) }, now)
  return true
}

/**
 * List-Unsubscribe (one-click) and Healthchecks' bounce id of reports and nags, `r.<user>`: a hard bounce turns both off
 * (api/record-bounce.ts). Vigil users have no username, so the id is the user's id.
 */
function mailHeaders(ctx: Ctx, user: User, now: number): Record<string, string> {
  return {
    ...unsubscribeHeaders(unsubscribeLink(ctx, user, now)),
    [BOUNCE_ID_HEADER]: signBounceId(`r.${user.id}`, ctx.config.secretKey, now),
  }
}

/** Healthchecks' signed reports-unsubscribe link: its POST turns reports and nags off. */
function unsubscribeLink(ctx: Ctx, user: User, now: number): string {
  return reportsUnsubscribeLink(ctx.config.siteRoot, user.id, ctx.config.secretKey, now)
}

/** Queues the reminder of `user`; false when none of their checks is down. */
async function sendNag(ctx: Ctx, user: User, now: number): Promise<boolean> {
  const checks = await ownedChecks(ctx, user.id)
  if (checks.length === 0 || !isActive(checks, now)) return false
  const down = checks.filter((c) => statusAt(c, now) === 'down')
  if (down.length === 0) return false
  const rows: NagCheck[] = []
  for (const c of down) {
    const flip = await ctx.db.kysely
      .selectFrom('flips')
      .select('created')
      .where('check_id', '=', c.id)
      .where('new_status', '=', 'down')
      .orderBy('created', 'desc')
      .limit(1)
      .executeTakeFirst()
    rows.push({
      name: c.name || c.code,
      code: c.code,
      projectName: c.project_name,
      projectId: c.project_id,
      downSince: flip?.created ?? null,
    })
  }
  const mail = renderNag({
    tz: reportZone(user.tz),
    checks: rows,
    siteName: ctx.config.siteName,
    siteRoot: ctx.config.siteRoot,
    unsubscribeLink: unsubscribeLink(ctx, user, now),
  })
  await enqueueMail(ctx.db, { to: user.email, ...mail, headers: mailHeaders(ctx, user, now) }, now)
  return true
}

/** Handles one due report; 'none' when no user is due. */
export async function handleOneReport(
  ctx: Ctx,
  now: number,
  jitter: () => number,
): Promise<'none' | 'scheduled' | 'sent' | 'nothing-to-report' | 'lost-race'> {
  const k = ctx.db.kysely
  const user = await k
    .selectFrom('users')
    .selectAll()
    .where('reports', '<>', 'off')
    .where((eb) => eb.or([eb('next_report_date', 'is', null), eb('next_report_date', '<', now)]))
    .orderBy('next_report_date')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
  if (!user) return 'none'
  const kind = user.reports as ReportKind
  const next = chooseNextReportDate(kind, user.tz, now, jitter())
  const old = user.next_report_date
  const r = await k
    .updateTable('users')
    .set({ next_report_date: next })
    .where('id', '=', user.id)
    .where('reports', '=', user.reports)
    .where((eb) =>
      old === null ? eb('next_report_date', 'is', null) : eb('next_report_date', '=', old),
    )
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) === 0) return 'lost-race'
  // A fresh account (or one whose reports were just switched on) gets a date, not a mail.
  if (old === null) return 'scheduled'
  if (user.email_verified === 0) return 'nothing-to-report'
  return (await sendReport(ctx, user, kind, now)) ? 'sent' : 'nothing-to-report'
}

/** Handles one due nag; 'none' when no user is due. */
export async function handleOneNag(
  ctx: Ctx,
  now: number,
): Promise<'none' | 'sent' | 'cleared' | 'lost-race'> {
  const k = ctx.db.kysely
  const user = await k
    .selectFrom('users')
    .selectAll()
    .where('next_nag_date', '<', now)
    .where('nag_period', '>', 0)
    .orderBy('next_nag_date')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
  if (!user || user.next_nag_date === null) return 'none'
  const next = now + user.nag_period * 1000
  const r = await k
    .updateTable('users')
    .set({ next_nag_date: next })
    .where('id', '=', user.id)
    .where('next_nag_date', '=', user.next_nag_date)
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) === 0) return 'lost-race'
  if (user.email_verified !== 0 && (await sendNag(ctx, user, now))) return 'sent'
  // Nothing down any more: stop reminding until a check goes down again.
  await k
    .updateTable('users')
    .set({ next_nag_date: null })
    .where('id', '=', user.id)
    .where('next_nag_date', '=', next)
    .execute()
  return 'cleared'
}

/** Sends every due report and nag (up to `limit` each); returns how many mails were queued. */
export async function sendDueReports(
  ctx: Ctx,
  now: number,
  options: ReportsOptions = {},
): Promise<ReportsRun> {
  const jitter = options.jitterMinutes ?? (() => Math.floor(Math.random() * 120))
  const limit = options.limit ?? 1000
  const run: ReportsRun = { reports: 0, nags: 0 }
  for (let i = 0; i < limit; i++) {
    const o = await handleOneReport(ctx, now, jitter)
    if (o === 'none') break
    if (o === 'sent') run.reports++
  }
  for (let i = 0; i < limit; i++) {
    const o = await handleOneNag(ctx, now)
    if (o === 'none') break
    if (o === 'sent') run.nags++
  }
  return run
}
