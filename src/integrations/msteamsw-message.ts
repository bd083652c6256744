/**
 * Pure: the Microsoft Teams (Power Automate workflow) payload, as Healthchecks'
 * MsTeamsWorkflow.payload: a `message` with one Adaptive Card 1.2 attachment holding a heading, a
 * FactSet (labels end in ":"), the last ping body as a CodeBlock, and an "View in <site>" action.
 */
import { escapeHtml } from './email-message.js'
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

export function renderTeamsPayload(input: AlertMessageInput): Record<string, unknown> {
  const { check } = input
  const name = nameThenCode(check)
  const reason = reasonText(input)
  const text = `“${name}” is ${statusWord(input)}.${reason ? ` Reason: ${reason}.` : ''}`
  const facts: { title: string; value: string }[] = []
  if (check.desc) facts.push({ title: 'Description:', value: check.desc.replace(/\n/g, '\n\n') })
  for (const [title, value] of commonFacts(input, {
    tagFormat: (tags) => tags.join(' '),
    schedule: fixAsterisks,
  })) {
    facts.push({ title: `${title}:`, value })
  }
  const blocks: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      text,
      weight: 'bolder',
      size: 'medium',
      wrap: true,
      style: 'heading',
    },
    { type: 'FactSet', facts },
  ]
  const body = pingBodyExcerpt(input.lastPing)
  if (body) {
    blocks.push(
      { type: 'TextBlock', text: 'Last Ping Body:', weight: 'bolder' },
      { type: 'CodeBlock', codeSnippet: body, language: 'PlainText' },
    )
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          fallbackText: `“${escapeHtml(name)}” is ${statusWord(input)}.`,
          version: '1.2',
          body: blocks,
          actions: [
            {
              type: 'Action.OpenUrl',
              title: `View in ${input.siteName}`,
              url: detailsUrl(input.siteRoot, check.code),
            },
          ],
        },
      },
    ],
  }
}
