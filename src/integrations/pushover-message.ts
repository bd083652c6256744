/**
 * Pure: the Pushover message, as Healthchecks' pushover_title.html / pushover_message.html:
 * title "name is DOWN", an HTML body (`html=1`: b, i, a and newlines) with the facts and the
 * project's other down checks; the link travels in the separate `url` / `url_title` fields.
 */
import { htmlMessage } from './html-message.js'
import { type AlertMessageInput, detailsUrl, nameThenCode, statusWord } from './message-facts.js'

export function pushoverTitle(input: AlertMessageInput): string {
  return `${nameThenCode(input.check)} is ${statusWord(input)}`
}

export function pushoverMessage(input: AlertMessageInput): string {
  return htmlMessage(input, { br: '\n', body: false, link: false })
}

export function pushoverLink(input: AlertMessageInput): { url: string; url_title: string } {
  return {
    url: detailsUrl(input.siteRoot, input.check.code),
    url_title: `View on ${input.siteName}`,
  }
}
