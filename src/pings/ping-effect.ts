/**
 * What one ping does to its check: start/finish pairing, duration, status change and flip, the
 * new alert deadline, the confirmation-link flag. Pure: the caller holds the row lock and writes
 * the result. Mirrors Healthchecks' `Check.ping` (hc/api/models.py), spec §2.4 and §2.5.
 */
import { goingDownAfter } from '../checks/index.js'
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
>

/** The check columns a ping writes (n_pings is incremented in SQL). */
export interface CheckPingUpdate {
  last_ping: number | null
  last_start: number | null
  last_start_rid: string | null
  last_duration_ms: number | null
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
    status: check.status,
  }
  let flip: PingEffect['flip'] = null

  if (kind === 'start') {
    next.last_start = now
    next.last_start_rid = rid
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
    const status: StoredStatus = kind === 'fail' ? 'down' : 'up'
    if (status !== check.status) {
      flip = { old_status: check.status, new_status: status, reason: kind === 'fail' ? 'fail' : '' }
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
