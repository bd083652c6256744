/**
 * Project-wide API endpoint `GET /api/vN/badges/` (signed badge URLs for every tag and `*`,
 * read-only keys accepted), as Healthchecks' badges view. Channels are in channel-routes.ts.
 */
import type { FastifyInstance } from 'fastify'
import { projectTags } from '../checks/index.js'
import type { Ctx } from '../context.js'
import { badgeUrls } from '../projects/index.js'
import { AUTH_ERRORS, type RouteDoc } from '../route-doc.js'
import { authorize } from './api-auth.js'
import { errorReply } from './api-reply.js'
import { apiEndpoint } from './endpoint.js'

/** The OpenAPI operations this file serves (src/api/openapi.ts joins them). */
export const PROJECT_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v3/badges/',
    summary: 'Signed badge URLs for every tag and for all checks (`*`)',
    access: 'read',
    tag: 'badges',
    responses: {
      '200': { description: 'Badge URLs per tag.', schema: 'BadgeUrls' },
      ...AUTH_ERRORS,
    },
  },
]

export function registerProjectRoutes(app: FastifyInstance, ctx: Ctx): void {
  apiEndpoint(app, ['/badges/', '/badges'], () => ({
    GET: async (call) => {
      const auth = await authorize(ctx, call, 'read')
      if (!auth.ok) return errorReply(auth.error)
      const { project } = auth.value
      const badges: Record<string, Record<string, string>> = {}
      for (const tag of [...(await projectTags(ctx.db.kysely, project.id)), '*']) {
        badges[tag] = badgeUrls(ctx.config, project.badge_key, tag)
      }
      return { status: 200, json: { badges } }
    },
  }))
}
