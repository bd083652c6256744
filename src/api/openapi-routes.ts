/**
 * `GET /api/v3/openapi.json` (Vigil extension, no key needed): the OpenAPI 3.1 document of the
 * API (openapi.ts), with the CORS headers of every API endpoint so browser tools can load it.
 */
import type { FastifyInstance } from 'fastify'
import type { Ctx } from '../context.js'
import { apiEndpoint } from './endpoint.js'
import { openApiDocument } from './openapi.js'

export function registerOpenApiRoutes(app: FastifyInstance, ctx: Ctx): void {
  const document = openApiDocument(ctx.config.siteRoot)
  apiEndpoint(app, ['/openapi.json'], (_params, version) =>
    version === 3 ? { GET: async () => ({ status: 200, json: document }) } : null,
  )
}
