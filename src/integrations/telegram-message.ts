/**
 * Pure: the Telegram message (`parse_mode: html`, so only b, i, a, code and pre, and newlines
 * for breaks), as Healthchecks' telegram_message.html: headline, facts, last ping body, other
 * down checks, link. Telegram refuses texts over 4096 characters; the body excerpt keeps it short.
 */
import { htmlMessage } from './html-message.js'
import type { AlertMessageInput } from './message-facts.js'

export function telegramText(input: AlertMessageInput): string {
  return htmlMessage(input, { br: '\n', body: true, link: true })
}
