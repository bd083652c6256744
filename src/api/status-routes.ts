/**
 * GET /api/v1|v2|v3/status/: Healthchecks' health endpoint for load balancers and Docker
 * HEALTHCHECK. Answers `OK` when the database answers, else 503 with a short reason.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Ctx } from '../context.js'
import { isDatabaseUp } from '../db/index.js'
import type { RouteDoc } from '../route-doc.js'

/** The OpenAPI operations this file serves (src/api/openapi.ts joins them). */
export const STATUS_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v3/status/',
    summary: 'Health check for load balancers',
    access: 'public',
    tag: 'meta',
    responses: {
      '200': { description: '`OK`', media: 'text/plain' },
      '503': { description: 'The database does not answer.', media: 'text/plain' },
    },
  },
]

export const apiStatusRoutes: FastifyPluginAsync<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get('/api/:version(v1|v2|v3)/status/', async (_req, reply) => {
    const up = await isDatabaseUp(ctx.db)
    return reply
      .code(up ? 200 : 503)
      .type('text/plain; charset=utf-8')
      .send(up ? 'OK' : 'database unavailable')
  })
}
