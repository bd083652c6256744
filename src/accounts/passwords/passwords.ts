/**
 * Password hashing with argon2id (@node-rs/argon2), plus verifiers for the hashes a Healthchecks
 * (Django) database holds: `pbkdf2_sha256$…`/`pbkdf2_sha1$…` and `argon2$argon2id$…` (spec 5.19).
 * Those verify once and are rehashed to our argon2id at the next log-in (needsRehash). Also the
 * rules a new password must meet (LG-1): 8–256 characters, not on the common-passwords list.
 */
import { pbkdf2, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import { hash, verify } from '@node-rs/argon2'
import { isCommonPassword } from './common-passwords.js'

/** Default of PASSWORD_MIN_LENGTH (LG-1; 15 or more is recommended to users). */
export const MIN_PASSWORD_LENGTH = 8
/** Longest password accepted (LG-1, ASVS 6.2.9 asks for at least 64). */
export const MAX_PASSWORD_LENGTH = 256
/** Django's PBKDF2 iteration counts are 10⁴–10⁶; far more would turn a log-in into a DoS. */
const MAX_PBKDF2_ITERATIONS = 10_000_000

const pbkdf2Async = promisify(pbkdf2)

/**
 * argon2id parameters by PASSWORD_HASH_COST. The algorithm is the library's default, argon2id
 * (its `Algorithm` is a const enum, which a per-file compile cannot inline); `standard` is RC-2.
 */
export const HASH_COSTS = {
  standard: { memoryCost: 19456, timeCost: 2, parallelism: 1 },
  test: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
} as const

export type HashCost = keyof typeof HASH_COSTS

export function hashPassword(password: string, cost: HashCost): Promise<string> {
  return hash(password, HASH_COSTS[cost])
}

/** Django's `pbkdf2_<digest>$<iterations>$<salt>$<base64 hash>` (the hash is the digest size). */
async function verifyDjangoPbkdf2(stored: string, password: string): Promise<boolean> {
  const m = /^pbkdf2_(sha256|sha1)\$(\d{1,9})\$([^$]*)\$([A-Za-z0-9+/]+={0,2})$/.exec(stored)
  if (!m) return false
  const [, digest, iterationsText, salt, b64] = m
  const iterations = Number(iterationsText)
  if (iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) return false
  const expected = Buffer.from(b64, 'base64')
  const keyLength = digest === 'sha256' ? 32 : 20
  if (expected.length !== keyLength) return false
  const actual = await pbkdf2Async(
    Buffer.from(password, 'utf8'),
    Buffer.from(salt, 'utf8'),
    iterations,
    keyLength,
    digest,
  )
  return timingSafeEqual(actual, expected)
}

/**
 * True when `password` matches the stored hash: our argon2id PHC string, or a Django hash
 * imported from Healthchecks. Django's argon2 strings are `argon2` + a PHC string. A malformed or
 * unusable hash (Django's `!…`) never matches. Comparisons are constant-time.
 */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) return false
  try {
    if (stored.startsWith('$argon2')) return await verify(stored, password)
    if (stored.startsWith('argon2$argon2')) return await verify(stored.slice(6), password)
    if (stored.startsWith('pbkdf2_')) return await verifyDjangoPbkdf2(stored, password)
    return false
  } catch {
    return false
  }
}

/** True when a hash that just verified should be replaced by our own argon2id (imported hashes). */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith('$argon2id$')
}

export type PasswordProblem =
  | { kind: 'password-too-short'; min: number }
  | { kind: 'password-too-long'; max: number }
  | { kind: 'password-too-common' }
  /** Found in Have I Been Pwned's breach corpus (PASSWORD_BREACH_CHECK=hibp, breached-passwords.ts). */
  | { kind: 'password-breached' }

/** Why a new password is refused (LG-1: length and the common list, no composition rules), or null. */
export function newPasswordProblem(password: string, minLength: number): PasswordProblem | null {
  // Length in characters as people count them (code points), not UTF-16 units.
  const length = Array.from(password).length
  if (length < minLength) return { kind: 'password-too-short', min: minLength }
  if (length > MAX_PASSWORD_LENGTH) return { kind: 'password-too-long', max: MAX_PASSWORD_LENGTH }
  if (isCommonPassword(password)) return { kind: 'password-too-common' }
  return null
}
