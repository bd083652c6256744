/**
 * Secrets at rest (TOTP secrets, pending enrolments): AES-256-GCM, stored as `v1:` +
 * base64(nonce‖ciphertext‖tag) (spec TOTP-3). The key is ENCRYPTION_KEY, else HKDF-SHA256 of
 * SECRET_KEY with info "hc/totp/v1". Healthchecks stores Profile.totp in plain text.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import type { Config } from '../../config/index.js'

const PREFIX = 'v1:'
const NONCE_BYTES = 12
const TAG_BYTES = 16

/** The 32-byte key of the secret box for this configuration. */
export function secretBoxKey(config: Pick<Config, 'secretKey' | 'accounts'>): Buffer {
  if (config.accounts.encryptionKey) return Buffer.from(config.accounts.encryptionKey, 'base64')
  return Buffer.from(hkdfSync('sha256', config.secretKey, Buffer.alloc(0), 'hc/totp/v1', 32))
}

export function sealSecret(key: Buffer, plaintext: string): string {
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64')
}

/** The plaintext, or null when the box is malformed or was sealed with another key. */
export function openSecret(key: Buffer, sealed: string): string | null {
  if (!sealed.startsWith(PREFIX)) return null
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64')
  if (raw.length < NONCE_BYTES + TAG_BYTES) return null
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES))
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES))
    return Buffer.concat([
      decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8')
  } catch {
    return null
  }
}
