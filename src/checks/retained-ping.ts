/**
 * Healthchecks' ping log limit as a rule: a check keeps (and shows) only its last
 * `ping_log_limit` pings, so ping #n exists for readers only while n > n_pings − limit, even if
 * its row has not been pruned yet. Used by the ping page; list-pings' getPingBody applies the same.
 */
import type { Ctx } from '../context.js'
import type { Ping } from '../db/index.js'
import { findPingByNumber } from './list-check-events.js'
import { getPingBody } from './list-pings.js'

/** Whether ping #n is still within the check's ping log. */
export function isPingRetained(check: { n_pings: number }, pingLogLimit: number, n: number) {
  return n > check.n_pings - pingLogLimit
}

export interface RetainedPing {
  ping: Omit<Ping, 'body' | 'object_size' | 'object_key' | 'body_waiting'>
  /** Null when the ping has no body, or its body cannot be read now. */
  body: Buffer | null
  /** The body is in object storage, which cannot be read right now. */
  bodyUnavailable: boolean
}

/** Use case: ping #n of a check with its body, or null when there is none or it left the log. */
export async function findRetainedPing(
  ctx: Ctx,
  check: { id: number; code: string; n_pings: number },
  pingLogLimit: number,
  n: number,
): Promise<RetainedPing | null> {
  const ping = await findPingByNumber(ctx, check.id, n)
  if (!ping || !isPingRetained(check, pingLogLimit, n)) return null
  const body = await getPingBody(ctx, check, n, pingLogLimit)
  return {
    ping,
    body: body.ok ? body.value : null,
    bodyUnavailable: !body.ok && body.error.kind === 'body-unavailable',
  }
}
