/**
 * The dashboard's mark beside a check's status (issue 14): "snoozed" or "maintenance" with the
 * end in the title. The status itself is still shown: a snoozed check keeps changing status.
 */
import { holdMark } from '../../checks/index.js'
import type { Check, Project } from '../../db/index.js'
import { formatInstant } from '../time-format.js'

export function HoldMark(props: { check: Check; project: Project; now: number; tz: string }) {
  const m = holdMark(props.check, props.project, props.now)
  if (m === null) return null
  const label = m.kind === 'snoozed' ? 'snoozed' : 'maintenance'
  return (
    <small
      class={`hold-mark ${m.kind}`}
      title={`No alerts until ${formatInstant(m.until, props.tz)}`}
    >
      {label}
    </small>
  )
}
