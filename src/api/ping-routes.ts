/**
 * `GET /api/vN/checks/<uuid>/pings/` (a check's recent pings, newest first) and
 * `GET /api/vN/checks/<uuid>/pings/<n>/body` (one ping's raw body), read-write keys only as in
 * Healthchecks. The ping JSON (Ping.to_dict) is shaped here; the queries are in checks/list-pings.
 */
import type { FastifyInstance } from 'fastify'
import {
  findProjectCheck,
  getPingBody,
  type ListedPing,
  listPings,
  pairingWindowMs,
} from '../checks/index.js'
import type { Ctx } from '../context.js'
import { AUTH_ERRORS, NOT_YOURS, type RouteDoc } from '../route-doc.js'
import { authorize } from './api-auth.js'
import { errorReply } from './api-reply.js'
import { apiEndpoint } from './endpoint.js'
import { isPingNumber, isUuid } from './path-params.js'

/** Python's datetime.isoformat() in UTC: microseconds only when there are any. */
export function isoMicros(ms: number): string {
  const iso = new Date(ms).toISOString()
  const fraction = ms % 1000 === 0 ? '' : `.${iso.slice(20, 23)}000`
  return `${iso.slice(0, 19)}${fraction}+00:00`
}

/** Healthchecks' Ping.to_dict; `bodyUrlBase` is …/api/vN/checks/<uuid>/pings/. */
export function pingJson(p: ListedPing, bodyUrlBase: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    type: p.kind,
    date: isoMicros(p.created),
    n: p.n,
    scheme: p.scheme,
    remote_addr: p.remote_addr,
    method: p.method,
    ua: p.ua,
    rid: p.rid,
    body_url: p.hasBody ? `${bodyUrlBase}${p.n}/body` : null,
  }
  if (p.durationMs !== null) out.duration = p.durationMs / 1000
  return out
}

/** The OpenAPI operations this file serves (src/api/openapi.ts joins them). */
export const PING_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v3/checks/{code}/pings/',
    summary: "List a check's recent pings, newest first",
    access: 'write',
    tag: 'pings',
    responses: {
      '200': { description: 'The pings.', schema: 'PingList' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
  {
    method: 'get',
    path: '/api/v3/checks/{code}/pings/{n}/body',
    summary: "A ping's raw body",
    access: 'write',
    tag: 'pings',
    responses: {
      '200': { description: 'The body bytes.', media: 'text/plain' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
]

export function registerPingRoutes(app: FastifyInstance, ctx: Ctx): void {
  apiEndpoint(app, ['/checks/:code/pings/', '/checks/:code/pings'], ({ code }) =>
    isUuid(code)
      ? {
          GET: async (call) => {
            const auth = await authorize(ctx, call, 'write')
            if (!auth.ok) return errorReply(auth.error)
            const { project } = auth.value
            const check = await findProjectCheck(ctx.db.kysely, project.id, code)
            if (!check.ok) return errorReply(check.error)
            const window = pairingWindowMs(check.value)
            const pings = await listPings(ctx, check.value.id, project.ping_log_limit, window)
            const base = `${ctx.config.siteRoot}/api/v${call.version}/checks/${code}/pings/`
            return { status: 200, json: { pings: pings.map((p) => pingJson(p, base)) } }
          },
        }
      : null,
  )

  apiEndpoint(app, ['/checks/:code/pings/:n/body'], ({ code, n }) =>
    isUuid(code) && isPingNumber(n)
      ? {
          GET: async (call) => {
            const auth = await authorize(ctx, call, 'write')
            if (!auth.ok) return errorReply(auth.error)
            const { project } = auth.value
            const check = await findProjectCheck(ctx.db.kysely, project.id, code)
            if (!check.ok) return errorReply(check.error)
            const body = await getPingBody(ctx, check.value, Number(n), project.ping_log_limit)
            return body.ok ? { status: 200, bytes: body.value } : errorReply(body.error)
          },
        }
      : null,
  )
}
