/**
 * Unsubscribe links of alert emails and of reports/nags, as Healthchecks (spec §1.4 make_token,
 * §2.10, §5.2). Both are Django `TimestampSigner` values (`<value>:<base62 unix seconds>:<base64url
 * HMAC-SHA256>`, salted_hmac key derivation), so a link mailed by a Healthchecks install with the
 * same SECRET_KEY verifies here:
 *   alerts:  /integrations/<channel uuid>/unsub/<TimestampSigner(salt="alerts").sign(make_token)>/
 *            where make_token = hex SHA-256 of `<channel uuid><SECRET_KEY>`;
 *   reports: /accounts/unsubscribe_reports/<TimestampSigner(salt="reports").sign(user id)>/
 *            (Healthchecks signs the username; Vigil users have none, so the id is signed).
 * The signature is the only secret: checking it costs one HMAC and no database access. Pure.
 */
import { createHash, createHmac } from 'node:crypto'
import { safeEqual, sha256Hex } from '../tokens.js'

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

function b62(n: number): string {
  let s = ''
  do {
    s = B62[n % 62] + s
    n = Math.floor(n / 62)
  } while (n > 0)
  return s
}

function unb62(s: string): number | null {
  if (!/^[0-9A-Za-z]{1,12}$/.test(s)) return null
  let n = 0
  for (const c of s) n = n * 62 + B62.indexOf(c)
  return n
}

/** Django's Signer.signature: base64url (no padding) HMAC-SHA256 keyed by sha256(salt+"signer"+key). */
function signature(value: string, salt: string, secretKey: string): string {
  const key = createHash('sha256').update(`${salt}signer${secretKey}`).digest()
  return createHmac('sha256', key).update(value, 'utf8').digest('base64url')
}

/** Django's `TimestampSigner(salt=salt).sign(value)` at `now` (ms). */
export function timestampSign(value: string, salt: string, secretKey: string, now: number): string {
  const stamped = `${value}:${b62(Math.floor(now / 1000))}`
  return `${stamped}:${signature(stamped, salt, secretKey)}`
}

/** The value and signing time (ms) of a `timestampSign` string, or null when the signature is bad. */
export function timestampUnsign(
  signed: string,
  salt: string,
  secretKey: string,
): { value: string; signedAt: number } | null {
  if (signed.length > 512) return null
  const cut = signed.lastIndexOf(':')
  if (cut < 0) return null
  const stamped = signed.slice(0, cut)
  if (!safeEqual(signed.slice(cut + 1), signature(stamped, salt, secretKey))) return null
  const stampCut = stamped.lastIndexOf(':')
  if (stampCut < 0) return null
  const seconds = unb62(stamped.slice(stampCut + 1))
  if (seconds === null) return null
  return { value: stamped.slice(0, stampCut), signedAt: seconds * 1000 }
}

/** Healthchecks' `Channel.make_token()`: hex SHA-256 of the channel uuid followed by SECRET_KEY. */
export function channelToken(channelCode: string, secretKey: string): string {
  return sha256Hex(`${channelCode}${secretKey}`)
}

export const ALERTS_SALT = 'alerts'
export const REPORTS_SALT = 'reports'

export function channelUnsubscribeLink(
  siteRoot: string,
  channelCode: string,
  secretKey: string,
  now: number,
): string {
  const signed = timestampSign(channelToken(channelCode, secretKey), ALERTS_SALT, secretKey, now)
  return `${siteRoot}/integrations/${channelCode}/unsub/${signed}/`
}

/** When a good alerts-unsubscribe token for this channel uuid was signed (ms), or null. */
export function channelUnsubscribeSignedAt(
  channelCode: string,
  signed: string,
  secretKey: string,
): number | null {
  const r = timestampUnsign(signed, ALERTS_SALT, secretKey)
  return r !== null && safeEqual(r.value, channelToken(channelCode, secretKey)) ? r.signedAt : null
}

export function reportsUnsubscribeLink(
  siteRoot: string,
  userId: number,
  secretKey: string,
  now: number,
): string {
  const signed = timestampSign(String(userId), REPORTS_SALT, secretKey, now)
  return `${siteRoot}/accounts/unsubscribe_reports/${signed}/`
}

/** The user id of a good reports-unsubscribe token and when it was signed (ms), or null. */
export function reportsUnsubscribeUser(
  signed: string,
  secretKey: string,
): { userId: number; signedAt: number } | null {
  const r = timestampUnsign(signed, REPORTS_SALT, secretKey)
  return r !== null && /^\d{1,15}$/.test(r.value)
    ? { userId: Number(r.value), signedAt: r.signedAt }
    : null
}

/** RFC 2369 + RFC 8058 headers: mail clients show an unsubscribe button that POSTs the link. */
export function unsubscribeHeaders(link: string): Record<string, string> {
  return {
    'List-Unsubscribe': `<${link}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  }
}
