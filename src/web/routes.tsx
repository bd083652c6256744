/**
 * The web UI plugin: server-rendered pages with cookie sessions and CSRF-checked forms. Its cookie
 * and form parsers, hooks and error handler are encapsulated here, so `/ping/…` and `/api/…`
 * never see them; only the not-found handler is app-wide (Fastify allows one per prefix), and it
 * answers those prefixes in plain text. Pages: `/` (first run, or the user's projects), `/login`,
 * `/logout`, the monitoring pages (monitoring-routes.ts), `/account/…` (account security), plus the stylesheet and icon under `/static/`.
 */
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { countUsers, providerFormOrigins } from '../accounts/index.js'
import type { Ctx } from '../context.js'
import { logDatabaseUnavailable } from '../database-unavailable.js'
import { isDatabaseFault } from '../db/index.js'
import { newUuid } from '../tokens.js'
import { enforceAccess, installAccessGuard, PUBLIC, STATIC_ASSET } from './access-guard.js'
import { registerAccountRoutes } from './account/account-routes.js'
import { isCsrfValid } from './csrf.js'
import { showHome } from './dashboard/dashboard-routes.js'
import { sendDatabaseUnavailablePage } from './database-unavailable-page.js'
import { ERROR_TEXT, sendErrorPage, unexpectedErrorText } from './error-page.js'
import { registerFirstRunRoutes, showFirstRun } from './first-run/first-run-routes.js'
import { registerLoginRoutes } from './login/login-routes.js'
import { registerOidcRoutes } from './login/oidc-routes.js'
import { registerMonitoringRoutes } from './monitoring-routes.js'
import { FAVICON_SVG, STYLESHEET, STYLESHEET_PATH } from './stylesheet.js'
import { unsubscribeRoutes } from './unsubscribe/unsubscribe-routes.js'
import { loadWebAuth } from './web-auth.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A static asset: served without looking up the session. */
    staticAsset?: boolean
  }
}

/** Forms are small; anything bigger is not a form of ours. */
const FORM_BODY_LIMIT = 64 * 1024

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
}

/**
 * With OIDC on, "Log in with …" and the confirm form post to us and are redirected to the
 * provider: CSP form-action covers that redirect, so the provider's origin is allowed too (LG-9).
 */
function securityHeaders(ctx: Ctx): Record<string, string> {
  const oidc = ctx.config.accounts.oidc
  if (!oidc) return SECURITY_HEADERS
  const formAction = ["'self'", ...providerFormOrigins(oidc)].join(' ')
  return {
    ...SECURITY_HEADERS,
    'content-security-policy': `default-src 'self'; base-uri 'none'; form-action ${formAction}; frame-ancestors 'none'`,
  }
}

const ERROR_TITLES: Record<number, string> = {
  400: 'Bad request',
  403: 'Forbidden',
  404: 'Page not found',
  413: 'Request too large',
  415: 'Unsupported request',
}

export const webRoutes: FastifyPluginAsync<{ ctx: Ctx }> = async (app, { ctx }) => {
  await app.register(cookie)
  await app.register(formbody, { bodyLimit: FORM_BODY_LIMIT })
  app.decorateRequest('webAuth', null)
  // Every route below declares who may use it; one that does not fails to register.
  installAccessGuard(app)

  app.addHook('onSend', async (_req, reply: FastifyReply, payload) => {
    reply.headers(securityHeaders(ctx))
    // Pages show private data: keep them out of shared and back/forward caches.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store')
    return payload
  })

  app.addHook('preHandler', async (req, reply) => {
    if (req.is404 || req.routeOptions.config.staticAsset) return
    await loadWebAuth(ctx, req, reply)
    const refused = await enforceAccess(ctx, req, reply)
    if (refused) return refused
    if (
      req.method === 'POST' &&
      req.routeOptions.config.signedLink !== true &&
      !isCsrfValid(ctx, req, req.routeOptions.config.anonymousForm === true)
    ) {
      return sendErrorPage(reply, ctx.config, 403, {
        title: 'Form expired',
        message: ERROR_TEXT.csrf,
      })
    }
  })

  app.setErrorHandler((error, req, reply) => {
    const status = (error as { statusCode?: number }).statusCode
    if (status && status >= 400 && status < 500) {
      const title = ERROR_TITLES[status] ?? 'Request refused'
      return sendErrorPage(reply, ctx.config, status, { title, message: (error as Error).message })
    }
    if (isDatabaseFault(error)) {
      logDatabaseUnavailable(req, error)
      return sendDatabaseUnavailablePage(reply, ctx.config)
    }
    const incident = newUuid().slice(0, 8)
    req.log.error({ err: error, incident, url: req.url }, 'unexpected error')
    return sendErrorPage(reply, ctx.config, 500, {
      title: 'Something went wrong',
      message: unexpectedErrorText(incident),
    })
  })

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]
    if (path.startsWith('/ping/') || path.startsWith('/api/')) {
      return reply.code(404).type('text/plain; charset=utf-8').send('not found')
    }
    return sendErrorPage(reply, ctx.config, 404, {
      title: ERROR_TITLES[404],
      message: ERROR_TEXT.notFound,
    })
  })

  app.get(STYLESHEET_PATH, STATIC_ASSET, async (_req, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(STYLESHEET),
  )
  // Browsers ask for /favicon.ico on their own (e.g. showing /admin/system.json): the same SVG,
  // which they accept whatever the name says.
  for (const path of ['/static/favicon.svg', '/favicon.ico']) {
    app.get(path, STATIC_ASSET, async (_req, reply) =>
      reply
        .type('image/svg+xml')
        .header('cache-control', 'public, max-age=86400')
        .send(FAVICON_SVG),
    )
  }

  app.get('/', PUBLIC, async (req, reply) => {
    if (req.webAuth) return showHome(ctx, req, reply, req.webAuth)
    if ((await countUsers(ctx)) === 0) return showFirstRun(ctx, req, reply)
    return reply.redirect('/login', 303)
  })
  registerFirstRunRoutes(app, ctx)
  registerLoginRoutes(app, ctx)
  registerOidcRoutes(app, ctx)
  registerMonitoringRoutes(app, ctx)
  registerAccountRoutes(app, ctx)
  await app.register(unsubscribeRoutes, { ctx })
}
