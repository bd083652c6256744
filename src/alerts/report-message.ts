/**
 * Pure: the text and HTML of the periodic report and of the "still down" reminder (nag), as
 * Healthchecks' report e-mail: subject "Monthly Report" / "Weekly Report" / "Daily Report" or
 * "Reminder: N check(s) still down", a summary line, then the checks grouped by project with the
 * downtime of the two previous complete periods ("2 downtimes, 1 h 5 min total", "All good!",
 * "–" before the check existed). Everything user-supplied is escaped in the HTML part.
 */
import type { DowntimeRecord } from '../checks/index.js'
import { formatLocal, periodLabel, periodShortLabel, type ReportKind } from '../checks/index.js'
import { escapeHtml } from '../integrations/index.js'

export interface ReportCheck {
  name: string
  code: string
  projectName: string
  projectId: number
  /** The two previous complete periods, newest first. */
  periods: [DowntimeRecord, DowntimeRecord]
}

export interface NagCheck {
  name: string
  code: string
  projectName: string
  projectId: number
  /** When it went down (the newest down flip), if known. */
  downSince: number | null
}

export interface RenderedMail {
  subject: string
  text: string
  html: string
}

const SUBJECTS: Record<ReportKind, string> = {
  monthly: 'Monthly Report',
  weekly: 'Weekly Report',
  daily: 'Daily Report',
}

/** "1 h 5 min", "3 days 2 h", "45 s". */
export function formatDowntime(ms: number): string {
  const s = Math.round(ms / 1000)
  const days = Math.floor(s / 86400)
  const hours = Math.floor((s % 86400) / 3600)
  const minutes = Math.floor((s % 3600) / 60)
  const parts: string[] = []
  if (days) parts.push(`${days} day${days === 1 ? '' : 's'}`)
  if (hours) parts.push(`${hours} h`)
  if (minutes && !days) parts.push(`${minutes} min`)
  if (parts.length === 0) parts.push(`${s} s`)
  return parts.join(' ')
}

/** One period cell: "–", "All good!" or "N downtime(s), X total". */
export function downtimeCell(r: DowntimeRecord): string {
  if (r.noData) return '–'
  if (r.count === 0) return 'All good!'
  return `${r.count} downtime${r.count === 1 ? '' : 's'}, ${formatDowntime(r.durationMs)} total`
}

const byName = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

/** Groups by project (name, then id); inside, most downtime last period first, then name. */
export function groupChecks<T extends { projectName: string; projectId: number; name: string }>(
  checks: T[],
  downtime: (c: T) => number = () => 0,
): { projectName: string; checks: T[] }[] {
  const sorted = [...checks].sort(
    (a, b) =>
      byName.compare(a.projectName, b.projectName) ||
      a.projectId - b.projectId ||
      downtime(b) - downtime(a) ||
      byName.compare(a.name, b.name),
  )
  const groups: { projectName: string; projectId: number; checks: T[] }[] = []
  for (const c of sorted) {
    const last = groups[groups.length - 1]
    if (last && last.projectId === c.projectId) last.checks.push(c)
    else groups.push({ projectName: c.projectName, projectId: c.projectId, checks: [c] })
  }
  return groups
}

function summaryLine(kind: ReportKind, checks: ReportCheck[], tz: string): string {
  const label = periodLabel(kind, checks[0]?.periods[0].boundary ?? 0, tz)
  const hit = checks.filter((c) => c.periods[0].count > 0)
  const events = hit.reduce((n, c) => n + c.periods[0].count, 0)
  if (hit.length === 0) return `In ${label}, no checks had downtimes. Nice!`
  return `In ${label}, ${hit.length} check${hit.length === 1 ? '' : 's'} had ${events} downtime event${events === 1 ? '' : 's'}.`
}

