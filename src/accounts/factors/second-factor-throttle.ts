/**
 * Throttle of second-factor and re-authentication checks per user (spec RL-F1, RL-F2): 5 failures
 * per 5 minutes, 20 per day, and a block after 100 consecutive failures until a success, an
 * operator reset or 24 h. Built on the log-in throttle's counters: an attempt is counted first and
 * refunded when it succeeds, so only failures consume and parallel guesses cannot slip through.
 */
import { sql } from 'kysely'
import type { Ctx } from '../../context.js'
import { sha256Hex } from '../../tokens.js'
import { recordRateLimitBlock } from '../audit/rate-limit-audit.js'
import { recordSecurityEvent } from '../audit/security-events.js'
import { notifySecurityChange } from '../audit/security-notifications.js'
import {
  consumeAttempt,
  refundAttempt,
  resetAttempts,
  type ThrottleRule,
  type ThrottleVerdict,
} from '../login/login-throttle.js'

const MINUTE_MS = 60_000

export function secondFactorRules(userId: number): ThrottleRule[] {
  return [
    { key: `2fa:${userId}`, limit: 5, windowMs: 5 * MINUTE_MS },
    { key: `2fa-day:${userId}`, limit: 20, windowMs: 24 * 60 * MINUTE_MS },
  ]
}

/** RL-F2: consecutive failures that block the second step, and for how long. */
export const CONSECUTIVE_LIMIT = 100
const CONSECUTIVE_BLOCK_MS = 24 * 60 * MINUTE_MS

function consecutiveKey(userId: number): string {
  return `2fa-consecutive:${userId}`
}

/**
 * Counts one attempt towards RL-F2. RL-F1 lets through at most 20 a day, so 100 failures take
 * days: unlike a fixed window, each failure keeps the count alive for another 24 h, and once the
 * count reaches the limit the block ends 24 h after the failure that reached it.
 */
async function consumeConsecutive(
  ctx: Ctx,
  userId: number,
  now: number,
): Promise<ThrottleVerdict & { count: number }> {
  const k = ctx.db.kysely
  const limit = CONSECUTIVE_LIMIT
  const row = await k
    .insertInto('login_attempts')
    .values({
      key: sha256Hex(consecutiveKey(userId)),
      failures: 1,
      expires: now + CONSECUTIVE_BLOCK_MS,
    })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when login_attempts.expires <= ${now} then 1 else login_attempts.failures + 1 end`,
        expires: sql<number>`case when login_attempts.expires > ${now} and login_attempts.failures >= ${limit} then login_attempts.expires else ${now + CONSECUTIVE_BLOCK_MS} end`,
      }),
    )
    .returning(['failures', 'expires'])
    .executeTakeFirstOrThrow()
  const count = Number(row.failures)
  if (count <= limit) return { allowed: true, count }
  return {
    allowed: false,
    count,
    retryAfterSeconds: Math.max(1, Math.ceil((Number(row.expires) - now) / 1000)),
  }
}

/** The RL-F2 lockout begins: audited and, when mail can go, told to the account (NT-1). */
async function recordLockout(ctx: Ctx, userId: number, now: number): Promise<void> {
  await recordSecurityEvent(
    ctx,
    {
      type: 'ratelimit.blocked',
      actorUserId: null,
      subjectUserId: userId,
      details: { rule: 'RL-F2', failures: CONSECUTIVE_LIMIT },
    },
    now,
  )
  const user = await ctx.db.kysely
    .selectFrom('users')
    .select('email')
    .where('id', '=', userId)
    .executeTakeFirst()
  if (user)
    await notifySecurityChange(
      ctx,
      user.email,
      `Two-step verification was blocked for 24 hours after ${CONSECUTIVE_LIMIT} wrong codes in a row.`,
      now,
    )
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
    if (!verdict.allowed) {
      const block = { rule: 'RL-F1', key: rule.key, windowMs: rule.windowMs, subjectUserId: userId }
      await recordRateLimitBlock(
        ctx,
        { ...block, retryAfterSeconds: verdict.retryAfterSeconds },
        now,
      )
      return { kind: 'throttled', retryAfterSeconds: verdict.retryAfterSeconds }
    }
  }
  // RL-F2 blocks are audited once, when the lockout begins (recordLockout).
  const consecutive = await consumeConsecutive(ctx, userId, now)
  if (!consecutive.allowed)
    return { kind: 'throttled', retryAfterSeconds: consecutive.retryAfterSeconds }
  const result = await check()
  if (result.ok) {
    await refundAttempt(ctx, rules[0].key)
    await refundAttempt(ctx, rules[1].key)
    await resetAttempts(ctx, consecutiveKey(userId))
  } else if (consecutive.count === CONSECUTIVE_LIMIT) await recordLockout(ctx, userId, now)
  return result
}

/** Forgets the user's second-factor failures (operator reset, `vigil user reset-2fa`). */
export async function resetSecondFactorThrottle(ctx: Ctx, userId: number): Promise<void> {
  for (const rule of secondFactorRules(userId)) await resetAttempts(ctx, rule.key)
  await resetAttempts(ctx, consecutiveKey(userId))
}
