/**
 * What the details page shows about a check's snooze and maintenance windows: the snooze in
 * force, the window in force (the check's or its project's), the next windows and the snooze
 * history. Two small queries.
 */
import type { Ctx } from '../context.js'
import type { Check, Project, Snooze } from '../db/index.js'
import { activeWindow, nextWindows, type PlannedWindow, windowsOf } from './maintenance.js'
import { snoozeEnd } from './snooze.js'
import { listSnoozes } from './snooze-check.js'

export interface CheckHold {
  snoozedUntil: number | null
  snoozeReason: string
  /** The end of the maintenance window in force, or null. */
  maintenanceUntil: number | null
  /** The check's and the project's next windows, soonest first. */
  next: PlannedWindow[]
  /** How many windows the project adds to the check's own. */
  projectWindows: number
  history: Snooze[]
}

/** Whether a check is snoozed or in a window now (dashboard marks): pure. */
export function holdMark(
  check: Pick<Check, 'snoozed_until' | 'maintenance'>,
  project: Pick<Project, 'maintenance'>,
  now: number,
): { kind: 'snoozed' | 'maintenance'; until: number } | null {
  const end = snoozeEnd(check, now)
  if (end !== null) return { kind: 'snoozed', until: end }
  const w = activeWindow([...windowsOf(check.maintenance), ...windowsOf(project.maintenance)], now)
  return w === null ? null : { kind: 'maintenance', until: w.end }
}

export async function checkHold(
  ctx: Ctx,
  check: Check,
  project: Pick<Project, 'maintenance'>,
  now: number,
): Promise<CheckHold> {
  const own = windowsOf(check.maintenance)
  const shared = windowsOf(project.maintenance)
  const end = snoozeEnd(check, now)
  return {
    snoozedUntil: end,
    snoozeReason: end === null ? '' : check.snooze_reason,
    maintenanceUntil: activeWindow([...own, ...shared], now)?.end ?? null,
    next: nextWindows([...own, ...shared], now, 5),
    projectWindows: shared.length,
    history: await listSnoozes(ctx.db.kysely, check.id),
  }
}