export function renderReport(input: {
  kind: ReportKind
  tz: string
  checks: ReportCheck[]
  siteName: string
  siteRoot: string
  /** The signed reports-unsubscribe link (mail/unsubscribe-links.ts), shown under the table. */
  unsubscribeLink?: string
}): RenderedMail {
  const { kind, tz, checks } = input
  const summary = summaryLine(kind, checks, tz)
  const [newer, older] = checks[0]?.periods ?? []
  const heads =
    newer && older
      ? [periodShortLabel(kind, newer.boundary, tz), periodShortLabel(kind, older.boundary, tz)]
      : ['', '']
  const groups = groupChecks(checks, (c) => c.periods[0].durationMs)
  const settings = `${input.siteRoot}/account/profile`
  const text: string[] = [`${input.siteName} ${SUBJECTS[kind]}`, '', summary, '']
  const html: string[] = [
    '<!DOCTYPE html>',
    '<html><body style="font-family:sans-serif">',
    `<p>${escapeHtml(summary)}</p>`,
    '<table cellpadding="4">',
  ]
  for (const g of groups) {
    text.push(g.projectName || 'Project')
    html.push(
      `<tr><th align="left" colspan="3">${escapeHtml(g.projectName || 'Project')}</th></tr>`,
      `<tr><td></td><td><i>${escapeHtml(heads[0])}</i></td><td><i>${escapeHtml(heads[1])}</i></td></tr>`,
    )
    for (const c of g.checks) {
      const cells = c.periods.map(downtimeCell)
      text.push(`  ${c.name}`, `    ${heads[0]}: ${cells[0]}`, `    ${heads[1]}: ${cells[1]}`)
      html.push(
        `<tr><td><a href="${escapeHtml(`${input.siteRoot}/checks/${c.code}/details/`)}">${escapeHtml(c.name)}</a></td><td>${escapeHtml(cells[0])}</td><td>${escapeHtml(cells[1])}</td></tr>`,
      )
    }
    text.push('')
  }
  text.push(`Change how often you get reports: ${settings}`, ...unsubscribeText(input))
  text.push('', '--', input.siteName, '')
  html.push(
    '</table>',
    `<p><a href="${escapeHtml(settings)}">Change how often you get reports</a></p>`,
    ...unsubscribeHtml(input),
    '</body></html>',
    '',
  )
  return { subject: SUBJECTS[kind], text: text.join('\n'), html: html.join('\n') }
}

const UNSUBSCRIBE_LABEL = 'Unsubscribe from reports and reminders'

function unsubscribeText(input: { unsubscribeLink?: string }): string[] {
  return input.unsubscribeLink ? [`${UNSUBSCRIBE_LABEL}: ${input.unsubscribeLink}`] : []
}

function unsubscribeHtml(input: { unsubscribeLink?: string }): string[] {
  return input.unsubscribeLink
    ? [`<p><a href="${escapeHtml(input.unsubscribeLink)}">${UNSUBSCRIBE_LABEL}</a></p>`]
    : []
}

export function renderNag(input: {
  tz: string
  checks: NagCheck[]
  siteName: string
  siteRoot: string
  /** The signed reports-unsubscribe link: it turns reminders and reports off. */
  unsubscribeLink?: string
}): RenderedMail {
  const n = input.checks.length
  const subject = `Reminder: ${n} check${n === 1 ? '' : 's'} still down`
  const intro = n === 1 ? 'This check is still down:' : `These ${n} checks are still down:`
  const settings = `${input.siteRoot}/account/profile`
  const text: string[] = [intro, '']
  const html: string[] = [
    '<!DOCTYPE html>',
    '<html><body style="font-family:sans-serif">',
    `<p>${escapeHtml(intro)}</p>`,
  ]
  for (const g of groupChecks(input.checks)) {
    text.push(g.projectName || 'Project')
    html.push(`<h3>${escapeHtml(g.projectName || 'Project')}</h3>`, '<ul>')
    for (const c of g.checks) {
      const since =
        c.downSince === null
          ? ''
          : ` (down since ${formatLocal(c.downSince, input.tz)} ${input.tz})`
      text.push(`  ${c.name}${since}`)
      html.push(
        `<li><a href="${escapeHtml(`${input.siteRoot}/checks/${c.code}/details/`)}">${escapeHtml(c.name)}</a>${escapeHtml(since)}</li>`,
      )
    }
    text.push('')
    html.push('</ul>')
  }
  text.push(`Change or turn off these reminders: ${settings}`, ...unsubscribeText(input))
  text.push('', '--', input.siteName, '')
  html.push(
    `<p><a href="${escapeHtml(settings)}">Change or turn off these reminders</a></p>`,
    ...unsubscribeHtml(input),
    '</body></html>',
    '',
  )
  return { subject, text: text.join('\n'), html: html.join('\n') }
}
