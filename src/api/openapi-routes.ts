/**
 * `GET /api/v3/openapi.json` (Vigil extension, no key needed): the OpenAPI 3.1 document of the
 * API (openapi.ts), with the CORS headers of every API endpoint so browser tools can load it.
 */
import type { FastifyInstance } from 'fastify'
import type { Ctx } from '../context.js'
import type { RouteDoc } from '../route-doc.js'
import { apiEndpoint } from './endpoint.js'
import { openApiDocument } from './openapi.js'

/** The OpenAPI operations this file serves (src/api/openapi.ts joins them). */
export const OPENAPI_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v3/openapi.json',
    summary: 'This document',
    access: 'public',
    tag: 'meta',
    extension: true,
    responses: { '200': { description: 'OpenAPI 3.1 document.', media: 'application/json' } },
  },
]

export function registerOpenApiRoutes(app: FastifyInstance, ctx: Ctx): void {
  const document = openApiDocument(ctx.config.siteRoot)
  apiEndpoint(app, ['/openapi.json'], (_params, version) =>
    version === 3 ? { GET: async () => ({ status: 200, json: document }) } : null,
  )
}
