/**
 * Pure: the text and HTML of an alert email. Subject `DOWN | <name>` / `UP | <name>` as
 * Healthchecks (hc/templates/emails/alert-subject.html); the body lists the facts its alert
 * email shows: project, reason, description, tags, period or schedule, last ping, a link.
 * Everything user-supplied is escaped in the HTML part.
 */
import type { Check, Flip } from '../db/index.js'
import type { LastPing } from './last-ping.js'
import {
  formatDuration,
  formatInstant,
  nameThenCode,
  reasonText,
  tagsList,
  type WarningFacts,
} from './message-facts.js'

export interface AlertEmailInput {
  check: Pick<
    Check,
    'code' | 'name' | 'desc' | 'tags' | 'kind' | 'timeout' | 'grace' | 'schedule' | 'tz' | 'n_pings'
  >
  projectName: string
  status: 'up' | 'down'
  flip: Pick<Flip, 'reason' | 'created'> | null
  lastPing: LastPing | null
  siteRoot: string
  siteName: string
  /** The channel's signed unsubscribe link (mail/unsubscribe-links.ts). */
  unsubscribeLink?: string
  /** Set for a warning (warning-facts.ts). */
  warning?: WarningFacts | null
}

export interface RenderedEmail {
  subject: string
  text: string
  html: string
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

const PING_KIND_LABEL: Record<string, string> = {
  success: 'Success',
  start: 'Started',
  fail: 'Failure',
  log: 'Log',
  ign: 'Ignored',
  progress: 'Progress',
}

export function renderAlertEmail(input: AlertEmailInput): RenderedEmail {
  const { check, status } = input
  const name = nameThenCode(check)
  const upper = input.warning ? input.warning.word : status.toUpperCase()
  const reason = reasonText(input)
  const link = `${input.siteRoot}/checks/${check.code}/details/`
  const facts: [string, string][] = [['Project', input.projectName]]
  if (check.desc) facts.push(['Description', check.desc])
  const tags = tagsList(check.tags)
  if (tags.length) facts.push(['Tags', tags.join(', ')])
  if (check.kind === 'simple') {
    facts.push(['Period', formatDuration(check.timeout)])
  } else {
    facts.push(['Schedule', check.schedule], ['Time zone', check.tz])
  }
  facts.push(['Grace time', formatDuration(check.grace)])
  const ping = input.lastPing
  facts.push([
    'Last ping',
    ping ? `${PING_KIND_LABEL[ping.kind] ?? ping.kind}, ${formatInstant(ping.created)}` : 'Never',
  ])
  facts.push(['Total pings', String(check.n_pings)])

  const headline = `The check "${name}" is ${upper}${reason ? ` (${reason})` : ''}.`
  const text = [
    headline,
    '',
    ...facts.map(([k, v]) => `${k}: ${v}`),
    '',
    `Details: ${link}`,
    ...(input.unsubscribeLink ? [`Unsubscribe: ${input.unsubscribeLink}`] : []),
    '',
    '--',
    input.siteName,
    '',
  ].join('\n')

  const color = input.warning ? '#f0ad4e' : status === 'down' ? '#d9534f' : '#22bc66'
  const rows = facts
    .map(
      ([k, v]) =>
        `<tr><th align="left" style="padding-right:1em">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`,
    )
    .join('\n')
  const html = `<!DOCTYPE html>
<html><body style="font-family:sans-serif">
<p>The check <strong>${escapeHtml(name)}</strong> is <strong style="color:${color}">${upper}</strong>${
    reason ? ` (${escapeHtml(reason)})` : ''
  }.</p>
<table>
${rows}
</table>
<p><a href="${escapeHtml(link)}">View details on ${escapeHtml(input.siteName)}</a></p>${
    input.unsubscribeLink
      ? `\n<p style="font-size:small"><a href="${escapeHtml(input.unsubscribeLink)}">Unsubscribe</a></p>`
      : ''
  }
</body></html>
`
  return { subject: `${upper} | ${name}`, text, html }
}
