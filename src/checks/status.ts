// The check status rules: when the grace period starts, when a check must go down, and the
// display status at an instant. Pure: `now` is a parameter; reading and writing rows is not here.
// Mirrors Healthchecks' Check.get_grace_start, going_down_after and get_status (hc/api/models.py);
// with Vigil's `max_runtime` set, a pending run is bounded by run-time.ts instead of grace.
import type { Check } from '../db/index.js'
import { nextAfter, scheduleOf } from '../schedule/index.js'
import { hasRunLimit, type RunTimeInput, runDeadline } from './run-time.js'

/** The columns the rules read. Instants are ms epoch; `timeout` and `grace` are seconds. */
export type StatusInput = Pick<
  Check,
  'kind' | 'timeout' | 'grace' | 'schedule' | 'tz' | 'status' | 'last_ping' | 'last_start'
> &
  RunTimeInput

/** Stored status plus `grace` (late) and, only when asked for (API v1), `started`. */
export type DisplayStatus = 'new' | 'up' | 'grace' | 'down' | 'paused' | 'started'

/**
 * When the grace period starts (the next expected ping), or null for never.
 * Only an `up` check has a schedule deadline: the next expected time after `last_ping`.
 * With `withStarted`, a pending start of a check that is not `down` pulls it back to
 * `last_start`, so a new, paused or up check that started and never finished goes down
 * `grace` after the start.
 * A cron expression with no match in 50 years gives no deadline (Healthchecks raises there and
 * its worker retries an hour later; a check that can never be late is the useful reading).
 * With `max_runtime` set the started term never applies: the run has its own deadline.
 */
export function graceStart(check: StatusInput, withStarted: boolean): number | null {
  let result: number | null = null
  // Healthchecks asserts last_ping is set for an up check; a row without one has no deadline.
  if (check.status === 'up' && check.last_ping !== null) {
    result = nextAfter(scheduleOf(check), check.last_ping)
  }
  if (withStarted && check.last_start !== null && check.status !== 'down' && !hasRunLimit(check)) {
    result = result === null ? check.last_start : Math.min(result, check.last_start)
  }
  return result
}

/**
 * When the worker must flip the check down unless a ping comes first: grace start (with the
 * started term) + grace, or null. This is what `alert_after` stores after every write.
 * Both are instants, so the grace is added in real time; Healthchecks converts the cron result
 * back to UTC before adding it for the same reason (local arithmetic breaks across DST).
 */
export function goingDownAfter(check: StatusInput): number | null {
  // With max_runtime, a pending run replaces the schedule's deadline until it finishes.
  if (hasRunLimit(check) && check.last_start !== null && check.status !== 'down')
    return runDeadline(check)
  const start = graceStart(check, true)
  return start === null ? null : start + check.grace * 1000
}

/**
 * The display status at `now`. Boundaries are inclusive: exactly at grace start it is `grace`,
 * exactly at grace end `down`. A start older than `grace` makes any check `down`, even a new
 * or paused one; otherwise a pending start shows as `started` when `withStarted` is set.
 */
export function statusAt(check: StatusInput, now: number, withStarted = false): DisplayStatus {
  if (check.last_start !== null) {
    const limit = runDeadline(check) ?? check.last_start + check.grace * 1000
    if (now >= limit) return 'down'
    if (withStarted) return 'started'
    // A run within its max_runtime is on time whatever the schedule says meanwhile.
    if (hasRunLimit(check)) return check.status
  }
  if (check.status !== 'up') return check.status

  const start = graceStart(check, false)
  // No next expected time (say, a schedule that never fires again): the check stays up.
  if (start === null) return 'up'
  if (now >= start + check.grace * 1000) return 'down'
  if (now >= start) return 'grace'
  return 'up'
}
