/**
 * Pure: the Slack-compatible incoming-webhook payload that Slack, Mattermost and Discord (`/slack`
 * endpoint) receive, as Healthchecks' Slackalike.payload: one attachment coloured good/danger,
 * titled "“name” is DOWN.", linking to the check, with short fields and the last ping body in a
 * code block (skipped when the body itself holds triple backticks).
 */
import {
  type AlertMessageInput,
  commonFacts,
  detailsUrl,
  fixAsterisks,
  nameThenCode,
  pingBodyExcerpt,
  reasonText,
  statusWord,
} from './message-facts.js'

interface SlackField {
  title: string
  value: string
  short?: true
}

export function renderSlackPayload(input: AlertMessageInput): Record<string, unknown> {
  const { check, status } = input
  const name = nameThenCode(check)
  const fields: SlackField[] = []
  if (check.desc) fields.push({ title: 'Description', value: check.desc })
  const facts = commonFacts(input, {
    tagFormat: (tags) => tags.map((t) => `\`${t}\``).join(' '),
    schedule: fixAsterisks,
  })
  for (const [title, value] of facts) fields.push({ title, value, short: true })
  const body = pingBodyExcerpt(input.lastPing)
  if (body && !body.includes('```'))
    fields.push({ title: 'Last Ping Body', value: `\`\`\`\n${body}\n\`\`\`` })
  const reason = reasonText(input)
  return {
    username: input.siteName,
    attachments: [
      {
        color: status === 'up' ? 'good' : input.warning ? 'warning' : 'danger',
        fallback: `The check "${name}" is ${statusWord(input)}.`,
        mrkdwn_in: ['fields'],
        title: `“${name}” is ${statusWord(input)}.`,
        title_link: detailsUrl(input.siteRoot, check.code),
        ...(reason ? { text: `Reason: ${reason}.` } : {}),
        fields,
      },
    ],
  }
}
