/**
 * Pure pieces that alert messages of every kind share: the check's display name, its tags, the
 * period in words, the flip reason in words, instants as text. Mirrors Healthchecks'
 * name_then_code, tags_list, hc.lib.date.format_duration and Flip.reason_long.
 */
import { runTimeReasonText } from '../checks/index.js'
import type { Check, Flip } from '../db/index.js'

/** The name, or the UUID when the check has none. */
export function nameThenCode(check: Pick<Check, 'name' | 'code'>): string {
  return check.name || check.code
}

/** Tags split on spaces, empty ones dropped. */
export function tagsList(tags: string): string[] {
  return tags
    .split(' ')
    .map((t) => t.trim())
    .filter((t) => t !== '')
}

const UNITS = [
  { name: 'week', seconds: 604800 },
  { name: 'day', seconds: 86400 },
  { name: 'hour', seconds: 3600 },
  { name: 'minute', seconds: 60 },
] as const

/** "1 day", "2 hours 30 minutes"; weeks only when the duration is whole weeks (as Healthchecks). */
export function formatDuration(totalSeconds: number): string {
  let remaining = Math.floor(totalSeconds)
  const parts: string[] = []
  for (const unit of UNITS) {
    if (unit.name === 'week' && remaining % unit.seconds !== 0) continue
    const v = Math.floor(remaining / unit.seconds)
    remaining -= v * unit.seconds
    if (v === 1) parts.push(`1 ${unit.name}`)
    else if (v > 1) parts.push(`${v} ${unit.name}s`)
  }
  return parts.join(' ')
}

/**
 * The held_reason of a down alert the dependency gate held and released when the parent
 * recovered (text from src/alerts/dependency-rule.ts parentRecoveredReason).
 */
const RELEASED_BY_PARENT = /^parent .+ was down; still down after it recovered$/

/**
 * Why the status changed, in words (Healthchecks' reason_long); '' when no reason is recorded.
 * A down alert sent late because a parent check was down says so too (issue 14).
 */
export function reasonLong(flip: (Pick<Flip, 'reason'> & { held_reason?: string }) | null): string {
  let base = runTimeReasonText(flip?.reason ?? '')
  if (flip?.reason === 'timeout') base = 'success signal did not arrive on time, grace time passed'
  if (flip?.reason === 'fail') base = 'received a failure signal'
  const held = flip?.held_reason ?? ''
  if (!RELEASED_BY_PARENT.test(held)) return base
  return base ? `${base}; ${held}` : held
}

