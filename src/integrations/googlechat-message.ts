/**
 * Pure: the Google Chat space-webhook payload, as Healthchecks' GoogleChat transport: one
 * `cardsV2` card whose collapsible section starts with "🔴 <b>name</b> is <b>DOWN</b>." and lists
 * decorated-text facts and a "View in <site>" button.
 */
import { escapeHtml } from './email-message.js'
import {
  type AlertMessageInput,
  commonFacts,
  detailsUrl,
  nameThenCode,
  reasonText,
  statusWord,
} from './message-facts.js'

export function renderGoogleChatPayload(input: AlertMessageInput): Record<string, unknown> {
  const { check, status } = input
  const emoji = status === 'down' ? '🔴' : '🟢'
  // Google Chat renders a small HTML subset in textParagraph: the name must be escaped.
  let title = `${emoji} <b>${escapeHtml(nameThenCode(check))}</b> is <b>${statusWord(input)}</b>.`
  const reason = reasonText(input)
  if (reason) title += ` Reason: ${reason}.`
  const widgets: Record<string, unknown>[] = [{ textParagraph: { text: title } }]
  for (const [topLabel, text] of commonFacts(input)) {
    widgets.push({ decoratedText: { topLabel, text } })
  }
  widgets.push({
    buttonList: {
      buttons: [
        {
          text: `View in ${input.siteName}`,
          type: 'FILLED',
          onClick: { openLink: { url: detailsUrl(input.siteRoot, check.code) } },
        },
      ],
    },
  })
  return {
    cardsV2: [
      {
        card: {
          sections: { collapsible: true, uncollapsibleWidgetsCount: 1, widgets },
        },
      },
    ],
  }
}
