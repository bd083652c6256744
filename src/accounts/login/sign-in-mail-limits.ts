/**
 * Rate limits of the requests that mail a sign-in link (LG-2) or a sign-up link (LG-4): 5 an hour
 * per normalised address (RL-L1) and 20 an hour per client IP (RL-L2), in the shared database
 * token buckets. Counted on every request before any account lookup, so a refusal reads the same
 * for known and unknown addresses. Healthchecks' equivalent: TokenBucket.authorize_login_email.
 */
import type { Ctx } from '../../context.js'
import { type BucketRule, takeBucketToken } from '../../ratelimit/index.js'
import { sha256Hex } from '../../tokens.js'
import { recordRateLimitBlock } from '../audit/rate-limit-audit.js'
import { normalizeEmail } from '../users/create-user.js'

const HOUR_MS = 3_600_000
/** RL-L1: per normalised email address. */
export const PER_EMAIL: BucketRule = { capacity: 5, refillMs: HOUR_MS }
/** RL-L2: per client address (req.ip, which believes only TRUSTED_PROXY_CIDRS). */
export const PER_IP: BucketRule = { capacity: 20, refillMs: HOUR_MS }

/**
 * The address as RL-L1 counts it: lower-case, and for domains that ignore them (cfg
 * RATELIMIT_EMAIL_ALIAS_DOMAINS, default Gmail's) without dots and `+tag` in the mailbox. Pure.
 */
export function rateLimitEmailKey(email: string, aliasDomains: readonly string[]): string {
  const normal = normalizeEmail(email)
  const at = normal.lastIndexOf('@')
  if (at < 0) return normal
  let mailbox = normal.slice(0, at)
  let domain = normal.slice(at + 1)
  if (!aliasDomains.includes(domain)) return normal
  if (domain === 'googlemail.com') domain = 'gmail.com'
  mailbox = mailbox.split('+')[0].replace(/\./g, '')
  return `${mailbox}@${domain}`
}

export type MailRequestVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number }

/** Takes one request from the IP's and the address's buckets; refused when either is empty. */
export async function takeSignInMailRequest(
  ctx: Ctx,
  email: string,
  ip: string,
  now: number,
): Promise<MailRequestVerdict> {
  // Digests only: the bucket table needs no addresses in clear.
  const key = rateLimitEmailKey(email, ctx.config.accounts.emailAliasDomains)
  for (const [value, rule, id] of [
    [`signin-ip:${sha256Hex(ip)}`, PER_IP, 'RL-L2'],
    [`signin-email:${sha256Hex(key)}`, PER_EMAIL, 'RL-L1'],
  ] as const) {
    const verdict = await takeBucketToken(ctx.db, value, rule, now)
    if (!verdict.allowed) {
      const retryAfterSeconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))
      const block = { rule: id, key: value, windowMs: rule.refillMs, ip, retryAfterSeconds }
      await recordRateLimitBlock(ctx, block, now)
      return { allowed: false, retryAfterSeconds }
    }
  }
  return { allowed: true }
}

/** "Try again in N minutes" (HTML pages show the wait in minutes, spec 5.10). */
export function waitMinutesText(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60))
  return `${minutes} minute${minutes === 1 ? '' : 's'}`
}
