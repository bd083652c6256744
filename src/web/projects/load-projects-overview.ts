/**
 * Use case: the projects overview of a user (Healthchecks' index page: owned and member projects):
 * each project with its checks' statuses counted (up, late, down), its number of checks and
 * integrations. Two grouped queries for all projects, never one per project; statuses are
 * derived from `now` because "late" and "down" depend on the time, not only on stored status.
 * A project whose 2FA policy (TEAM-3) this session does not meet is listed as locked, with
 * none of its data.
 */
import { channelCountsByProject } from '../../channels/index.js'
import { statusAt, statusRowsOfProjects } from '../../checks/index.js'
import type { Ctx } from '../../context.js'
import type { Project } from '../../db/index.js'
import { blockedByTwoFactorPolicy } from '../../projects/index.js'
import { countStatuses, type StatusCounts } from '../dashboard/dashboard-view.js'
import { listUserProjects } from '../project-access.js'
import type { WebAuth } from '../web-auth.js'

export interface ProjectSummary {
  project: Project
  checks: number
  integrations: number
  counts: StatusCounts
  /** Some check has a pending start. */
  started: boolean
  /** The project requires 2FA and this session logged in without it: no data is shown. */
  locked: boolean
}

export async function loadProjectsOverview(ctx: Ctx, auth: WebAuth): Promise<ProjectSummary[]> {
  const projects = await listUserProjects(ctx, auth.user)
  if (projects.length === 0) return []
  const locked = new Set(
    projects.filter((p) => blockedByTwoFactorPolicy(p, auth.session)).map((p) => p.id),
  )
  // The locked projects' ids stay out of the queries: nothing of theirs is read.
  const ids = projects.filter((p) => !locked.has(p.id)).map((p) => p.id)
  const checks = await statusRowsOfProjects(ctx.db.kysely, ids)
  const channels = await channelCountsByProject(ctx.db.kysely, ids)
  const now = ctx.clock.now()
  const summaries = projects.map((project) => {
    const own = checks.filter((c) => c.project_id === project.id)
    return {
      project,
      checks: own.length,
      integrations: channels.get(project.id) ?? 0,
      counts: countStatuses(own.map((c) => statusAt(c, now))),
      started: own.some((c) => statusAt(c, now, true) === 'started'),
      locked: locked.has(project.id),
    }
  })
  // Projects needing attention first, as Healthchecks lists projects with a down check first.
  return summaries.sort((a, b) => Number(b.counts.down > 0) - Number(a.counts.down > 0))
}
