/**
 * The learned duration baseline the details page shows (issue 15 item 3): learned from the
 * worker's stored runs when the check opted in and has more of them, else from the retained
 * pings' start → success durations, so every check's chart shows its usual band. Pure.
 */
import type { ListedPing } from '../../checks/index.js'
import type { Check } from '../../db/index.js'
import {
  type Baseline,
  isUnusualDuration,
  learnBaseline,
  parseInsightState,
  type Run,
  stateRuns,
} from '../../insight/index.js'

/** The zone weekdays are counted in (the worker uses the same). */
export function baselineZone(check: Pick<Check, 'kind' | 'tz'>): string {
  return check.kind === 'simple' ? 'UTC' : check.tz
}

export function runBaselineOf(
  check: Pick<Check, 'kind' | 'tz' | 'insight_state'>,
  pings: ListedPing[],
): Baseline | null {
  const fromPings: Run[] = pings.flatMap((p) =>
    p.kind === 'success' && p.durationMs !== null
      ? [{ start: p.created - p.durationMs, durationMs: p.durationMs }]
      : [],
  )
  const stored = stateRuns(parseInsightState(check.insight_state))
  return learnBaseline(stored.length > fromPings.length ? stored : fromPings, baselineZone(check))
}

/** Whether the check's last run lies outside its band. */
export function isLastRunUnusual(
  check: Pick<Check, 'kind' | 'tz' | 'last_ping' | 'last_duration_ms'>,
  baseline: Baseline | null,
): boolean {
  if (check.last_duration_ms === null || check.last_ping === null) return false
  const run = {
    start: check.last_ping - check.last_duration_ms,
    durationMs: check.last_duration_ms,
  }
  return isUnusualDuration(baseline, run, baselineZone(check))
}
