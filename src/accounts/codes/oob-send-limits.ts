/**
 * Rate limits of sending out-of-band codes (spec 5.10): per user 3 per 15 minutes and 10 per
 * 24 hours (RL-O1), per destination number or address 10 per 24 hours (RL-O2); the 60 s
 * cooldown between two codes is the session's (OOB-2, reauth-code.ts). Fixed windows in the
 * shared `login_attempts` counters, counted by one atomic upsert per rule before the send, so
 * parallel requests cannot slip through. Destinations are stored only as digests.
 */
import type { Ctx } from '../../context.js'
import { sha256Hex } from '../../tokens.js'
import { consumeAttempt, type ThrottleRule, type ThrottleVerdict } from '../login/login-throttle.js'

const MINUTE_MS = 60_000
const DAY_MS = 24 * 60 * MINUTE_MS

export function oobSendRules(userId: number, destination: string): ThrottleRule[] {
  return [
    { key: `oob-send:${userId}`, limit: 3, windowMs: 15 * MINUTE_MS },
    { key: `oob-send-day:${userId}`, limit: 10, windowMs: DAY_MS },
    { key: `oob-send-to:${sha256Hex(destination)}`, limit: 10, windowMs: DAY_MS },
  ]
}

/** Counts one send for the user and the destination; refused when any window is full. */
export async function takeOobSend(
  ctx: Ctx,
  userId: number,
  destination: string,
  now: number,
): Promise<ThrottleVerdict> {
  for (const rule of oobSendRules(userId, destination)) {
    const verdict = await consumeAttempt(ctx, rule, now)
    if (!verdict.allowed) return verdict
  }
  return { allowed: true }
}
