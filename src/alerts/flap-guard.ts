/**
 * Pure: flapping protection (Vigil's; Healthchecks alerts on every down flip). A check may ask
 * for `alert_failures` consecutive failure signals before a failure-caused down alert, and/or for
 * the check to stay down `alert_delay` seconds. Until both hold, the down flip is held back and
 * looked at again; if the check comes back up meanwhile, the down flip and its up flip are both
 * suppressed, so a blip alerts nobody. A held failure is also released when the job misses its
 * next deadline, so a job that fails once and then goes silent is never hidden.
 */
import { type StatusInput, statusAt } from '../checks/index.js'
import type { Check, Flip, PingKind } from '../db/index.js'

/** How soon a flip waiting for more failures is looked at again. */
export const FLAP_RECHECK_MS = 60_000

export type FlapDecision =
  | { kind: 'alert' }
  | { kind: 'hold'; recheckAt: number }
  | { kind: 'suppress' }

export type FlapCheck = StatusInput & Pick<Check, 'alert_failures' | 'alert_delay'>

/** True when the check asks for any holding back at all. */
export function hasFlapProtection(check: Pick<Check, 'alert_failures' | 'alert_delay'>): boolean {
  return check.alert_failures > 1 || check.alert_delay > 0
}

/**
 * What to do with a down flip now.
 * `outcomes` are the kinds of the check's newest success/fail pings, newest first (at least
 * `alert_failures` of them when there are that many).
 */
export function decideDownFlip(
  flip: Pick<Flip, 'created' | 'reason'>,
  check: FlapCheck,
  outcomes: PingKind[],
  now: number,
): FlapDecision {
  if (!hasFlapProtection(check)) return { kind: 'alert' }
  // Back up (a ping) or paused meanwhile: the down never lasted long enough to tell anyone.
  if (check.status !== 'down') return { kind: 'suppress' }
  const delayEnds = flip.created + Math.max(0, check.alert_delay) * 1000
  const delayOk = now >= delayEnds
  const n = check.alert_failures
  const failuresOk =
    flip.reason !== 'fail' ||
    n <= 1 ||
    (outcomes.length >= n && outcomes.slice(0, n).every((k) => k === 'fail')) ||
    // The job has also missed its next run: as bad as a timeout, which is not held for count.
    statusAt({ ...check, status: 'up' }, now) === 'down'
  if (delayOk && failuresOk) return { kind: 'alert' }
  const candidates: number[] = []
  if (!delayOk) candidates.push(delayEnds)
  if (!failuresOk) candidates.push(now + FLAP_RECHECK_MS)
  return { kind: 'hold', recheckAt: Math.min(...candidates) }
}
