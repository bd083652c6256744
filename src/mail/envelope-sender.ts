/**
 * Pure: Healthchecks' make_message for the SMTP envelope (VERP-style bounce handling). A mail may
 * carry its signed bounce id (mail/bounce-id.ts) in an `X-Bounce-ID` entry of its outbox headers;
 * that entry is taken out and never sent. With EMAIL_MAIL_FROM_TMPL set, the envelope sender
 * (MAIL FROM, where bounces go) is the template filled with the id, or with `bounces` for mail
 * without one; the From header stays the display address. Without the template the envelope
 * sender is the From address, as before.
 */

export const BOUNCE_ID_HEADER = 'X-Bounce-ID'

export interface MailEnvelope {
  /** The headers to send: the outbox headers without the bounce id. */
  headers: Record<string, string>
  /** MAIL FROM, or null to let it follow the From header. */
  envelopeFrom: string | null
}

export function mailEnvelope(stored: Record<string, string>, template: string): MailEnvelope {
  const headers: Record<string, string> = {}
  let bounceId = 'bounces'
  for (const [name, value] of Object.entries(stored)) {
    if (name.toLowerCase() === BOUNCE_ID_HEADER.toLowerCase()) bounceId = value
    else headers[name] = value
  }
  return { headers, envelopeFrom: template ? template.replace('%s', bounceId) : null }
}

/**
 * The inverse for the bounce endpoint: the signed id inside a bounce's `To` local part. With a
 * template such as `bounces+%s@example.org` the id sits between `bounces+` and the `@`; with
 * Healthchecks' `%s@bounces.example.org` (or no template) the local part is the id itself.
 */
export function bounceIdOfLocalPart(localPart: string, template: string): string {
  const local = template.slice(0, template.lastIndexOf('@'))
  const [prefix, suffix] = local.includes('%s') ? local.split('%s') : ['', '']
  if (
    localPart.length > prefix.length + suffix.length &&
    localPart.startsWith(prefix) &&
    localPart.endsWith(suffix)
  )
    return localPart.slice(prefix.length, localPart.length - suffix.length)
  return localPart
}
