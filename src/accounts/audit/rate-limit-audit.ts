/**
 * The `ratelimit.blocked` audit event (spec AU-2, "sampled"; limits of 5.10). A blocked guesser
 * may send thousands of requests, so each limited key writes at most one event per window of its
 * rule: the first block in a window is recorded, the rest are not. The sample is kept in the shared
 * token buckets (one token per key, refilled over the window), so it holds across web processes.
 * Healthchecks records nothing of the kind.
 */
import { createHmac } from 'node:crypto'
import type { Ctx } from '../../context.js'
import { authorizeBucket } from '../../ratelimit/index.js'
import { sha256Hex } from '../../tokens.js'
import { recordSecurityEvent } from './security-events.js'

export interface BlockedRequest {
  /** The limit's id in spec 5.10, e.g. `RL-P1`. */
  rule: string
  /** What the limit counts (an address, IP or user); only a digest of it is kept. */
  key: string
  /** The rule's window: at most one event per key in it. */
  windowMs: number
  /** The account the limit protects, when known. */
  subjectUserId?: number | null
  /** Client address of the blocked request. */
  ip?: string
  /** Seconds until the key may try again, when the limit knows. */
  retryAfterSeconds?: number
}

/**
 * Records the block unless this key's event for the current window is already written. Returns
 * true when an event was written.
 */
export async function recordRateLimitBlock(
  ctx: Ctx,
  block: BlockedRequest,
  now: number,
): Promise<boolean> {
  const sample = `audit-blocked:${sha256Hex(`${block.rule}|${block.key}`)}`
  if (!(await authorizeBucket(ctx.db, sample, { capacity: 1, refillMs: block.windowMs }, now)))
    return false
  await recordSecurityEvent(
    ctx,
    {
      type: 'ratelimit.blocked',
      actorUserId: null,
      subjectUserId: block.subjectUserId ?? null,
      meta: { ip: block.ip ?? '', userAgent: '' },
      // The key may be an email address: only a keyed digest, enough to tell keys apart.
      details: {
        rule: block.rule,
        key: createHmac('sha256', ctx.config.secretKey)
          .update(block.key)
          .digest('hex')
          .slice(0, 12),
        retry_after: block.retryAfterSeconds ?? null,
      },
    },
    now,
  )
  return true
}
