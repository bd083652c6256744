/**
 * RL-A1: API key authentication failures per client IP (60 a minute). Healthchecks has no such
 * limit. A failure (401) takes a token from the IP's bucket (ratelimit/token-bucket.ts); while the
 * bucket is empty, every request from that IP is refused *before* the key is looked up, so a
 * guesser cannot learn that a guess was right. Correct keys take no tokens. Used by the management
 * API, the Prometheus endpoints and the operator metrics (any key that can be guessed).
 */
import { recordRateLimitBlock } from '../accounts/index.js'
import type { Ctx } from '../context.js'
import { authorizeBucket, type BucketRule } from '../ratelimit/index.js'

export const API_AUTH_FAILURES: BucketRule = { capacity: 60, refillMs: 60_000 }

function bucketOf(ip: string): string {
  return `api-auth-ip:${ip}`
}

/**
 * Seconds until the IP may try again, or 0 when it may now. Reads only: the bucket gives a
 * request once it holds 1/capacity of a token.
 */
export async function apiAuthRetryAfter(ctx: Ctx, ip: string, now: number): Promise<number> {
  const row = await ctx.db.kysely
    .selectFrom('token_buckets')
    .select(['tokens', 'updated'])
    .where('value', '=', bucketOf(ip))
    .executeTakeFirst()
  if (!row) return 0
  const rule = API_AUTH_FAILURES
  const refilled = Math.min(1, row.tokens + Math.max(0, now - row.updated) / rule.refillMs)
  const missing = 1 / rule.capacity - refilled
  if (missing <= 1e-9) return 0
  return Math.max(1, Math.ceil((missing * rule.refillMs) / 1000))
}

/** Counts one failure; false when the IP had none left (this failure is over the limit). */
export function recordApiAuthFailure(ctx: Ctx, ip: string, now: number): Promise<boolean> {
  return authorizeBucket(ctx.db, bucketOf(ip), API_AUTH_FAILURES, now)
}

/**
 * RL-A1 before a key is looked up: seconds until the IP may try again (the block is then audited,
 * sampled: once per IP and minute), or 0 when it may try now.
 */
export async function checkApiAuthLimit(ctx: Ctx, ip: string, now: number): Promise<number> {
  const wait = await apiAuthRetryAfter(ctx, ip, now)
  if (wait > 0) {
    const block = { rule: 'RL-A1', key: bucketOf(ip), windowMs: API_AUTH_FAILURES.refillMs, ip }
    await recordRateLimitBlock(ctx, { ...block, retryAfterSeconds: wait }, now)
  }
  return wait
}
