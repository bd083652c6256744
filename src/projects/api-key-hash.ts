/**
 * API keys as Healthchecks makes and stores them (hc/accounts/models.py `_make_api_key`,
 * `compare_api_key`; spec AK-1): `hcw_` (read-write) or `hcr_` (read-only) + 28 url-safe
 * characters without `-`/`_`; stored as the first 8 of those 28, a ".", and the hex
 * HMAC-SHA256 of the whole key keyed by API_KEY_HMAC_KEY (Healthchecks' SECRET_KEY), so rows
 * copied from a Healthchecks database authenticate. Pure: no database, no clock.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { safeEqual } from '../tokens.js'

export type ApiKeyPrefix = 'hcw_' | 'hcr_'

export interface HashedApiKey {
  /** The plain key, shown once. */
  key: string
  /** What the database keeps. */
  stored: string
  /** The indexed search value: the 8 secret characters. */
  lookup: string
}

const HASHED_KEY_RE = /^hc[wr]_[A-Za-z0-9]{28}$/

/** Healthchecks' hex HMAC-SHA256 of the whole key (prefix included). */
export function apiKeyDigest(key: string, hmacKey: string): string {
  return createHmac('sha256', hmacKey).update(key).digest('hex')
}

/** `token_urlsafe(21)` until it holds no `-`/`_`: 28 characters, 168 bits. */
function newSecret(): string {
  for (;;) {
    const s = randomBytes(21).toString('base64url')
    if (!s.includes('-') && !s.includes('_')) return s
  }
}

/** The storage form of `key`: Healthchecks' for hcw_/hcr_ keys, SHA-256 hex for legacy ones. */
export function storedFormOf(key: string, hmacKey: string): { stored: string; lookup: string } {
  if (HASHED_KEY_RE.test(key)) {
    const lookup = key.slice(4, 12)
    return { stored: `${lookup}.${apiKeyDigest(key, hmacKey)}`, lookup }
  }
  const digest = createHash('sha256').update(key).digest('hex')
  return { stored: digest, lookup: digest }
}

export function newHashedApiKey(prefix: ApiKeyPrefix, hmacKey: string): HashedApiKey {
  const key = `${prefix}${newSecret()}`
  return { key, ...storedFormOf(key, hmacKey) }
}

/** The values to search `lookup` for: the 8 secret characters and the legacy digest. */
export function lookupCandidates(key: string): string[] {
  const legacy = createHash('sha256').update(key).digest('hex')
  return HASHED_KEY_RE.test(key) ? [key.slice(4, 12), legacy] : [legacy]
}

/**
 * Whether `key` is the key stored as `stored`, in constant time. A hashed row matches only a
 * key with the same prefix kind (`hcr_` for read-only rows), as Healthchecks compares a `hcr_`
 * key against api_key_readonly only.
 */
export function matchesStoredKey(
  key: string,
  stored: { stored: string; readonly: boolean },
  hmacKey: string,
): boolean {
  const dot = stored.stored.indexOf('.')
  if (dot === -1) return safeEqual(createHash('sha256').update(key).digest('hex'), stored.stored)
  if (!HASHED_KEY_RE.test(key)) return false
  if (key.startsWith('hcr_') !== stored.readonly) return false
  return safeEqual(apiKeyDigest(key, hmacKey), stored.stored.slice(dot + 1))
}
