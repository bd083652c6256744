/**
 * Builds the Fastify application (without listening, so tests use `inject` or listen on port 0).
 * Each feature registers its own routes as a plugin; this file only wires them and installs the
 * one error handler that turns anything unexpected into a logged incident id, never a stack trace.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify'
import { apiRoutes } from './api/routes.js'
import { apiStatusRoutes } from './api/status-routes.js'
import type { Ctx } from './context.js'
import { pingRoutes } from './pings/routes.js'
import { newUuid } from './tokens.js'
import { webRoutes } from './web/routes.js'

export interface AppOptions {
  /** Serve the web pages (the `web` and `all` roles do). Default true. */
  web?: boolean
}

export async function buildApp(ctx: Ctx, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    // No per-request log lines: pings arrive by the thousand; errors are logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    // Only configured proxies may set the client address; otherwise anyone could pick their own IP
    // and slip past per-IP rate limits. (Ping metadata follows Healthchecks and reads the header
    // itself, see pings/client-info.)
    trustProxy: ctx.config.trustedProxyCidrs.length > 0 ? ctx.config.trustedProxyCidrs : false,
    // Ping bodies are limited by PING_BODY_LIMIT inside the ping plugin; this is the outer cap.
    bodyLimit: Math.max(2_621_440, (ctx.config.pingBodyLimit ?? 0) + 1024 * 1024),
  })

  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode
    if (status && status >= 400 && status < 500) {
      // Framework-level client errors (bad JSON, body too large, bad content type): short and plain.
      return reply
        .code(status)
        .type('text/plain; charset=utf-8')
        .send((error as Error).message)
    }
    const incident = newUuid().slice(0, 8)
    request.log.error({ err: error, incident, url: request.url }, 'unexpected error')
    return reply
      .code(500)
      .type('text/plain; charset=utf-8')
      .send(
        `Something went wrong on our side (incident ${incident}). The administrator can find it in the log.`,
      )
  })

  await app.register(pingRoutes, { ctx })
  await app.register(apiStatusRoutes, { ctx })
  await app.register(apiRoutes, { ctx })
  if (options.web !== false) await app.register(webRoutes, { ctx })
  return app
}
