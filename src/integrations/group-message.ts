/**
 * Pure: one message for a group of alerts of one channel (issue 14 §6; alerts/alert-groups.ts
 * collects them): a title ("7 checks changed state in “Backups”: 5 down, 2 up") and the checks
 * listed down first, then up, each with its name, reason, time and link. The renderers of the
 * kinds that draw a group (Slack and its look-alikes, Teams, Telegram, ntfy, email, webhook's
 * `$CHECKS`) and the text the other kinds fall back to (`groupFallbackText`) are here.
 * Healthchecks has no grouped alerts.
 */
import { escapeHtml } from './email-message.js'
import type { AlertStatus } from './integration.js'
import { detailsUrl, formatInstant, nameThenCode, reasonLong } from './message-facts.js'
import { adaptiveCardMessage } from './msteamsw-message.js'

/** One check of a group. */
export interface GroupLine {
  code: string
  name: string
  slug: string
  tags: string
  status: AlertStatus
  /** The flip's reason in words ('' when none). */
  reason: string
  /** When the check changed state. */
  at: number
  url: string
}

export interface GroupMessageInput {
  projectName: string
  siteName: string
  siteRoot: string
  down: GroupLine[]
  up: GroupLine[]
}

/** The facts of each grouped alert, as the delivery layer reads them. */
export interface GroupEntryFacts {
  check: { code: string; name: string; slug: string; tags: string }
  flip: { reason: string; created: number } | null
  status: AlertStatus
  created: number
}

export function groupMessageInput(
  entries: readonly GroupEntryFacts[],
  o: { projectName: string; siteName: string; siteRoot: string },
): GroupMessageInput {
  const lines = entries.map(
    (e): GroupLine => ({
      code: e.check.code,
      name: nameThenCode(e.check),
      slug: e.check.slug,
      tags: e.check.tags,
      status: e.status,
      reason: e.status === 'down' ? reasonLong(e.flip) : '',
      at: e.flip?.created ?? e.created,
      url: detailsUrl(o.siteRoot, e.check.code),
    }),
  )
  return {
    ...o,
    down: lines.filter((l) => l.status === 'down'),
    up: lines.filter((l) => l.status === 'up'),
  }
}

/** The status a group announces as a whole: down when any check in it is down. */
export function groupStatus(g: GroupMessageInput): AlertStatus {
  return g.down.length > 0 ? 'down' : 'up'
}

/** "7 checks changed state in “Backups”: 5 down, 2 up". */
export function groupTitle(g: GroupMessageInput): string {
  const parts = [
    ...(g.down.length ? [`${g.down.length} down`] : []),
    ...(g.up.length ? [`${g.up.length} up`] : []),
  ]
  const where = g.projectName ? ` in “${g.projectName}”` : ''
  return `${g.down.length + g.up.length} checks changed state${where}: ${parts.join(', ')}`
}

function lineText(l: GroupLine): string {
  return `${l.name} (${formatInstant(l.at)}${l.reason ? `, ${l.reason}` : ''})`
}

/** The sections in order, each with its heading: "Down (5)", "Up (2)". */
function sections(g: GroupMessageInput): Array<{ heading: string; lines: GroupLine[] }> {
  const out: Array<{ heading: string; lines: GroupLine[] }> = []
  if (g.down.length) out.push({ heading: `Down (${g.down.length})`, lines: g.down })
  if (g.up.length) out.push({ heading: `Up (${g.up.length})`, lines: g.up })
  return out
}

/** Plain text: the title, then each section's checks with their links. */
export function groupPlainText(g: GroupMessageInput): string {
  const out = [groupTitle(g)]
  for (const s of sections(g)) {
    out.push('', `${s.heading}:`)
    for (const l of s.lines) out.push(`- ${lineText(l)} ${l.url}`)
  }
  return out.join('\n')
}

/**
 * What the kinds that draw no group get: the description of a stand-in check named after the
 * group (alerts/alert-group-delivery.ts), short enough for SMS-like kinds to keep the gist.
 */
export function groupFallbackText(g: GroupMessageInput): string {
  const names = (ls: GroupLine[]) => ls.map((l) => l.name).join(', ')
  return sections(g)
    .map((s) => `${s.heading}: ${names(s.lines)}`)
    .join('. ')
}

