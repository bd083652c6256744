/**
 * Use case: what the dashboard shows a user: the projects they own (membership comes with teams),
 * by name, each with its checks in creation order. Statuses are derived later from `now`.
 */
import type { Ctx } from '../../context.js'
import type { Check, Project } from '../../db/index.js'

export interface DashboardProject {
  project: Project
  checks: Check[]
}

export async function loadDashboard(ctx: Ctx, userId: number): Promise<DashboardProject[]> {
  const k = ctx.db.kysely
  const projects = await k
    .selectFrom('projects')
    .selectAll()
    .where('owner_id', '=', userId)
    .orderBy('name')
    .orderBy('id')
    .execute()
  if (projects.length === 0) return []
  const checks = await k
    .selectFrom('checks')
    .selectAll()
    .where(
      'project_id',
      'in',
      projects.map((p) => p.id),
    )
    .orderBy('created')
    .orderBy('id')
    .execute()
  return projects.map((project) => ({
    project,
    checks: checks.filter((c) => c.project_id === project.id),
  }))
}
