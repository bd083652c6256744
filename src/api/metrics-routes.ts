/**
 * `GET /api/v1|v2|v3/metrics/`: operator metrics (operator-metrics.ts) for monitoring Vigil
 * itself. As Healthchecks: no CORS wrapper and any method; without METRICS_KEY, or without an
 * X-Metrics-Key header equal to it, an empty 403. The key is compared in constant time, and with
 * METRICS_KEY set each wrong or missing key counts towards RL-A1 (429 with Retry-After past it).
 */
import type { FastifyInstance } from 'fastify'
import type { Ctx } from '../context.js'
import { checkApiAuthLimit, recordApiAuthFailure } from '../projects/index.js'
import type { RouteDoc } from '../route-doc.js'
import { safeEqual } from '../tokens.js'
import { readOperatorMetrics } from './operator-metrics.js'

/** The OpenAPI operations this file serves (src/api/openapi.ts joins them). */
export const METRICS_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v3/metrics/',
    summary: 'Operator metrics of the whole instance',
    description: 'Needs METRICS_KEY set and sent as X-Metrics-Key. Any method is accepted.',
    access: 'metrics-key',
    tag: 'metrics',
    responses: {
      '200': { description: 'Metrics.', schema: 'OperatorMetrics' },
      '403': { description: 'No METRICS_KEY, or a wrong one (empty body).' },
    },
  },
]

export function registerMetricsRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.all('/api/:version(v1|v2|v3)/metrics/', async (req, reply) => {
    const expected = ctx.config.api.metricsKey
    if (expected === null) return reply.code(403).send()
    const now = ctx.clock.now()
    const wait = await checkApiAuthLimit(ctx, req.ip, now)
    if (wait > 0)
      return reply
        .code(429)
        .header('retry-after', String(wait))
        .send({ error: 'rate_limited', retry_after: wait })
    const sent = req.headers['x-metrics-key']
    if (typeof sent !== 'string' || !safeEqual(sent, expected)) {
      await recordApiAuthFailure(ctx, req.ip, now)
      return reply.code(403).send()
    }
    const metrics = await readOperatorMetrics(ctx)
    return reply.type('application/json').send(JSON.stringify(metrics))
  })
}