/** Slack, Mattermost and Discord (`/slack`): one attachment per section. */
export function renderSlackGroup(g: GroupMessageInput): Record<string, unknown> {
  const title = groupTitle(g)
  return {
    username: g.siteName,
    text: title,
    attachments: sections(g).map((s) => ({
      color: s.lines[0]?.status === 'up' ? 'good' : 'danger',
      fallback: `${s.heading}: ${s.lines.map((l) => l.name).join(', ')}`,
      mrkdwn_in: ['text'],
      title: s.heading,
      text: s.lines
        .map((l) => `• <${l.url}|${slackEscape(l.name)}> ${slackEscape(lineFacts(l))}`)
        .join('\n'),
    })),
  }
}

function lineFacts(l: GroupLine): string {
  return `(${formatInstant(l.at)}${l.reason ? `, ${l.reason}` : ''})`
}

/** Slack's three control characters in user text. */
function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Microsoft Teams: an Adaptive Card with a heading and one FactSet per section. */
export function renderTeamsGroup(g: GroupMessageInput): Record<string, unknown> {
  const title = groupTitle(g)
  const blocks: Record<string, unknown>[] = []
  for (const s of sections(g)) {
    blocks.push({ type: 'TextBlock', text: `${s.heading}:`, weight: 'bolder' })
    blocks.push({
      type: 'FactSet',
      facts: s.lines.map((l) => ({ title: `${l.name}:`, value: `[${lineFacts(l)}](${l.url})` })),
    })
  }
  return adaptiveCardMessage({ heading: title, fallbackText: escapeHtml(title), blocks })
}

/** Telegram (`parse_mode: html`): bold title and headings, one linked line per check. */
export function telegramGroupText(g: GroupMessageInput): string {
  const out = [`<b>${escapeHtml(groupTitle(g))}</b>`]
  for (const s of sections(g)) {
    out.push('', `<b>${escapeHtml(s.heading)}:</b>`)
    for (const l of s.lines)
      out.push(
        `• <a href="${escapeHtml(l.url)}">${escapeHtml(l.name)}</a> ${escapeHtml(lineFacts(l))}`,
      )
  }
  // Telegram refuses texts over 4096 characters.
  const text = out.join('\n')
  return text.length > 4000
    ? `${out.slice(0, 1).join('\n')}\n\n${escapeHtml(groupFallbackText(g)).slice(0, 3800)}…`
    : text
}

/** Markdown characters that would change the meaning of user text. */
function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*_[\]<>#|])/g, '\\$1')
}

/** ntfy and other Markdown push kinds: the title separately, the sections as lists. */
export function groupMarkdown(g: GroupMessageInput): string {
  const out: string[] = []
  for (const s of sections(g)) {
    if (out.length) out.push('')
    out.push(`**${s.heading}:**`)
    for (const l of s.lines)
      out.push(`- [${escapeMarkdown(l.name)}](${l.url}) ${escapeMarkdown(lineFacts(l))}`)
  }
  return out.join('\n')
}

/** Email: subject, text and HTML. */
export function renderGroupEmail(g: GroupMessageInput): {
  subject: string
  text: string
  html: string
} {
  const title = groupTitle(g)
  const subject = `${groupStatus(g) === 'down' ? 'DOWN' : 'UP'} | ${title}`
  const html = [`<h1>${escapeHtml(title)}</h1>`]
  for (const s of sections(g)) {
    html.push(`<h2>${escapeHtml(s.heading)}</h2>`, '<ul>')
    for (const l of s.lines)
      html.push(
        `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.name)}</a> ${escapeHtml(lineFacts(l))}</li>`,
      )
    html.push('</ul>')
  }
  return { subject, text: `${groupPlainText(g)}\n`, html: html.join('\n') }
}

/** Webhook `$CHECKS`: the group as a JSON array (one element for a single alert). */
export function groupChecksJson(g: GroupMessageInput): Array<Record<string, string>> {
  return [...g.down, ...g.up].map((l) => ({
    uuid: l.code,
    name: l.name,
    slug: l.slug,
    tags: l.tags,
    status: l.status,
    reason: l.reason,
    at: new Date(l.at).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    url: l.url,
  }))
}
