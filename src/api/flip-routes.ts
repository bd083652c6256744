/**
 * `GET /api/vN/checks/<uuid|unique_key>/flips/`: a check's status changes, `{"flips": […]}` newest
 * first, with Healthchecks' FlipsFiltersForm rules for `start`, `end` (unix seconds, 0..10¹⁰) and
 * `seconds` (0..31536000); any invalid value is an empty 400. Read-only keys are accepted. v3 adds
 * each flip's `held_reason` (a Vigil extension); v1 and v2 answer exactly as Healthchecks.
 */
import type { FastifyInstance } from 'fastify'
import {
  type ApiVersion,
  type FlipFilters,
  findCheckByUniqueKey,
  findProjectCheck,
  isoSeconds,
  listFlips,
} from '../checks/index.js'
import type { Ctx } from '../context.js'
import type { Flip } from '../db/index.js'
import { AUTH_ERRORS, NOT_YOURS, type RouteDoc } from '../route-doc.js'
import { authorize } from './api-auth.js'
import { errorReply } from './api-reply.js'
import { type ApiCall, apiEndpoint } from './endpoint.js'
import { isUniqueKey, isUuid, lastValue } from './path-params.js'

/** Python's int(): surrounding whitespace, a sign and digit-group underscores are allowed. */
function pyInt(s: string): number | null {
  const t = s.trim()
  return /^[+-]?\d+(_\d+)*$/.test(t) ? Number(t.replace(/_/g, '')) : null
}

/** The filters of the query string, or null when one is invalid. */
export function parseFlipFilters(query: ApiCall['query']): FlipFilters | null {
  const f: FlipFilters = { start: null, end: null, seconds: null }
  for (const field of ['start', 'end'] as const) {
    const raw = lastValue(query[field])
    if (raw === undefined) continue
    // TimestampField: "" is not an integer either.
    const n = pyInt(raw)
    if (n === null || n < 0 || n > 10_000_000_000) return null
    f[field] = n * 1000
  }
  const raw = lastValue(query.seconds)
  // IntegerField: empty means absent; a trailing ".0" is tolerated (Django strips it).
  if (raw !== undefined && raw !== '') {
    const n = pyInt(raw.replace(/\.0*\s*$/, ''))
    if (n === null || n < 0 || n > 31_536_000) return null
    f.seconds = n
  }
  return f
}

/**
 * One flip as JSON: Healthchecks' `timestamp` and `up`; v3 adds `held_reason` (Vigil extension:
 * why an alert gate held or suppressed the flip's alert, '' when none). v1/v2 stay Healthchecks'.
 */
export function flipJson(f: Flip, version: ApiVersion): Record<string, unknown> {
  const json: Record<string, unknown> = {
    timestamp: isoSeconds(f.created),
    up: f.new_status === 'up' ? 1 : 0,
  }
  if (version >= 3) json.held_reason = f.held_reason
  return json
}

/** The OpenAPI operations this file serves (src/api/openapi.ts joins them). */
export const FLIP_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v3/checks/{code}/flips/',
    summary: "List a check's status changes, newest first",
    description: 'Filters: `start`, `end` (unix seconds), `seconds` (how far back).',
    access: 'read',
    tag: 'flips',
    responses: {
      '200': { description: 'The flips.', schema: 'FlipList' },
      '400': { description: 'An invalid filter (empty body).' },
      ...AUTH_ERRORS,
      ...NOT_YOURS,
    },
  },
]

export function registerFlipRoutes(app: FastifyInstance, ctx: Ctx): void {
  apiEndpoint(app, ['/checks/:code/flips/', '/checks/:code/flips'], ({ code }, version) =>
    isUuid(code) || isUniqueKey(code)
      ? {
          GET: async (call) => {
            const auth = await authorize(ctx, call, 'read')
            if (!auth.ok) return errorReply(auth.error)
            const projectId = auth.value.project.id
            const check = isUuid(code)
              ? await findProjectCheck(ctx.db.kysely, projectId, code)
              : await findCheckByUniqueKey(ctx.db.kysely, projectId, code)
            if (!check.ok) return errorReply(check.error)
            const filters = parseFlipFilters(call.query)
            if (filters === null) return errorReply({ kind: 'invalid-filter' })
            const flips = await listFlips(ctx, check.value.id, filters)
            return { status: 200, json: { flips: flips.map((f) => flipJson(f, version)) } }
          },
        }
      : null,
  )
}
