/**
 * Password hashing with argon2id (@node-rs/argon2). Healthchecks/Django PBKDF2 hashes are not
 * imported yet; the accounts issue adds that verifier.
 */
import { hash, verify } from '@node-rs/argon2'

export const MIN_PASSWORD_LENGTH = 8

export function hashPassword(password: string): Promise<string> {
  return hash(password)
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) return false
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}
