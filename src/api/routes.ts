/**
 * The management API plugin: Healthchecks' API v1/v2/v3 (checks, pings, flips, channels, badges,
 * operator metrics, Twilio status callbacks, bounces), Vigil's v3 channel provisioning and
 * OpenAPI document, the Prometheus metrics under /projects/<uuid>/metrics/ and the badge images
 * (badges/). Bodies are read raw and parsed by endpoint.ts, so JSON is accepted whatever the
 * Content-Type, as Healthchecks does.
 * Not here: /api/vN/status/ (status-routes.ts).
 */
import type { FastifyPluginAsync } from 'fastify'
import { registerBadgeRoutes } from '../badges/index.js'
import type { Ctx } from '../context.js'
import { registerChannelRoutes } from './channel-routes.js'
import { registerCheckRoutes } from './check-routes.js'
import { registerDeliveryReportRoutes } from './delivery-report-routes.js'
import { registerFlipRoutes } from './flip-routes.js'
import { registerHoldRoutes } from './hold-routes.js'
import { registerMetricsRoutes } from './metrics-routes.js'
import { registerOpenApiRoutes } from './openapi-routes.js'
import { registerPingRoutes } from './ping-routes.js'
import { registerProjectRoutes } from './project-routes.js'
import { registerPrometheusRoutes } from './prometheus-routes.js'

export const apiRoutes: FastifyPluginAsync<{ ctx: Ctx }> = async (app, { ctx }) => {
  // Scoped to this plugin: any body is kept as bytes; a missing or odd Content-Type means
  // nothing here (Fastify would answer 415 for an empty one before any handler runs).
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
  app.addHook('onRequest', async (req) => {
    delete req.headers['content-type']
  })
  registerCheckRoutes(app, ctx)
  registerPingRoutes(app, ctx)
  registerFlipRoutes(app, ctx)
  registerProjectRoutes(app, ctx)
  registerChannelRoutes(app, ctx)
  registerPrometheusRoutes(app, ctx)
  registerMetricsRoutes(app, ctx)
  registerDeliveryReportRoutes(app, ctx)
  registerOpenApiRoutes(app, ctx)
  registerBadgeRoutes(app, ctx)
  registerHoldRoutes(app, ctx)
}
