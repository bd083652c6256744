/**
 * Pure: the title and Markdown body that the push kinds (ntfy, Gotify) send, in the spirit of
 * Healthchecks' ntfy/gotify templates: the headline, the check's facts, a link, and the project's
 * other down checks (or "All the other checks are up.").
 */
import {
  type AlertMessageInput,
  commonFacts,
  detailsUrl,
  downChecksLines,
  headline,
  nameThenCode,
  statusWord,
} from './message-facts.js'

/** "name is DOWN". */
export function pushTitle(input: AlertMessageInput): string {
  return `${nameThenCode(input.check)} is ${statusWord(input)}`
}

/** Markdown characters that would change the meaning of user text. */
function escapeMarkdown(s: string): string {
  return s.replace(/([\\`*_[\]<>#|])/g, '\\$1')
}

export function pushMarkdown(input: AlertMessageInput): string {
  const lines = [escapeMarkdown(headline(input)), '']
  if (input.check.desc) lines.push(`**Description:** ${escapeMarkdown(input.check.desc)}`)
  for (const [k, v] of commonFacts(input)) lines.push(`**${k}:** ${escapeMarkdown(v)}`)
  lines.push('', `[View details](${detailsUrl(input.siteRoot, input.check.code)})`)
  const down = downChecksLines(input)
  if (down.length) lines.push('', ...down.map((l) => escapeMarkdown(l)))
  return lines.join('\n')
}
