/**
 * The optional breached-password check of LG-1 (PASSWORD_BREACH_CHECK=hibp): Have I Been Pwned's
 * Pwned Passwords range API with k-anonymity. Only the first 5 hex digits of the password's SHA-1
 * leave the server, with `Add-Padding: true` so the answer's size says nothing either. When the
 * API is down, slow (3 s) or answers nonsense, the password is accepted and a warning logged:
 * an outage of a third party must not stop people from setting a password. Healthchecks has none.
 */
import { createHash } from 'node:crypto'
import type { Ctx } from '../../context.js'
import { newPasswordProblem, type PasswordProblem } from './passwords.js'

/** What the web pages say about a breached password (LG-1). */
export const BREACHED_PASSWORD_TEXT =
  'This password has appeared in a data breach (it is listed by Have I Been Pwned), so attackers try it first. Choose a different one.'

/** The same for `vigil user create` and `vigil user set-password`. */
export const BREACHED_CLI_TEXT =
  'the password appears in a data breach (Have I Been Pwned); choose another'

export type BreachVerdict =
  /** The password is in the corpus, seen `count` times. */
  | { kind: 'breached'; count: number }
  | { kind: 'not-found' }
  /** The API could not answer; the caller lets the password through. */
  | { kind: 'unavailable'; reason: string }

/** SHA-1 of the password, upper-case hex, split into the 5-digit prefix sent and the rest. Pure. */
export function passwordHashRange(password: string): { prefix: string; suffix: string } {
  const hex = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase()
  return { prefix: hex.slice(0, 5), suffix: hex.slice(5) }
}

/**
 * How often `suffix` appears in a range answer (`SUFFIX:COUNT` lines); 0 when absent. Padding
 * lines carry count 0, so they never match. Null when the body is not a range answer at all. Pure.
 */
export function breachCount(body: string, suffix: string): number | null {
  const lines = body.split(/\r?\n/).filter((l) => l.trim() !== '')
  let count = 0
  for (const line of lines) {
    const m = /^([0-9A-Fa-f]{35}):(\d+)$/.exec(line.trim())
    if (!m) return null
    if (m[1].toUpperCase() === suffix) count = Number(m[2])
  }
  return count
}

/** Asks the range API about the password (never throws, never waits longer than PASSWORD_BREACH_CHECK_TIMEOUT). */
export async function checkBreachedPassword(ctx: Ctx, password: string): Promise<BreachVerdict> {
  const { prefix, suffix } = passwordHashRange(password)
  const url = `${ctx.config.accounts.passwordBreachApiUrl}/range/${prefix}`
  let body: string
  try {
    const res = await fetch(url, {
      headers: { 'Add-Padding': 'true', 'User-Agent': 'Vigil' },
      signal: AbortSignal.timeout(ctx.config.accounts.passwordBreachTimeoutMs),
    })
    body = await res.text()
    if (!res.ok) return { kind: 'unavailable', reason: `HTTP ${res.status}` }
  } catch (e) {
    const name = (e as Error).name
    return {
      kind: 'unavailable',
      reason: name === 'TimeoutError' ? 'timed out' : 'could not connect',
    }
  }
  const count = breachCount(body, suffix)
  if (count === null) return { kind: 'unavailable', reason: 'unexpected answer' }
  return count > 0 ? { kind: 'breached', count } : { kind: 'not-found' }
}

/**
 * Every rule a new password must meet (LG-1): length and the bundled common list, then, when
 * PASSWORD_BREACH_CHECK=hibp, the breach corpus. Used by sign-up, account creation and the
 * password change/set flows, so they refuse the same passwords with the same error.
 */
export async function checkNewPassword(
  ctx: Ctx,
  password: string,
): Promise<PasswordProblem | null> {
  const problem = newPasswordProblem(password, ctx.config.accounts.passwordMinLength)
  if (problem || ctx.config.accounts.passwordBreachCheck === 'off') return problem
  const verdict = await checkBreachedPassword(ctx, password)
  if (verdict.kind === 'breached') return { kind: 'password-breached' }
  if (verdict.kind === 'unavailable')
    ctx.log.warn(
      { api: ctx.config.accounts.passwordBreachApiUrl, reason: verdict.reason },
      'PASSWORD_BREACH_CHECK: the Pwned Passwords API did not answer; the new password was accepted without the breach check',
    )
  return null
}
