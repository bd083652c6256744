/**
 * Anonymous sign-in starts per client IP (passkey WA-7, OIDC LG-9): each start stores a row (a
 * WebAuthn challenge, an OIDC flow, which may also fetch discovery), so a script must not be able
 * to fill those tables. 30 per 10 minutes is far above any person's need. One bucket per kind.
 */
import type { Ctx } from '../../context.js'
import { type BucketRule, takeBucketToken } from '../../ratelimit/index.js'
import { err, ok, type Result } from '../../result.js'

export const SIGN_IN_START_RULE: BucketRule = { capacity: 30, refillMs: 600_000 }

/** Spends one start from this IP's bucket for the kind, or says how long to wait. */
export async function takeSignInStart(
  ctx: Ctx,
  kind: 'passkey' | 'oidc',
  ip: string,
): Promise<Result<void, { kind: 'throttled'; retryAfterSeconds: number }>> {
  const verdict = await takeBucketToken(
    ctx.db,
    `${kind}-start:ip:${ip}`,
    SIGN_IN_START_RULE,
    ctx.clock.now(),
  )
  if (!verdict.allowed)
    return err({ kind: 'throttled', retryAfterSeconds: Math.ceil(verdict.retryAfterMs / 1000) })
  return ok(undefined)
}
