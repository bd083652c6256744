/**
 * Decides what a ping means for its check. HTTP: the URL's action, then `methods = POST`, then the
 * `filter_http_body` keyword classification. Email: success unless `filter_subject`/`filter_body`
 * classify the message (hc/api/management/commands/smtpd.py). Pure. The paused + manual_resume rule is applied
 * later, on the locked row (ping-effect.ts). Mirrors Healthchecks' `ping` view (hc/api/views.py).
 */
import type { Check, PingKind } from '../db/index.js'
import type { UrlAction } from './ping-url.js'

/** The check columns that decide an HTTP ping's action. */
export type ActionRules = Pick<
  Check,
  'methods' | 'filter_http_body' | 'filter_default_fail' | 'start_kw' | 'success_kw' | 'failure_kw'
>

export interface HttpPingFacts {
  action: UrlAction
  exitstatus: number | null
  method: string
  /** The stored (truncated) body. */
  body: Buffer | null
}

/** True when one of the comma-separated keywords (trimmed, empties skipped) occurs in `text`, case-sensitively. */
export function containsKeyword(keywords: string, text: string): boolean {
  for (const raw of keywords.split(',')) {
    const kw = raw.trim()
    if (kw && text.includes(kw)) return true
  }
  return false
}

/**
 * Classifies a body by the check's keywords: failure beats success beats start; with nothing
 * found, `filter_default_fail` makes it a failure, else the ping is ignored.
 */
export function classifyBody(
  rules: Pick<Check, 'filter_default_fail' | 'start_kw' | 'success_kw' | 'failure_kw'>,
  text: string,
): PingKind {
  if (containsKeyword(rules.failure_kw, text)) return 'fail'
  if (containsKeyword(rules.success_kw, text)) return 'success'
  if (containsKeyword(rules.start_kw, text)) return 'start'
  return rules.filter_default_fail ? 'fail' : 'ign'
}

/** The check columns that decide an email ping's action. */
export type EmailActionRules = Pick<
  Check,
  | 'filter_subject'
  | 'filter_body'
  | 'filter_default_fail'
  | 'start_kw'
  | 'success_kw'
  | 'failure_kw'
>

export interface EmailPingFacts {
  /** The decoded Subject header ('' when absent). */
  subject: string
  /** The plain-text part and the HTML part as text, joined by a newline. */
  text: string
}

/**
 * The action of an email ping before the paused + manual_resume rule: success, or with a filter
 * on, the keywords' verdict over the subject and/or body. `methods` and `filter_http_body` do not
 * apply, and email pings are never `log` (Healthchecks' smtpd).
 */
export function decideEmailAction(rules: EmailActionRules, mail: EmailPingFacts): PingKind {
  if (!rules.filter_subject && !rules.filter_body) return 'success'
  const parts: string[] = []
  if (rules.filter_subject) parts.push(mail.subject)
  if (rules.filter_body) parts.push(mail.text)
  return classifyBody(rules, parts.join('\n'))
}

/** The action of an HTTP ping before the paused + manual_resume rule. */
export function decideAction(rules: ActionRules, ping: HttpPingFacts): PingKind {
  let action: PingKind = ping.action
  if (ping.exitstatus !== null && ping.exitstatus > 0) action = 'fail'
  if (rules.methods === 'POST' && ping.method !== 'POST') return 'ign'
  if (rules.filter_http_body) {
    // Healthchecks decodes strictly and answers 500 on invalid UTF-8; replacement characters
    // keep the keywords findable in the rest of the body instead.
    action = classifyBody(rules, ping.body ? ping.body.toString('utf8') : '')
  }
  return action
}
