/**
 * What the admin status page (DOC-3) shows, loaded in one place: every doctor check as a row
 * (catalogue order, worst finding first; network checks as last stored, never probed on a view),
 * worker heartbeats and outages, notification and outbox queue depths and the latest outbox mail.
 * The reads are the features' own: alerts/ (workers, outages, notifications), mail/ (outbox).
 */
import { notificationCounts, recentOutages, recentWorkers } from '../../alerts/index.js'
import type { Ctx } from '../../context.js'
import { CHECKS, currentFindings, type Finding, specSeverity } from '../../doctor/index.js'
import { mailStatus, outboxCounts, recentOutboxMail } from '../../mail/index.js'

export const OUTBOX_ROWS = 50
const SEVERITY_ORDER: Finding['severity'][] = ['fatal', 'error', 'warning', 'info', 'ok']

/** One row of the checks table: every catalogue id, plus any finding id the catalogue lacks. */
export interface CheckRow {
  id: string
  title: string
  status: 'ok' | 'fatal' | 'error' | 'warn' | 'info' | 'not run' | 'not applicable'
  lastRun: number | null
  findings: Finding[]
}

function checkRows(ctx: Ctx, findings: Finding[], now: number, networkAt: number | null) {
  const known = new Set(CHECKS.map((c) => c.id))
  const extra = findings
    .filter((f) => !known.has(f.id))
    .map((f) => ({ id: f.id, title: '', source: 'config' as const }))
  const seen = new Set<string>()
  const rows: CheckRow[] = []
  for (const c of [...CHECKS, ...extra]) {
    if (seen.has(c.id)) continue
    seen.add(c.id)
    const mine = findings.filter((f) => f.id === c.id)
    const worst = SEVERITY_ORDER.find((s) => mine.some((f) => f.severity === s))
    const network = c.source === 'network'
    const lastRun = network ? networkAt : now
    let status: CheckRow['status'] = worst ? specSeverity(worst) : 'ok'
    if (!worst && network && !ctx.config.smtp) status = 'not applicable'
    else if (!worst && network && networkAt === null) status = 'not run'
    rows.push({ id: c.id, title: c.title, status, lastRun, findings: mine })
  }
  // Failing checks first, in severity order.
  const rank = (r: CheckRow) => {
    const i = ['fatal', 'error', 'warn', 'info'].indexOf(r.status)
    return i === -1 ? 9 : i
  }
  return rows.sort((a, b) => rank(a) - rank(b))
}

export async function loadSystemStatus(ctx: Ctx) {
  const now = ctx.clock.now()
  const { findings, networkAt } = await currentFindings(ctx)
  const workers = await recentWorkers(ctx, 50)
  const outages = await recentOutages(ctx, 10)
  const notifications = await notificationCounts(ctx)
  const mail = await outboxCounts(ctx)
  const outbox = await recentOutboxMail(ctx, OUTBOX_ROWS)
  const rows = checkRows(ctx, findings, now, networkAt)
  return {
    now,
    findings,
    rows,
    workers,
    outages,
    notifications,
    mail,
    outbox,
    mailState: await mailStatus(ctx),
  }
}

export type SystemStatus = Awaited<ReturnType<typeof loadSystemStatus>>

/** Findings that make the status a problem (the admin banner counts these). */
export function problemCount(s: SystemStatus): number {
  return s.findings.filter((f) => ['fatal', 'error'].includes(f.severity)).length
}

/** GET /admin/system.json. */
export function systemStatusJson(s: SystemStatus) {
  return {
    generated_at: new Date(s.now).toISOString(),
    mail_status: s.mailState,
    problems: problemCount(s),
    checks: s.rows.map((r) => ({
      check: r.id,
      title: r.title,
      status: r.status,
      last_run: r.lastRun === null ? null : new Date(r.lastRun).toISOString(),
      findings: r.findings.map((f) => ({
        severity: specSeverity(f.severity),
        message: f.message,
        hint: f.hint ?? null,
      })),
    })),
  }
}