/** `2026-01-15 12:00:00 UTC`. */
export function formatInstant(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

/** Everything the renderers of the chat and paging kinds get (loaded by alert-input.ts). */
export interface AlertMessageInput {
  check: Pick<
    Check,
    'code' | 'name' | 'desc' | 'tags' | 'kind' | 'timeout' | 'grace' | 'schedule' | 'tz'
  >
  projectName: string
  status: 'up' | 'down'
  flip: Pick<Flip, 'reason' | 'created'> | null
  lastPing: {
    created: number
    kind: string
    n: number
    body: Buffer | Uint8Array | null
  } | null
  siteRoot: string
  siteName: string
  /**
   * The project's other checks that are down (names, at most 11, and how many in all); null when
   * the check is alone in its project or the kind does not list them.
   */
  downChecks: { names: string[]; total: number } | null
  /**
   * Set when the notification announces a warning (late, unusual duration…) instead of a flip;
   * `status` is then 'down' (a warning uses the down side of a channel's settings).
   */
  warning?: WarningFacts | null
}

/** A warning as messages show it (warning-facts.ts loads it). */
export interface WarningFacts {
  /** 'late', 'unusual_duration', … */
  kind: string
  /** Human text, e.g. "no ping since …; goes down at … unless one arrives". */
  detail: string
  /** The word after "is": LATE, or WARNING for the other kinds. */
  word: string
}

/** "DOWN" / "UP", or the warning's word ("LATE"): the generic fallback for every kind. */
export function statusWord(input: Pick<AlertMessageInput, 'status' | 'warning'>): string {
  return input.warning ? input.warning.word : upper(input.status)
}

/** The reason shown after the headline: the warning's detail, or the down flip's reason. */
export function reasonText(input: Pick<AlertMessageInput, 'status' | 'flip' | 'warning'>): string {
  if (input.warning) return input.warning.detail
  return input.status === 'down' ? reasonLong(input.flip) : ''
}

const PING_KIND_LABEL: Record<string, string> = {
  success: 'Success',
  start: 'Started',
  fail: 'Failure',
  log: 'Log',
  ign: 'Ignored',
  progress: 'Progress',
}

/** "Success, 2026-01-15 11:00:00 UTC" or "Never" (Ping.formatted_kind_created). */
export function lastPingText(ping: AlertMessageInput['lastPing']): string {
  return ping
    ? `${PING_KIND_LABEL[ping.kind] ?? ping.kind}, ${formatInstant(ping.created)}`
    : 'Never'
}

/** The last ping's sequence number, as Healthchecks' "Total Pings" (0 when there is none). */
export function totalPings(ping: AlertMessageInput['lastPing']): number {
  return ping?.n ?? 0
}

/** The check's page. */
export function detailsUrl(siteRoot: string, code: string): string {
  return `${siteRoot}/checks/${code}/details/`
}

/** The last ping's body as text, cut to `max` characters plus "\n[truncated]" (get_ping_body). */
export function pingBodyExcerpt(ping: AlertMessageInput['lastPing'], max = 1000): string | null {
  if (!ping?.body || ping.body.length === 0) return null
  const text = Buffer.from(ping.body).toString('utf8')
  return text.length > max ? `${text.slice(0, max)}\n[truncated]` : text
}

/** `DOWN` / `UP`. */
export function upper(status: 'up' | 'down'): string {
  return status.toUpperCase()
}

/** Asterisks escaped with U+034F so Markdown renderers keep cron expressions (fix_asterisks). */
export function fixAsterisks(s: string): string {
  return s.replace(/\*/g, '\u034f*')
}

/**
 * The facts most messages list, as [label, value]: Project, Tags, Period or Schedule + Time Zone,
 * Total Pings, Last Ping. Tags are joined by `tagJoin`.
 */
export function commonFacts(
  input: AlertMessageInput,
  options: { tagFormat?: (tags: string[]) => string; schedule?: (s: string) => string } = {},
): [string, string][] {
  const { check } = input
  const facts: [string, string][] = []
  if (input.projectName) facts.push(['Project', input.projectName])
  const tags = tagsList(check.tags)
  if (tags.length) facts.push(['Tags', (options.tagFormat ?? ((t) => t.join(', ')))(tags)])
  if (check.kind === 'simple') facts.push(['Period', formatDuration(check.timeout)])
  else {
    facts.push(['Schedule', (options.schedule ?? ((s) => s))(check.schedule)])
    facts.push(['Time Zone', check.tz])
  }
  facts.push(['Total Pings', String(totalPings(input.lastPing))])
  facts.push(['Last Ping', lastPingText(input.lastPing)])
  return facts
}

/** "The check "x" is DOWN." plus the reason when there is one. */
export function headline(input: AlertMessageInput): string {
  const name = nameThenCode(input.check)
  const reason = reasonText(input)
  return `The check "${name}" is ${statusWord(input)}.${reason ? ` Reason: ${reason}.` : ''}`
}

/** Lines about the other down checks, as Healthchecks' down_checks template block. */
export function downChecksLines(input: AlertMessageInput): string[] {
  const d = input.downChecks
  if (!d) return []
  if (d.total === 0) return ['All the other checks are up.']
  const shown = d.total > 10 ? d.names.slice(0, 10) : d.names
  const lines = [
    d.total === 1 ? 'The following check is also down:' : 'The following checks are also down:',
    ...shown.map((n) => `• ${n}`),
  ]
  if (d.total > shown.length) lines.push(`and ${d.total - shown.length} more.`)
  return lines
}
