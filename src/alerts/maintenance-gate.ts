/**
 * Maintenance windows as an alert gate (issue 14, item 3). A down flip during a window of the
 * check or of its project is held until the window (and any window joining it) ends, then decided
 * again: alerted if the check is still down, suppressed if it is back up. Recoveries pass, as in
 * the snooze gate (snooze-gate.ts). The rule is checks/maintenance.ts `activeWindow`.
 */
import { activeWindow, isoSeconds, windowsOf } from '../checks/index.js'
import type { AlertGate, GateDecision } from './alert-gates.js'
import { backUpWhileHeld } from './snooze-gate.js'

const ALERT: GateDecision = { kind: 'alert' }

export const maintenanceGate: AlertGate = {
  name: 'maintenance',
  async decide({ trx, flip, check, now }) {
    if (flip.new_status !== 'down') return ALERT
    const project = await trx
      .selectFrom('projects')
      .select('maintenance')
      .where('id', '=', check.project_id)
      .executeTakeFirst()
    const windows = [...windowsOf(check.maintenance), ...windowsOf(project?.maintenance ?? '[]')]
    const w = activeWindow(windows, now)
    if (w !== null)
      return {
        kind: 'hold',
        recheckAt: w.end,
        reason: `maintenance window until ${isoSeconds(w.end)}`,
      }
    if (backUpWhileHeld(flip, check))
      return { kind: 'suppress', reason: 'back up before its held alert was due' }
    return ALERT
  },
}
