/**
 * Pure: what a check's dependencies say about one of its flips (issue 14). A down flip is held
 * while a parent is down, or while a parent is overdue but not yet flipped (the worker flips it
 * in its next pass, so the child must not alert before the parent's flip is known). Up flips
 * are never held here. No Healthchecks counterpart (healthchecks#316).
 */
import type { StoredStatus } from '../db/index.js'

/** A parent as the rule needs it. */
export interface ParentState {
  name: string
  status: StoredStatus
  /** When the worker flips it down (checks.alert_after), null when it has no deadline. */
  alertAfter: number | null
}

export type DependencyDecision =
  | { kind: 'alert' }
  | { kind: 'hold'; recheckAt: number; reason: string }

/**
 * A held child is looked at again this often even if nothing releases it earlier (a parent
 * deleted, paused or moved while the child waits). A parent's recovery releases its children at
 * once (releaseHeldChildren), so this is only the fallback.
 */
export const DEPENDENCY_RECHECK_MS = 60_000

/** The reason kept on a child's flip held for `parentName`. */
export function parentDownReason(parentName: string): string {
  return `parent ${parentName} is down`
}

/** The reason kept on a held child's flip when its parent recovers and the child is still down. */
export function parentRecoveredReason(parentName: string): string {
  return `parent ${parentName} was down; still down after it recovered`
}

export function decideDependency(
  newStatus: StoredStatus,
  parents: readonly ParentState[],
  now: number,
): DependencyDecision {
  if (newStatus !== 'down') return { kind: 'alert' }
  const down = parents.find((p) => p.status === 'down')
  if (down)
    return {
      kind: 'hold',
      recheckAt: now + DEPENDENCY_RECHECK_MS,
      reason: parentDownReason(down.name),
    }
  const overdue = parents.find(
    (p) => p.status === 'up' && p.alertAfter !== null && p.alertAfter <= now,
  )
  if (overdue)
    return {
      kind: 'hold',
      // After this pass: the worker's next going-down pass records the parent's flip first.
      recheckAt: now + 1,
      reason: `waiting to learn whether parent ${overdue.name} is down`,
    }
  return { kind: 'alert' }
}
