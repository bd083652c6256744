/**
 * `GET /api/v1|v2|v3/metrics/`: operator metrics (operator-metrics.ts) for monitoring Vigil
 * itself. As Healthchecks: no CORS wrapper and any method; without METRICS_KEY, or without an
 * X-Metrics-Key header equal to it, an empty 403. The key is compared in constant time.
 */
import type { FastifyInstance } from 'fastify'
import type { Ctx } from '../context.js'
import { safeEqual } from '../tokens.js'
import { readOperatorMetrics } from './operator-metrics.js'

export function registerMetricsRoutes(app: FastifyInstance, ctx: Ctx): void {
  for (const version of [1, 2, 3]) {
    app.all(`/api/v${version}/metrics/`, async (req, reply) => {
      const expected = ctx.config.api.metricsKey
      const sent = req.headers['x-metrics-key']
      if (expected === null || typeof sent !== 'string' || !safeEqual(sent, expected))
        return reply.code(403).send()
      const metrics = await readOperatorMetrics(ctx)
      return reply.type('application/json').send(JSON.stringify(metrics))
    })
  }
}
