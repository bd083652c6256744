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
  const blocks: Record<string, unknown>[] = [{ type: 'FactSet', facts }]
  const body = pingBodyExcerpt(input.lastPing)
  if (body) {
    blocks.push(
      { type: 'TextBlock', text: 'Last Ping Body:', weight: 'bolder' },
      { type: 'CodeBlock', codeSnippet: body, language: 'PlainText' },
    )
  }
  return adaptiveCardMessage({
    heading: text,
    fallbackText: `“${escapeHtml(name)}” is ${statusWord(input)}.`,
    blocks,
    actions: [
      {
        type: 'Action.OpenUrl',
        title: `View in ${input.siteName}`,
        url: detailsUrl(input.siteRoot, check.code),
      },
    ],
  })
}

/**
 * A Teams workflow `message` with one Adaptive Card 1.2 attachment, as Healthchecks sends it:
 * the heading as a bold TextBlock, then `blocks`, then the card's `actions` if any.
 */
export function adaptiveCardMessage(card: {
  heading: string
  fallbackText: string
  blocks: Record<string, unknown>[]
  actions?: Record<string, unknown>[]
}): Record<string, unknown> {
  const heading = {
    type: 'TextBlock',
    text: card.heading,
    weight: 'bolder',
    size: 'medium',
    wrap: true,
    style: 'heading',
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
          fallbackText: card.fallbackText,
          version: '1.2',
          body: [heading, ...card.blocks],
          ...(card.actions ? { actions: card.actions } : {}),
        },
      },
    ],
  }
}
