/**
 * Pure: the Rocket.Chat incoming-webhook payload, as Healthchecks' RocketChat.payload: a Markdown
 * link line "[name](url) is DOWN." and one coloured attachment of fields; the ping body is not
 * inlined but summarised as "N bytes, [show body](…#ping-n)".
 */
import {
  type AlertMessageInput,
  commonFacts,
  detailsUrl,
  fixAsterisks,
  nameThenCode,
  statusWord,
} from './message-facts.js'

export function renderRocketChatPayload(input: AlertMessageInput): Record<string, unknown> {
  const { check, status } = input
  const url = detailsUrl(input.siteRoot, check.code)
  const fields: { title: string; value: string; short?: true }[] = []
  if (check.desc) fields.push({ title: 'Description', value: check.desc })
  for (const [title, value] of commonFacts(input, {
    tagFormat: (tags) => tags.map((t) => `\`${t}\``).join(' '),
    schedule: fixAsterisks,
  })) {
    fields.push({ title, value, short: true })
  }
  const size = input.lastPing?.body?.length ?? 0
  if (input.lastPing && size > 0) {
    fields.push({
      title: 'Last Ping Body',
      value: `${size} ${size === 1 ? 'byte' : 'bytes'}, [show body](${url}#ping-${input.lastPing.n})`,
      short: true,
    })
  }
  return {
    alias: input.siteName,
    text: `[${nameThenCode(check)}](${url}) is ${statusWord(input)}.${input.warning ? ` ${input.warning.detail}.` : ''}`,
    attachments: [{ color: status === 'up' ? '#5cb85c' : '#d9534f', fields }],
  }
}
