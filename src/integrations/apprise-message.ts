/**
 * Pure: what `apprise` gets: a title "name is DOWN", a plain body, and the notification type
 * (`failure` for down, `success` for up), as Healthchecks' apprise_title.html /
 * apprise_description.html and its NotifyType choice.
 */
import { plainMessage } from './html-message.js'
import { type AlertMessageInput, nameThenCode, statusWord } from './message-facts.js'

export interface AppriseMessage {
  title: string
  body: string
  type: 'failure' | 'success'
}

export function renderAppriseMessage(input: AlertMessageInput): AppriseMessage {
  return {
    title: `${nameThenCode(input.check)} is ${statusWord(input)}`,
    body: plainMessage(input, { body: false }),
    type: input.status === 'down' ? 'failure' : 'success',
  }
}
