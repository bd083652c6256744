/**
 * Pure: the Matrix `m.room.message` event, as Healthchecks' matrix_plain.html / matrix_html.html:
 * `m.text` with a plain `body` and an `org.matrix.custom.html` `formatted_body`.
 */
import { htmlMessage, plainMessage } from './html-message.js'
import type { AlertMessageInput } from './message-facts.js'

export function renderMatrixEvent(input: AlertMessageInput): Record<string, unknown> {
  return {
    msgtype: 'm.text',
    body: plainMessage(input, { body: true }),
    format: 'org.matrix.custom.html',
    formatted_body: htmlMessage(input, { br: '<br>', body: true, link: true }),
  }
}
