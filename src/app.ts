/**
 * Builds the Fastify application (without listening, so tests use `inject` or listen on port 0).
 * Each feature registers its own routes as a plugin; this file only wires them and installs the
 * one error handler that turns anything unexpected into a logged incident id, never a stack trace.
 */
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
  type RouteOptions,
} from 'fastify'
import { apiRoutes, apiStatusRoutes } from './api/index.js'
import { allowedHosts, hostAllowed, hostName } from './config/index.js'
import type { Ctx } from './context.js'
import { logDatabaseUnavailable, sendDatabaseUnavailable } from './database-unavailable.js'
import { isDatabaseFault } from './db/index.js'
import { sendHsts } from './hsts.js'
import { capConnections, serverLimits } from './http-limits.js'
import { pingRoutes } from './pings/index.js'
import { newUuid } from './tokens.js'
import { webRoutes } from './web/index.js'

export interface AppOptions {
  /** Serve the web pages (the `web` and `all` roles do). Default true. */
  web?: boolean
  /** Told of every route as it is registered (tests enumerate the routes to fuzz and guard them). */
  onRoute?: (route: RouteOptions) => void
}

export async function buildApp(ctx: Ctx, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // Timeouts, keep-alive and requests per socket (F3): where the server is created.
    ...serverLimits(ctx.config.http),
    loggerInstance: ctx.log as FastifyBaseLogger,
    // No per-request log lines: pings arrive by the thousand; errors are logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    // Only configured proxies may set the client address; otherwise anyone could pick their own IP
    // and slip past per-IP rate limits. (Ping metadata follows Healthchecks and reads the header
    // itself, see pings/client-info.)
    trustProxy: ctx.config.trustedProxyCidrs.length > 0 ? ctx.config.trustedProxyCidrs : false,
    // Ping bodies are limited by PING_BODY_LIMIT inside the ping plugin; this is the outer cap.
    // Path parameters up to 300 characters: an alert email's unsubscribe token (64 hex, a base62
    // time and a 43-character signature, as Healthchecks) is longer than Fastify's default 100.
    routerOptions: { maxParamLength: 300 },
    bodyLimit: Math.max(2_621_440, (ctx.config.pingBodyLimit ?? 0) + 1024 * 1024),
  })
  if (options.onRoute) app.addHook('onRoute', options.onRoute)

  capConnections(app, ctx.config.http)
  sendHsts(app, ctx.config.http)
  rejectDisallowedHosts(app, ctx)

  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode
    if (status && status >= 400 && status < 500) {
      // Framework-level client errors (bad JSON, body too large, bad content type): short and plain.
      return reply
        .code(status)
        .type('text/plain; charset=utf-8')
        .send((error as Error).message)
    }
    if (isDatabaseFault(error)) {
      logDatabaseUnavailable(request, error)
      return sendDatabaseUnavailable(request, reply)
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

/**
 * ALLOWED_HOSTS on every request, as Django's CommonMiddleware: a Host (or, from a trusted proxy,
 * X-Forwarded-Host) that is not allowed gets 400 before any route runs. Each refused host is
 * logged once per process, so a scanner cannot fill the log.
 */
function rejectDisallowedHosts(app: FastifyInstance, ctx: Ctx): void {
  const allowed = allowedHosts(ctx.config)
  if (allowed.includes('*')) return
  const logged = new Set<string>()
  app.addHook('onRequest', async (req, reply) => {
    const host = hostName(req.host)
    if (host !== null && hostAllowed(host, allowed)) return
    const shown = host ?? 'a missing or malformed host name'
    if (logged.size < 100 && !logged.has(shown)) {
      logged.add(shown)
      req.log.warn({ host: req.host, allowed }, 'request for a host not in ALLOWED_HOSTS refused')
    }
    return reply
      .code(400)
      .type('text/plain; charset=utf-8')
      .send(
        `Bad Request (400): this server does not answer to ${host === null ? shown : `the host name ${host}`}. ` +
          'If this is your server, add the name to ALLOWED_HOSTS.',
      )
  })
}
