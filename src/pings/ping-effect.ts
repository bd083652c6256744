/**
 * What one ping does to its check: start/finish pairing, duration, status change and flip, the
 * new alert deadline, the confirmation-link flag. Pure: the caller holds the row lock and writes
 * the result. Mirrors Healthchecks' `Check.ping` (hc/api/models.py), spec §2.4 and §2.5; Vigil's
 * run-time limits add `progress` pings and `min_runtime` (checks/run-time.ts).
 */
import { goingDownAfter, hasRunLimit, isTooFast, type RunTimeInput } from '../checks/index.js'
import type { Check, PingKind, StoredStatus } from '../db/index.js'

/** The check columns a ping reads. */
export type PingableCheck = Pick<
  Check,
  | 'kind'
  | 'timeout'
  | 'grace'
  | 'schedule'
  | 'tz'
  | 'status'
  | 'manual_resume'
  | 'last_ping'
  | 'last_start'
  | 'last_start_rid'
  | 'last_duration_ms'
> &
  RunTimeInput

/** The check columns a ping writes (n_pings is incremented in SQL). */
export interface CheckPingUpdate {
  last_ping: number | null
  last_start: number | null
  last_start_rid: string | null
  last_duration_ms: number | null
  last_progress: number | null
  status: StoredStatus
  alert_after: number | null
  has_confirmation_link: number
}

export interface PingEffect {
  /** The kind the ping is stored as (paused + manual_resume turns everything into `ign`). */
  kind: PingKind
  update: CheckPingUpdate
  flip: { old_status: StoredStatus; new_status: StoredStatus; reason: string } | null
}

/** Healthchecks' `"confirm" in body.decode(errors="replace").lower()`. */
export function hasConfirmationLink(body: Buffer | null): boolean {
  return body?.toString('utf8').toLowerCase().includes('confirm') ?? false
}

/** Applies a ping of kind `action` with run id `rid` (lowercase or null) at `now`. */
export function pingEffect(
  check: PingableCheck,
  ping: { action: PingKind; rid: string | null; body: Buffer | null; now: number },
): PingEffect {
  const { rid, now } = ping
  // A check paused with manual_resume records every ping but ignores it, whatever the URL,
  // method or keywords said.
  const kind: PingKind = check.status === 'paused' && check.manual_resume ? 'ign' : ping.action
  const next = {
    last_ping: check.last_ping,
    last_start: check.last_start,
    last_start_rid: check.last_start_rid,
    last_duration_ms: check.last_duration_ms,
    last_progress: check.last_progress ?? null,
    status: check.status,
  }
  let flip: PingEffect['flip'] = null

  if (kind === 'start') {
    next.last_start = now
    next.last_start_rid = rid
    next.last_progress = null
  } else if (kind === 'progress') {
    // Moves the pending run's max_runtime deadline; a run id must match the pending run's (none
    // matches any). Without a pending run or max_runtime it is only recorded, like a log ping.
    if (
      check.last_start !== null &&
      hasRunLimit(check) &&
      (rid === null || rid === check.last_start_rid)
    )
      next.last_progress = now
  } else if (kind === 'success' || kind === 'fail') {
    next.last_ping = now
    next.last_duration_ms = null
    if (check.last_start !== null) {
      if (check.last_start_rid === rid) {
        // The run that started is the one finishing (no rid on both sides counts as a match).
        next.last_duration_ms = now - check.last_start
        next.last_start = null
      } else if (kind === 'fail' || rid === null) {
        next.last_start = null
      }
      // Otherwise a success of another run: the most recently started run is still running.
    }
    if (next.last_start === null) next.last_progress = null
    // min_runtime: a run that finished sooner counts as a failure (the ping stays a success).
    const tooFast =
      kind === 'success' &&
      next.last_duration_ms !== null &&
      isTooFast(check, next.last_duration_ms)
    const status: StoredStatus = kind === 'fail' || tooFast ? 'down' : 'up'
    if (status !== check.status) {
      const reason = kind === 'fail' ? 'fail' : tooFast ? 'too_fast' : ''
      flip = { old_status: check.status, new_status: status, reason }
      next.status = status
    }
  }

  const alertAfter = goingDownAfter({ ...check, ...next })
  return {
    kind,
    flip,
    update: {
      ...next,
      alert_after: alertAfter,
      has_confirmation_link: hasConfirmationLink(ping.body) ? 1 : 0,
    },
  }
}
