/**
 * Random identifiers and secrets: UUIDs, ping keys, tokens, and their SHA-256 digests.
 * Secrets are stored only as digests and compared in constant time.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto'

export function newUuid(): string {
  return randomUUID()
}

/** 22 lowercase url-safe characters without `-`/`_`, as Healthchecks' ping keys. */
export function newPingKey(): string {
  let key = ''
  while (key.length < 22)
    key += randomBytes(24).toString('base64url').toLowerCase().replace(/[-_]/g, '')
  return key.slice(0, 22)
}

/** A session or one-time token: 32 random bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a)
  const bb = Buffer.from(b)
  return ab.length === bb.length && timingSafeEqual(ab, bb)
}
