/**
 * Pure: failure and recovery thresholds (Vigil's; Healthchecks alerts on every flip).
 *
 * - Failure threshold: with `fail_window` N and `fail_threshold` K set (both > 0), a down flip
 *   caused by a failure signal alerts only when at least K of the check's last N runs failed.
 *   A run is a success or fail ping; `start`, `log` and `ign` pings are not runs and are not
 *   counted. Until then the flip is held (looked at again every minute, so a further failure
 *   releases it); if the check comes back up first, the blip alerts nobody. As with flapping
 *   protection, a held failure is released when the job also misses its next deadline.
 *   Downs caused by a missed deadline (reason "timeout") are not counted and alert as before.
 * - Recovery threshold: with `recover_successes` M > 1, the check's status goes up on the first
 *   success (as in Healthchecks: the API, badges and dashboard say up), but the up ALERT waits
 *   until the last M runs all succeeded. A failure before that suppresses the held up flip, and
 *   the down flip that follows is suppressed too ("still down"): nobody was told it recovered.
 */
import { type StatusInput, statusAt } from '../checks/index.js'
import type { Check, PingKind, StoredStatus } from '../db/index.js'
import { FLAP_RECHECK_MS, type FlapDecision } from './flap-guard.js'

/** The held_reason of a down flip suppressed because its recovery was never announced. */
export const STILL_DOWN_REASON = 'still down: its recovery was not confirmed yet'

export type ThresholdSettings = Pick<Check, 'fail_window' | 'fail_threshold' | 'recover_successes'>
export type ThresholdCheck = StatusInput & ThresholdSettings

export function hasFailThreshold(c: Pick<Check, 'fail_window' | 'fail_threshold'>): boolean {
  return c.fail_window > 0 && c.fail_threshold > 0
}

export function hasRecoveryThreshold(c: Pick<Check, 'recover_successes'>): boolean {
  return c.recover_successes > 1
}

/** Runs only (success and fail), newest first, at most `n`. */
export function lastRuns(kinds: readonly PingKind[], n: number): PingKind[] {
  return kinds.filter((k) => k === 'success' || k === 'fail').slice(0, n)
}

/** Failures among the last `window` runs of `kinds` (newest first; other kinds skipped). */
export function failuresInWindow(kinds: readonly PingKind[], window: number): number {
  return lastRuns(kinds, window).filter((k) => k === 'fail').length
}

/** Successes in a row at the newest end of `kinds` (other kinds skipped). */
export function successesInARow(kinds: readonly PingKind[]): number {
  let n = 0
  for (const k of lastRuns(kinds, kinds.length)) {
    if (k !== 'success') break
    n++
  }
  return n
}

/**
 * A down flip under the failure threshold. `kinds`: the check's newest ping kinds, newest first
 * (at least `fail_window` runs when there are that many).
 */
export function decideThresholdDown(
  flip: { reason: string },
  check: ThresholdCheck,
  kinds: readonly PingKind[],
  now: number,
): FlapDecision {
  if (!hasFailThreshold(check) || flip.reason !== 'fail') return { kind: 'alert' }
  if (check.status !== 'down') return { kind: 'suppress' }
  if (failuresInWindow(kinds, check.fail_window) >= check.fail_threshold) return { kind: 'alert' }
  // The job has also missed its next run: as bad as a timeout, which is never held for counts.
  if (statusAt({ ...check, status: 'up' }, now) === 'down') return { kind: 'alert' }
  return { kind: 'hold', recheckAt: now + FLAP_RECHECK_MS }
}

/**
 * An up flip under the recovery threshold. `lastAnnounced`: the new status of the check's newest
 * earlier flip that was notified (null for none).
 */
export function decideThresholdUp(
  check: ThresholdCheck,
  kinds: readonly PingKind[],
  lastAnnounced: StoredStatus | null,
  now: number,
): FlapDecision {
  // Without a threshold, or when the last news was not a down (a new or resumed check: the
  // usual channel rules apply), nothing is held.
  if (!hasRecoveryThreshold(check) || lastAnnounced !== 'down') return { kind: 'alert' }
  if (check.status !== 'up') return { kind: 'suppress' }
  if (successesInARow(kinds) >= check.recover_successes) return { kind: 'alert' }
  return { kind: 'hold', recheckAt: now + FLAP_RECHECK_MS }
}

/** A down flip of a check with a recovery threshold whose last announcement was already down. */
export function isUnannouncedRelapse(
  check: ThresholdSettings,
  lastAnnounced: StoredStatus | null,
): boolean {
  return hasRecoveryThreshold(check) && lastAnnounced === 'down'
}
