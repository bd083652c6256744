/**
 * The dashboard's dependency grouping (issue 14). A down check with a down parent has its
 * alert held (src/alerts/dependency-gate.ts); its row moves to just under that parent's row and
 * says which parent holds it, so one outage reads as one block instead of many red rows. A
 * child whose parent row is filtered out stays where it was, still marked. groupHeldChildren
 * is pure; groupUnderParents reads the project's edges for it.
 */
import { projectDependencies } from '../../checks/index.js'
import type { Ctx } from '../../context.js'
import type { DashboardRow } from './dashboard-view.js'

/** One dependency edge: `checkId` depends on `dependsOnId`. */
export interface DashboardEdge {
  checkId: number
  dependsOnId: number
}

/** `rows` (already filtered and sorted) with held children under their first down parent. */
export function groupHeldChildren(
  rows: readonly DashboardRow[],
  edges: readonly DashboardEdge[],
  // Stored statuses of every check of the project, by id (parents may be filtered out).
  storedStatus: ReadonlyMap<number, { status: string; name: string }>,
): DashboardRow[] {
  const parentsOf = new Map<number, number[]>()
  for (const e of edges)
    parentsOf.set(e.checkId, [...(parentsOf.get(e.checkId) ?? []), e.dependsOnId])
  const position = new Map(rows.map((r, i) => [r.check.id, i]))
  const heldUnder = new Map<number, number>()
  const marked: DashboardRow[] = rows.map((row) => {
    if (row.check.status !== 'down') return row
    const downParents = (parentsOf.get(row.check.id) ?? []).filter(
      (p) => storedStatus.get(p)?.status === 'down',
    )
    if (downParents.length === 0) return row
    // The first down parent in the page's order; else the first by id.
    const visible = downParents.filter((p) => position.has(p) && !parentsHeld(p))
    const parent = visible.sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0))[0]
    if (parent !== undefined) heldUnder.set(row.check.id, parent)
    const name = storedStatus.get(parent ?? downParents[0])?.name ?? ''
    return { ...row, heldBy: name }
  })
  function parentsHeld(id: number): boolean {
    // A parent that is itself held stays a plain row; nest one level only.
    return (parentsOf.get(id) ?? []).some((p) => storedStatus.get(p)?.status === 'down')
  }
  const out: DashboardRow[] = []
  for (const row of marked) {
    if (heldUnder.has(row.check.id)) continue
    out.push(row)
    for (const child of marked)
      if (heldUnder.get(child.check.id) === row.check.id) out.push({ ...child, heldUnder: true })
  }
  return out
}

/** `rows` grouped by the project's dependency edges; `all` is every check of the project. */
export async function groupUnderParents(
  ctx: Ctx,
  projectId: number,
  all: readonly DashboardRow[],
  rows: readonly DashboardRow[],
): Promise<DashboardRow[]> {
  const edges = await projectDependencies(ctx.db.kysely, projectId)
  if (edges.length === 0) return [...rows]
  const stored = new Map(
    all.map((r) => [r.check.id, { status: r.check.status, name: r.check.name || r.check.code }]),
  )
  return groupHeldChildren(rows, edges, stored)
}
