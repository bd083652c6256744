/**
 * Registers the monitoring pages (projects, checks dashboard, check form and details,
 * integrations, badges, project settings, the admin status page, status pages), their
 * client scripts under /static/ and the theme switch, inside the web plugin so they share its
 * session, CSRF and error handling.
 */
import type { FastifyInstance } from 'fastify'
import type { Ctx } from '../context.js'
import { STATIC_ASSET } from './access-guard.js'
import { registerAdminRoutes } from './admin/routes.js'
import { CLIENT_SCRIPTS } from './assets/client-scripts.js'
import { registerBadgesRoutes } from './badges/routes.js'
import { registerCheckDetailsRoutes } from './check-details/check-details-routes.js'
import { registerCheckFormRoutes } from './check-form/check-form-routes.js'
import { registerDashboardRoutes } from './dashboard/dashboard-routes.js'
import { registerChannelFormRoutes } from './integrations/channel-form-routes.js'
import { registerChannelRepeatRoutes } from './integrations/channel-repeat-routes.js'
import { registerIntegrationsRoutes } from './integrations/integrations-routes.js'
import { registerProjectSettingsRoutes } from './project-settings/routes.js'
import { registerProjectsRoutes } from './projects/projects-routes.js'
import { registerStatusPages } from './status-pages/routes.js'
import { registerThemeRoutes } from './theme-routes.js'

export function registerMonitoringRoutes(app: FastifyInstance, ctx: Ctx): void {
  for (const script of CLIENT_SCRIPTS) {
    app.get(script.path, STATIC_ASSET, async (_req, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(script.body),
    )
  }
  registerThemeRoutes(app, ctx)
  registerProjectsRoutes(app, ctx)
  registerDashboardRoutes(app, ctx)
  registerCheckFormRoutes(app, ctx)
  registerCheckDetailsRoutes(app, ctx)
  registerIntegrationsRoutes(app, ctx)
  registerChannelFormRoutes(app, ctx)
  registerChannelRepeatRoutes(app, ctx)
  registerBadgesRoutes(app, ctx)
  registerProjectSettingsRoutes(app, ctx)
  registerAdminRoutes(app, ctx)
  registerStatusPages(app, ctx)
}
