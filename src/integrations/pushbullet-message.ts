/**
 * Pure: the Pushbullet note, as Healthchecks' pushbullet_message.html: a `note` push whose title
 * is "name is DOWN" and whose body is the plain message with a link.
 */
import { plainMessage } from './html-message.js'
import { type AlertMessageInput, nameThenCode, statusWord } from './message-facts.js'

export function renderPushbulletNote(input: AlertMessageInput): Record<string, unknown> {
  return {
    type: 'note',
    title: `${nameThenCode(input.check)} is ${statusWord(input)}`,
    body: plainMessage(input, { body: false }),
  }
}
