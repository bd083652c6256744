/**
 * Vigil's run-time limits (issue 15 §1–3), pure: when a pending run must finish (`max_runtime`
 * from the start or from the last progress ping), which reason a deadline flip carries, whether a
 * finished run was too fast (`min_runtime`), and the words for those reasons. With `max_runtime`
 * unset every rule here steps aside and Healthchecks' grace rules (status.ts) apply unchanged.
 */
import type { Check } from '../db/index.js'

/** The run-time columns; optional so rows and literals written before them still type-check. */
export type RunTimeInput = Partial<Pick<Check, 'max_runtime' | 'min_runtime' | 'last_progress'>>

/** Largest accepted `max_runtime` / `min_runtime`: 365 days, in seconds. */
export const MAX_RUNTIME_LIMIT = 365 * 86_400

/** Healthchecks' MAX_DURATION: a start older than this does not pair with a finish. */
export const PAIRING_WINDOW_MS = 72 * 3600 * 1000

/** True when the check bounds its runs with `max_runtime` (and not with grace). */
export function hasRunLimit(check: RunTimeInput): boolean {
  return check.max_runtime !== null && check.max_runtime !== undefined
}

/**
 * When the pending run must have finished: `max_runtime` after the later of its start and its
 * last progress ping (a progress ping older than the start belongs to an earlier run and is
 * ignored). Null without a pending start or without `max_runtime`.
 */
export function runDeadline(check: RunTimeInput & Pick<Check, 'last_start'>): number | null {
  if (!hasRunLimit(check) || check.last_start === null) return null
  const progress = check.last_progress ?? null
  const from = progress !== null && progress > check.last_start ? progress : check.last_start
  return from + (check.max_runtime as number) * 1000
}

/** Vigil's flip reasons beside Healthchecks' '' | 'timeout' | 'fail'. */
export type RunTimeReason = 'runtime' | 'no_start' | 'too_fast'

/**
 * The reason of a flip the worker records when a deadline passed: without `max_runtime`
 * Healthchecks' 'timeout'; with it, 'runtime' when a run was pending (it ran too long) and
 * 'no_start' when none was (the schedule's grace passed without a start).
 */
export function deadlineReason(
  check: RunTimeInput & Pick<Check, 'last_start'>,
): 'timeout' | 'runtime' | 'no_start' {
  if (!hasRunLimit(check)) return 'timeout'
  return check.last_start !== null ? 'runtime' : 'no_start'
}

/** True when a start→success run of `durationMs` finished before `min_runtime` (boundary: not too fast). */
export function isTooFast(check: RunTimeInput, durationMs: number): boolean {
  const min = check.min_runtime
  return min !== null && min !== undefined && durationMs < min * 1000
}

/** The pairing window for run durations: 72 hours, or longer when `max_runtime` allows longer runs. */
export function pairingWindowMs(check: RunTimeInput): number {
  return Math.max(PAIRING_WINDOW_MS, (check.max_runtime ?? 0) * 1000)
}

/** Human words for Vigil's reasons, '' for any other (Healthchecks' are worded in integrations/). */
export function runTimeReasonText(reason: string): string {
  if (reason === 'runtime')
    return 'ran too long: no success or failure signal within the maximum run time'
  if (reason === 'no_start') return 'did not start: no start signal on time, grace time passed'
  if (reason === 'too_fast')
    return 'finished too fast: the run was shorter than its minimum run time'
  return ''
}
