/**
 * Pure: cycle detection for check dependencies (issue 14). Edges point from a check to a check it
 * depends on (its parent). Setting a check's parents is refused when one of the new parents
 * already depends, directly or through others, on the check itself. No Healthchecks counterpart.
 */

/** One edge: `checkId` depends on `dependsOnId`. */
export interface DependencyEdge {
  checkId: number
  dependsOnId: number
}

/**
 * The cycle that giving `checkId` the parents `parents` would close, as ids from the check back
 * to itself (`[c, p, …, c]`), or null when there is none. `edges` are the project's current
 * edges; the check's own current edges are ignored (they are being replaced). A self-dependency
 * is the cycle `[c, c]`.
 */
export function findDependencyCycle(
  edges: readonly DependencyEdge[],
  checkId: number,
  parents: readonly number[],
): number[] | null {
  const up = new Map<number, number[]>()
  for (const e of edges) {
    if (e.checkId === checkId) continue
    const list = up.get(e.checkId)
    if (list) list.push(e.dependsOnId)
    else up.set(e.checkId, [e.dependsOnId])
  }
  const seen = new Set<number>()
  // Depth-first from each new parent along "depends on"; reaching checkId closes a cycle.
  const walk = (id: number, path: number[]): number[] | null => {
    if (id === checkId) return [checkId, ...path, checkId]
    if (seen.has(id)) return null
    seen.add(id)
    for (const next of up.get(id) ?? []) {
      const found = walk(next, [...path, id])
      if (found) return found
    }
    return null
  }
  for (const p of parents) {
    if (p === checkId) return [checkId, checkId]
    const found = walk(p, [])
    if (found) return found
  }
  return null
}
