/**
 * Fixed-window counters of log-in attempts in the `login_attempts` table, shared by every web
 * process. An attempt is counted before the password is checked (one atomic upsert, so parallel
 * guesses cannot slip past the limit) and refunded when it succeeds. Healthchecks throttles
 * log-ins with its TokenBucket table the same way; the limits follow spec RL-P1.
 */
import { sql } from 'kysely'
import type { Ctx } from '../../context.js'
import { sha256Hex } from '../../tokens.js'

export interface ThrottleRule {
  /** What is counted, e.g. `email-ip:alice@example.org|192.0.2.1`; stored only as a digest. */
  key: string
  /** Attempts allowed per window. */
  limit: number
  windowMs: number
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number }

/** Counts one attempt against the rule; refuses it when the window already holds `limit`. */
export async function consumeAttempt(
  ctx: Ctx,
  rule: ThrottleRule,
  now: number,
): Promise<ThrottleVerdict> {
  const k = ctx.db.kysely
  // Old windows are worthless; log-ins are rare enough that pruning here costs nothing.
  await k.deleteFrom('login_attempts').where('expires', '<=', now).execute()
  const row = await k
    .insertInto('login_attempts')
    .values({ key: sha256Hex(rule.key), failures: 1, expires: now + rule.windowMs })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        // Both expressions read the row as it was before this update (SQL semantics on both databases).
        failures: sql<number>`case when login_attempts.expires <= ${now} then 1 else login_attempts.failures + 1 end`,
        expires: sql<number>`case when login_attempts.expires <= ${now} then ${now + rule.windowMs} else login_attempts.expires end`,
      }),
    )
    .returning(['failures', 'expires'])
    .executeTakeFirstOrThrow()
  if (Number(row.failures) <= rule.limit) return { allowed: true }
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((Number(row.expires) - now) / 1000)),
  }
}

/** Takes back one counted attempt (it succeeded). */
export async function refundAttempt(ctx: Ctx, key: string): Promise<void> {
  await ctx.db.kysely
    .updateTable('login_attempts')
    .set({ failures: sql<number>`failures - 1` })
    .where('key', '=', sha256Hex(key))
    .where('failures', '>', 0)
    .execute()
}

/** Forgets every attempt counted for the key. */
export async function resetAttempts(ctx: Ctx, key: string): Promise<void> {
  await ctx.db.kysely.deleteFrom('login_attempts').where('key', '=', sha256Hex(key)).execute()
}
