/**
 * GET /checks/: the dashboard of the logged-in user (anonymous visitors go to /login). The home
 * route shows the same page through `showDashboard`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Ctx } from '../../context.js'
import { formCsrfToken } from '../csrf.js'
import { sendPage } from '../render.js'
import type { WebAuth } from '../web-auth.js'
import { DashboardPage } from './dashboard-page.js'
import { loadDashboard } from './load-dashboard.js'

export async function showDashboard(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  auth: WebAuth,
): Promise<FastifyReply> {
  const projects = await loadDashboard(ctx, auth.user.id)
  const account = { email: auth.user.email, csrf: formCsrfToken(ctx, req, reply) }
  return sendPage(
    reply,
    200,
    <DashboardPage
      siteName={ctx.config.siteName}
      account={account}
      projects={projects}
      pingEndpoint={ctx.config.pingEndpoint}
      now={ctx.clock.now()}
    />,
  )
}

export function registerDashboardRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/checks/', async (req, reply) => {
    if (!req.webAuth) return reply.redirect('/login', 303)
    return showDashboard(ctx, req, reply, req.webAuth)
  })
}
