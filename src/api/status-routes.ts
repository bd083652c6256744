/**
 * GET /api/v1|v2|v3/status/: Healthchecks' health endpoint for load balancers and Docker
 * HEALTHCHECK. Answers `OK` when the database answers, else 503 with a short reason.
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Ctx } from '../context.js'
import { isDatabaseUp } from '../db/index.js'

export const apiStatusRoutes: FastifyPluginAsync<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get('/api/:version(v1|v2|v3)/status/', async (_req, reply) => {
    const up = await isDatabaseUp(ctx.db)
    return reply
      .code(up ? 200 : 503)
      .type('text/plain; charset=utf-8')
      .send(up ? 'OK' : 'database unavailable')
  })
}
