/**
 * Throttle of second-factor and re-authentication checks per user (spec RL-F1, RL-F2): 5 failures
 * per 5 minutes, 20 per day, and a block after 100 consecutive failures until a success or an
 * operator reset. Built on the log-in throttle's counters: an attempt is counted first and
 * refunded when it succeeds, so only failures consume and parallel guesses cannot slip through.
 */
import type { Ctx } from '../context.js'
import {
  consumeAttempt,
  refundAttempt,
  resetAttempts,
  type ThrottleRule,
} from './login-throttle.js'

const MINUTE_MS = 60_000

export function secondFactorRules(userId: number): ThrottleRule[] {
  return [
    { key: `2fa:${userId}`, limit: 5, windowMs: 5 * MINUTE_MS },
    { key: `2fa-day:${userId}`, limit: 20, windowMs: 24 * 60 * MINUTE_MS },
    { key: `2fa-consecutive:${userId}`, limit: 100, windowMs: 24 * 60 * MINUTE_MS },
  ]
}

export type Throttled = { kind: 'throttled'; retryAfterSeconds: number }

/**
 * Runs `check` under the throttle: null when the user is blocked before trying (the check does not
 * run), else the check's verdict. A success refunds the attempt and resets the consecutive count.
 */
export async function throttledCheck<T extends { ok: boolean }>(
  ctx: Ctx,
  userId: number,
  now: number,
  check: () => Promise<T>,
): Promise<T | Throttled> {
  const rules = secondFactorRules(userId)
  for (const rule of rules) {
    const verdict = await consumeAttempt(ctx, rule, now)
    if (!verdict.allowed) return { kind: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds }
  }
  const result = await check()
  if (result.ok) {
    await refundAttempt(ctx, rules[0].key)
    await refundAttempt(ctx, rules[1].key)
    await resetAttempts(ctx, rules[2].key)
  }
  return result
}

/** Forgets the user's second-factor failures (operator reset, `vigil user reset-2fa`). */
export async function resetSecondFactorThrottle(ctx: Ctx, userId: number): Promise<void> {
  for (const rule of secondFactorRules(userId)) await resetAttempts(ctx, rule.key)
}
