/**
 * Pure: the Zulip message, as Healthchecks' zulip_topic.html / zulip_content.html: the topic is
 * the check's name (so its down and up messages share a thread) unless the channel fixes one;
 * the content is Zulip Markdown with the facts and a link.
 */
import {
  type AlertMessageInput,
  commonFacts,
  detailsUrl,
  nameThenCode,
  reasonText,
  statusWord,
} from './message-facts.js'

export function zulipTopic(input: AlertMessageInput, channelTopic: string): string {
  return channelTopic || nameThenCode(input.check)
}

/** Zulip Markdown: `*` and `_` in user text would start emphasis. */
function escapeZulip(s: string): string {
  return s.replace(/([\\`*_[\]])/g, '\\$1')
}

export function zulipContent(input: AlertMessageInput): string {
  const name = escapeZulip(nameThenCode(input.check))
  const url = detailsUrl(input.siteRoot, input.check.code)
  const reason = reasonText(input)
  const lines = [
    `${input.status === 'down' ? ':red_circle:' : ':check:'} [${name}](${url}) is **${statusWord(input)}**.${reason ? ` Reason: ${reason}.` : ''}`,
    '',
  ]
  if (input.check.desc) lines.push(`**Description:** ${escapeZulip(input.check.desc)}`)
  for (const [k, v] of commonFacts(input)) lines.push(`**${k}:** ${escapeZulip(v)}`)
  return lines.join('\n')
}
