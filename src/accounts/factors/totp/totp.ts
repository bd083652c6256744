/**
 * TOTP as pure functions of secret and time (RFC 6238: SHA-1, 6 digits, 30 s steps; spec TOTP-1/2).
 * `now` is a parameter, unlike otpauth's defaults, so the replay guard and the tests can name the
 * exact step. Healthchecks uses pyotp with `valid_window=1` and no replay guard.
 */
import { Secret, TOTP } from 'otpauth'

export const TOTP_PERIOD_S = 30

/** A new secret: 20 random bytes as base32 without padding (as Healthchecks). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32
}

function totp(secret: string, label = '', issuer = ''): TOTP {
  return new TOTP({
    issuer,
    label,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_S,
  })
}

/** The time step an instant falls in. */
export function totpStep(now: number): number {
  return Math.floor(now / 1000 / TOTP_PERIOD_S)
}

/** `otpauth://totp/{issuer}:{email}?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30`. */
export function totpUri(secret: string, email: string, issuer: string): string {
  return totp(secret, email, issuer).toString()
}

/** The secret in groups of four, for typing it in by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ')
}

/** The code an authenticator shows at `now` (tests and the browser suite type it). */
export function totpCodeAt(secret: string, now: number): string {
  return totp(secret).generate({ timestamp: now })
}

/**
 * The step the code belongs to when it matches within `drift` steps of now, else null. Spaces
 * are ignored; anything but six digits never matches.
 */
export function matchTotpStep(
  secret: string,
  code: string,
  now: number,
  drift: number,
): number | null {
  const token = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(token)) return null
  const delta = totp(secret).validate({ token, timestamp: now, window: drift })
  return delta === null ? null : totpStep(now) + delta
}
