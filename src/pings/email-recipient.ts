/**
 * Which check an inbound ping address names: `<uuid>@PING_EMAIL_DOMAIN` or
 * `<ping-key>+<slug>@PING_EMAIL_DOMAIN`. Pure string work, no lookups. Mirrors Healthchecks'
 * smtpd RCPT rules (spec §3.6), a little wider: any canonical UUID (not only version 4), and a
 * ping key of any length (Vigil accepts operator-chosen keys), since the lookup decides anyway.
 */
import type { PingTarget } from './ping-url.js'

export type EmailRecipient =
  | { kind: 'ping'; target: PingTarget }
  /** Not our domain: refusing it at RCPT is what keeps the server from being an open relay. */
  | { kind: 'other-domain' }
  /** Our domain, but the local part is neither a UUID nor `<ping-key>+<slug>`. */
  | { kind: 'invalid-mailbox' }

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// Ping keys as the ping URL accepts them; slugs lowercase, as Healthchecks' address pattern.
const KEY_SLUG_RE = /^([-a-zA-Z0-9_]{1,128})\+([-a-z0-9_]{1,100})$/

/** Parses an RCPT TO address for the ping domain `domain` (lowercase). */
export function parseEmailRecipient(address: string, domain: string): EmailRecipient {
  const at = address.indexOf('@')
  if (at < 0) return { kind: 'other-domain' }
  // Domains compare case-insensitively (RFC 5321 §2.4); Healthchecks compares exactly.
  if (address.slice(at + 1).toLowerCase() !== domain) return { kind: 'other-domain' }
  const local = address.slice(0, at)
  // UUIDs compare by value: a sender that upper-cases the local part still reaches the check.
  if (UUID_RE.test(local)) return { kind: 'ping', target: { code: local.toLowerCase() } }
  const m = KEY_SLUG_RE.exec(local)
  if (m) return { kind: 'ping', target: { pingKey: m[1], slug: m[2] } }
  return { kind: 'invalid-mailbox' }
}

/** The addresses a check can be pinged at, as the details page shows them (Healthchecks' `Check.email`). */
export function pingEmailAddress(domain: string, target: PingTarget): string {
  return 'code' in target
    ? `${target.code}@${domain}`
    : `${target.pingKey}+${target.slug}@${domain}`
}
