/**
 * The details page's facts about a check's run-time limits (checks/run-time.ts): the maximum
 * and minimum run time when set. Pure view; nothing when neither is set, so a check without
 * them reads exactly as in Healthchecks.
 */
import type { Check } from '../../db/index.js'
import { formatDuration } from '../time-format.js'

export function RunTimeFacts({ check }: { check: Pick<Check, 'max_runtime' | 'min_runtime'> }) {
  return (
    <>
      {check.max_runtime !== null && (
        <>
          <dt>Maximum run time</dt>
          <dd>{formatDuration(check.max_runtime)} after the start or the last progress ping</dd>
        </>
      )}
      {check.min_runtime !== null && (
        <>
          <dt>Minimum run time</dt>
          <dd>{formatDuration(check.min_runtime)}</dd>
        </>
      )}
    </>
  )
}
