/**
 * Strict-Transport-Security on every response (pages, API, pings, errors) when SITE_ROOT is https
 * (issue 11 F9), as Django's SecurityMiddleware does with SECURE_HSTS_SECONDS; nothing over http.
 */
import type { FastifyInstance } from 'fastify'
import type { HttpServerConfig } from './config/index.js'

export function sendHsts(app: FastifyInstance, limits: HttpServerConfig): void {
  if (limits.hstsSeconds <= 0) return
  const value = `max-age=${limits.hstsSeconds}`
  // onSend: runs for every reply, including 404s, refusals and the error handler's pages.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('strict-transport-security', value)
    return payload
  })
}
