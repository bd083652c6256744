/**
 * Pure: the texts of the Twilio kinds, as Healthchecks' sms_message.html, call_message.html and
 * the WhatsApp content variables: SMS `"<site>: The check "name" is DOWN (reason)."` cut to 160
 * characters, a call's spoken sentence as TwiML `<Say>`, and WhatsApp's template variable 1
 * (the check name).
 */
import { escapeHtml } from './email-message.js'
import { type AlertMessageInput, nameThenCode, reasonText, statusWord } from './message-facts.js'

/** One SMS segment. */
export const SMS_MAX = 160

export function smsText(input: AlertMessageInput): string {
  const name = nameThenCode(input.check)
  const reason = reasonText(input)
  const text =
    input.status === 'up'
      ? `${input.siteName}: The check "${name}" is now UP.`
      : `${input.siteName}: The check "${name}" is ${statusWord(input)}${reason ? ` (${reason})` : ''}.`
  return text.length > SMS_MAX ? `${text.slice(0, SMS_MAX - 1)}…` : text
}

export function callTwiml(input: AlertMessageInput): string {
  const said = `Hello! A message from ${input.siteName}: The monitoring check "${nameThenCode(input.check)}" is ${input.warning ? input.warning.word.toLowerCase() : 'down'}.`
  return `<Response><Say>${escapeHtml(said)}</Say></Response>`
}

/** WhatsApp content template variables: {"1": name}. */
export function whatsappVariables(input: AlertMessageInput): string {
  return JSON.stringify({ 1: nameThenCode(input.check) })
}
