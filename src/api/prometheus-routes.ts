/**
 * Prometheus metrics of a project (Healthchecks' hc/integrations/prometheus `metrics` view):
 * `GET /projects/<uuid>/metrics/<key>`, the legacy `…/checks/metrics/<key>`, and
 * `GET /projects/<uuid>/metrics/` with `Authorization: Bearer <key>`. Only a read-only key opens
 * it (length ≠ 32 → 400, anything else → 403); the project comes from the key, the UUID in the
 * path is ignored. Deviation: Healthchecks strips the characters of "Bearer " with lstrip, which
 * mangles keys that start with B, e, a, r or a space; we strip the exact prefix.
 * PROMETHEUS_ENABLED=False turns all three into plain 404s. Every failed key (400, 401, 403) counts
 * towards RL-A1 per client IP, as in the management API; past it, 429 with Retry-After before any
 * lookup.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { projectChecks, statusAt, uniqueKey } from '../checks/index.js'
import type { Ctx } from '../context.js'
import { checkApiAuthLimit, findProjectByApiKey, recordApiAuthFailure } from '../projects/index.js'
import type { RouteDoc } from '../route-doc.js'
import { isUuid } from './path-params.js'
import { renderPrometheusMetrics } from './prometheus-text.js'

/** The OpenAPI operations this file serves (src/api/openapi.ts joins them). */
export const PROMETHEUS_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/projects/{project}/metrics/{key}',
    summary: 'Prometheus metrics of the project whose read-only key is given',
    description:
      'The project UUID in the path is ignored. Off with PROMETHEUS_ENABLED=False (404).',
    access: 'public',
    tag: 'metrics',
    responses: prometheusResponses(),
  },
  {
    method: 'get',
    path: '/projects/{project}/checks/metrics/{key}',
    summary: 'Prometheus metrics (legacy path)',
    access: 'public',
    tag: 'metrics',
    responses: prometheusResponses(),
  },
  {
    method: 'get',
    path: '/projects/{project}/metrics/',
    summary: 'Prometheus metrics with `Authorization: Bearer <read-only key>`',
    access: 'prometheus-key',
    tag: 'metrics',
    responses: { ...prometheusResponses(), '401': { description: 'No Bearer header.' } },
  },
]

function prometheusResponses(): RouteDoc['responses'] {
  return {
    '200': { description: 'Prometheus text format.', media: 'text/plain' },
    '400': { description: 'The key is not 32 characters.' },
    '403': { description: 'Not a read-only key.' },
    '404': { description: 'PROMETHEUS_ENABLED is False, or a malformed path.' },
  }
}

export function registerPrometheusRoutes(app: FastifyInstance, ctx: Ctx): void {
  async function metrics(
    req: FastifyRequest,
    reply: FastifyReply,
    projectCode: string,
    key: string | null,
  ) {
    if (!ctx.config.api.prometheusEnabled || !isUuid(projectCode))
      return reply.code(404).type('text/plain; charset=utf-8').send('Not Found')
    const now = ctx.clock.now()
    const wait = await checkApiAuthLimit(ctx, req.ip, now)
    if (wait > 0) return tooManyFailures(reply, wait)
    const auth = key === null ? null : await findProjectByApiKey(ctx, key, true)
    if (!auth?.ok || !auth.value.readonly) {
      await recordApiAuthFailure(ctx, req.ip, now)
      if (auth === null) return reply.code(401).send()
      if (!auth.ok && auth.error.kind === 'missing-api-key') return reply.code(400).send()
      return reply.code(403).send()
    }
    const checks = await projectChecks(ctx.db.kysely, auth.value.project.id)
    const text = renderPrometheusMetrics(
      checks.map((c) => ({
        name: c.name,
        tags: c.tags,
        uniqueKey: uniqueKey(c.code),
        status: statusAt(c, now),
        started: c.last_start !== null,
        lastDurationMs: c.last_duration_ms,
      })),
    )
    return reply.code(200).type('text/plain').send(text)
  }

  type Params = { project: string; key?: string }
  for (const path of [
    '/projects/:project/metrics/:key',
    '/projects/:project/checks/metrics/:key',
  ]) {
    app.get(path, async (req, reply) => {
      const { project, key = '' } = req.params as Params
      // Django's slug converter: any other key matches no route.
      if (!ctx.config.api.prometheusEnabled || !/^[-a-zA-Z0-9_]+$/.test(key))
        return reply.code(404).type('text/plain; charset=utf-8').send('Not Found')
      return metrics(req, reply, project, key)
    })
  }
  app.get('/projects/:project/metrics/', async (req, reply) => {
    const auth = req.headers.authorization
    const key = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : null
    return metrics(req, reply, (req.params as Params).project, key)
  })
}

/** RL-A1 refusal for a plain-text endpoint (a scraper reads the status and Retry-After). */
export function tooManyFailures(reply: FastifyReply, retryAfter: number): FastifyReply {
  return reply
    .code(429)
    .header('retry-after', String(retryAfter))
    .type('text/plain; charset=utf-8')
    .send(`Too many failed key attempts from your address. Try again in ${retryAfter} seconds.`)
}
