/**
 * Pure: the Pushbullet note, as Healthchecks' pushbullet_message.html: a `note` push whose title
 * is "name is DOWN" and whose body is the plain message with a link.
 */
import { plainMessage } from './html-message.js'
import { type AlertMessageInput, nameThenCode, upper } from './message-facts.js'

export function renderPushbulletNote(input: AlertMessageInput): Record<string, unknown> {
  return {
    type: 'note',
    title: `${nameThenCode(input.check)} is ${upper(input.status)}`,
    body: plainMessage(input, { body: false }),
  }
}
