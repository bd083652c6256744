/**
 * The checks dashboard routes: GET /projects/<uuid>/checks/ (the page; filters, sort and compact
 * mode in the query string) and GET /projects/<uuid>/checks/status.json (what the live-status
 * script polls). /checks/ and the logged-in home page show the user's only project, or the
 * projects overview (see showHome).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { listChecks } from '../../checks/index.js'
import type { Ctx } from '../../context.js'
import type { Project } from '../../db/index.js'
import { blockedByTwoFactorPolicy, canSeeProjectKeys, projectAccess } from '../../projects/index.js'
import { accessOf, LOGGED_IN, PROJECT, PROJECT_JSON, userOf } from '../access-guard.js'
import { sendMonitoringPage } from '../monitoring-page.js'
import { listUserProjects } from '../project-access.js'
import { showProjectsOverview } from '../projects/projects-routes.js'
import type { WebAuth } from '../web-auth.js'
import { DASHBOARD_SCRIPTS, DashboardPage } from './dashboard-page.js'
import {
  allTags,
  countStatuses,
  dashboardRow,
  filterRows,
  parseDashboardQuery,
  sortRows,
} from './dashboard-view.js'
import { groupUnderParents } from './dependency-grouping.js'
import { liveCheck } from './status-badge.js'

/**
 * What a logged-in user sees at `/` and `/checks/`: their only project's dashboard, or the
 * projects overview when they have several (or none); Healthchecks' index view decides the same.
 */
export async function showHome(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  auth: WebAuth,
): Promise<FastifyReply> {
  const projects = await listUserProjects(ctx, auth.user)
  // A project whose 2FA policy this session does not meet shows as locked on the overview.
  if (projects.length === 1 && !blockedByTwoFactorPolicy(projects[0], auth.session))
    return showDashboard(ctx, req, reply, auth, projects[0])
  return showProjectsOverview(ctx, req, reply, auth)
}

async function showDashboard(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  auth: WebAuth,
  project: Project,
): Promise<FastifyReply> {
  const now = ctx.clock.now()
  const query = parseDashboardQuery(req.query)
  const checks = await listChecks(ctx, { projectId: project.id, tags: [] })
  const all = checks.map((c) => dashboardRow(c.check, c.channelCodes.length, now))
  const counts = countStatuses(all.map((r) => r.status))
  const rows = await groupUnderParents(
    ctx,
    project.id,
    all,
    sortRows(filterRows(all, query), query.sort),
  )
  const title = downTitle(counts.down, project.name)
  const role = await projectAccess(ctx, auth.user.id, project.code)
  return sendMonitoringPage(ctx, req, reply, { title, scripts: DASHBOARD_SCRIPTS }, () => (
    <DashboardPage
      project={project}
      rows={rows}
      total={all.length}
      tags={allTags(all.map((r) => r.check))}
      counts={counts}
      query={query}
      pingEndpoint={ctx.config.pingEndpoint}
      showPingKey={canSeeProjectKeys(role)}
      now={now}
      tz={auth.user.tz}
    />
  ))
}

type ProjectParams = { Params: { project: string } }

function downTitle(down: number, name: string): string {
  return down > 0 ? `${down} down – ${name}` : name
}

export function registerDashboardRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/checks/', LOGGED_IN, async (req, reply) => {
    return showHome(ctx, req, reply, userOf(req))
  })

  app.get<ProjectParams>('/projects/:project/checks/', PROJECT, async (req, reply) => {
    const { auth, project } = accessOf(req)
    return showDashboard(ctx, req, reply, auth, project)
  })

  app.get(
    '/projects/:project/checks/status.json',
    PROJECT_JSON,
    async (req: FastifyRequest<ProjectParams>, _reply) => {
      const { project, user } = accessOf(req)
      const now = ctx.clock.now()
      const tz = user.tz
      const checks = await listChecks(ctx, { projectId: project.id, tags: [] })
      const live = checks.map((c) => liveCheck(c.check, now, tz))
      const counts = countStatuses(live.map((c) => c.status))
      return {
        title: `${downTitle(counts.down, project.name)} – ${ctx.config.siteName}`,
        counts: { up: counts.up, late: counts.late, down: counts.down },
        checks: live,
      }
    },
  )
}
