/**
 * Pure: the HTML alert body shared by the kinds whose services render a small HTML subset
 * (Telegram, Pushover, Matrix): a bold headline with a coloured circle, the check's facts, the
 * last ping body, the project's other down checks and a link, as Healthchecks' telegram/pushover/
 * matrix templates. Everything user-supplied is escaped; line breaks are the caller's choice.
 */
import { escapeHtml } from './email-message.js'
import {
  type AlertMessageInput,
  commonFacts,
  detailsUrl,
  downChecksLines,
  nameThenCode,
  pingBodyExcerpt,
  reasonText,
  statusWord,
} from './message-facts.js'

export interface HtmlMessageOptions {
  /** `\n` for Telegram and Pushover (they keep newlines), `<br>` for Matrix. */
  br: '\n' | '<br>'
  /** Include the last ping body in a `<pre>` block (Telegram and Matrix do). */
  body: boolean
  /** Include the "View on <site>" link (Pushover sends it as a separate `url` field). */
  link: boolean
}

/** "🔴 The check <b>name</b> is <b>DOWN</b>. Reason: …." */
export function htmlHeadline(input: AlertMessageInput): string {
  const name = escapeHtml(nameThenCode(input.check))
  if (input.status === 'up') return `🟢 The check <b>${name}</b> is now <b>UP</b>.`
  const reason = reasonText(input)
  return `${input.warning ? '🟠' : '🔴'} The check <b>${name}</b> is <b>${statusWord(input)}</b>.${reason ? ` Reason: ${escapeHtml(reason)}.` : ''}`
}

export function htmlMessage(input: AlertMessageInput, options: HtmlMessageOptions): string {
  const lines = [htmlHeadline(input), '']
  if (input.check.desc) lines.push(`<b>Description:</b> ${escapeHtml(input.check.desc)}`)
  for (const [k, v] of commonFacts(input)) lines.push(`<b>${k}:</b> ${escapeHtml(v)}`)
  const body = options.body ? pingBodyExcerpt(input.lastPing) : null
  if (body) lines.push('', '<b>Last Ping Body:</b>', `<pre>${escapeHtml(body)}</pre>`)
  const down = downChecksLines(input)
  if (down.length) lines.push('', ...down.map(escapeHtml))
  if (options.link) {
    const url = escapeHtml(detailsUrl(input.siteRoot, input.check.code))
    lines.push('', `<a href="${url}">View on ${escapeHtml(input.siteName)}</a>`)
  }
  return lines.join(options.br)
}

/** Plain text of the same message (Matrix `body`, Signal, Pushbullet, Apprise). */
export function plainMessage(input: AlertMessageInput, options: { body: boolean }): string {
  const name = nameThenCode(input.check)
  const reason = reasonText(input)
  const lines = [
    input.status === 'up'
      ? `The check "${name}" is now UP.`
      : `The check "${name}" is ${statusWord(input)}.${reason ? ` Reason: ${reason}.` : ''}`,
    '',
  ]
  if (input.check.desc) lines.push(`Description: ${input.check.desc}`)
  for (const [k, v] of commonFacts(input)) lines.push(`${k}: ${v}`)
  const body = options.body ? pingBodyExcerpt(input.lastPing) : null
  if (body) lines.push('', 'Last Ping Body:', body)
  const down = downChecksLines(input)
  if (down.length) lines.push('', ...down)
  lines.push('', `Details: ${detailsUrl(input.siteRoot, input.check.code)}`)
  return lines.join('\n')
}
