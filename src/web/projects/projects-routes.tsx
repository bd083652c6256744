/**
 * GET /projects/: the projects overview of the logged-in user.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Ctx } from '../../context.js'
import { LOGGED_IN, userOf } from '../access-guard.js'
import { sendMonitoringPage } from '../monitoring-page.js'
import type { WebAuth } from '../web-auth.js'
import { loadProjectsOverview } from './load-projects-overview.js'
import { ProjectsPage } from './projects-page.js'

export async function showProjectsOverview(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  auth: WebAuth,
): Promise<FastifyReply> {
  const projects = await loadProjectsOverview(ctx, auth)
  return sendMonitoringPage(ctx, req, reply, { title: 'Projects' }, () => (
    <ProjectsPage projects={projects} isSuperuser={auth.user.is_superuser === 1} />
  ))
}

export function registerProjectsRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/projects/', LOGGED_IN, async (req, reply) => {
    return showProjectsOverview(ctx, req, reply, userOf(req))
  })
}
