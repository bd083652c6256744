/**
 * Pure: the texts of the Twilio kinds, as Healthchecks' sms_message.html, call_message.html and
 * the WhatsApp template and its variables: SMS `"<site>: The check "name" is DOWN (reason)."` cut to 160
 * characters, a call's spoken sentence as TwiML `<Say>`, and WhatsApp's template (down, up or
 * warning) with variable 1 (the check name) and, for a warning, 2 (its word).
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

/**
 * WhatsApp content template variables: {"1": name}, and for a warning also {"2": its word}
 * ("LATE"), so one warning template serves every kind of warning.
 */
export function whatsappVariables(input: AlertMessageInput): string {
  const name = nameThenCode(input.check)
  return JSON.stringify(input.warning ? { 1: name, 2: input.warning.word } : { 1: name })
}

/** The approved templates (Content SIDs) a WhatsApp message is sent with. */
export interface WhatsappTemplates {
  down: string | null
  up: string | null
  warning: string | null
}

/**
 * The template for this alert: up, down, or (Vigil's) the warning template, since the down
 * template would announce a warning as DOWN. null when none is set for it.
 */
export function whatsappTemplate(input: AlertMessageInput, t: WhatsappTemplates): string | null {
  if (input.warning) return t.warning
  return input.status === 'down' ? t.down : t.up
}
