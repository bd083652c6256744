/**
 * Snooze as an alert gate (issue 14, item 2). A down flip of a snoozed check is held until the
 * snooze ends (`recheck_at`), then decided again: alerted once if the check is still down,
 * suppressed if it came back up meanwhile (the up flip that ended it also goes unannounced, as
 * process-flips.ts does for any down nobody was told about). Ending a snooze early releases the
 * held flips at once (checks/snooze-check.ts).
 *
 * A recovery (up flip) is never held: when the down before it was announced (before the snooze
 * began), the people told "down" are told "up" at once, as dependencies do for children that
 * recover; holding good news until the snooze ends would only leave a stale "down" in their inbox.
 */
import { isoSeconds, snoozeEnd } from '../checks/index.js'
import type { AlertGate, GateDecision } from './alert-gates.js'

const ALERT: GateDecision = { kind: 'alert' }

/** A down flip held by a gate whose check is no longer down when it is decided again. */
export function backUpWhileHeld(
  flip: { new_status: string; held_reason: string },
  check: { status: string },
): boolean {
  return flip.new_status === 'down' && flip.held_reason !== '' && check.status !== 'down'
}

export const snoozeGate: AlertGate = {
  name: 'snooze',
  async decide({ flip, check, now }) {
    if (flip.new_status !== 'down') return ALERT
    const end = snoozeEnd(check, now)
    if (end !== null) {
      const why = check.snooze_reason === '' ? '' : `: ${check.snooze_reason}`
      return { kind: 'hold', recheckAt: end, reason: `snoozed until ${isoSeconds(end)}${why}` }
    }
    if (backUpWhileHeld(flip, check))
      return { kind: 'suppress', reason: 'back up before its held alert was due' }
    return ALERT
  },
}
