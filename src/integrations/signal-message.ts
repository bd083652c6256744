/**
 * Pure: the Signal message (plain text; Signal renders no markup), as Healthchecks'
 * signal_message.html: headline, facts, the project's other down checks and a link.
 */
import { plainMessage } from './html-message.js'
import type { AlertMessageInput } from './message-facts.js'

export function signalText(input: AlertMessageInput): string {
  return plainMessage(input, { body: false })
}
