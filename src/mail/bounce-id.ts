/**
 * Signed bounce ids, as Healthchecks' hc.lib.signing (ShortHexTimestampSigner, sep "."):
 * `<value>.<hex unix seconds>.<first 16 hex of HMAC-SHA256>` with Django's salted_hmac key
 * derivation, so a bounce id fits an address's 64-character local part and ids signed by a
 * Healthchecks install with the same SECRET_KEY verify here. Pure: time comes in as a value.
 */
import { createHash, createHmac } from 'node:crypto'
import { safeEqual } from '../tokens.js'

// Django's default salt: the signer class's module and name.
const SALT = 'hc.lib.signing.ShortHexTimestampSigner'

function signature(value: string, secretKey: string): string {
  const key = createHash('sha256').update(`${SALT}signer${secretKey}`).digest()
  return createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 16)
}

/** `n.<notification uuid>` or `r.<user>` signed at `now` (ms). */
export function signBounceId(value: string, secretKey: string, now: number): string {
  const stamped = `${value}.${Math.floor(now / 1000).toString(16)}`
  return `${stamped}.${signature(stamped, secretKey)}`
}

/** The value of a signed id no older than `maxAgeMs` at `now`, or null (bad, expired or malformed). */
export function unsignBounceId(
  signed: string,
  secretKey: string,
  now: number,
  maxAgeMs: number,
): string | null {
  const cut = signed.lastIndexOf('.')
  if (cut < 0) return null
  const stamped = signed.slice(0, cut)
  if (!safeEqual(signed.slice(cut + 1), signature(stamped, secretKey))) return null
  const stampCut = stamped.lastIndexOf('.')
  if (stampCut < 0) return null
  const stamp = stamped.slice(stampCut + 1)
  if (!/^[0-9a-f]+$/.test(stamp)) return null
  if (now / 1000 - Number.parseInt(stamp, 16) > maxAgeMs / 1000) return null
  return stamped.slice(0, stampCut)
}
