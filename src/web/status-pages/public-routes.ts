/**
 * The public status page routes, open to anyone: /status/<slug> (HTML), /status/<slug>/status.json
 * and /status/<slug>/feed.atom; a private page takes its token as `?token=`. No session is looked
 * up (the output is the same for everyone). Each output is kept CACHE_MS per page, format and
 * theme, and each slug lookup as long, so a burst of visitors costs one set of queries; a change
 * made through this process's management pages clears its entries at once (`forget`), other
 * processes show it within CACHE_MS.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { h } from 'preact'
import { renderToString } from 'preact-render-to-string'
import type { Ctx } from '../../context.js'
import type { StatusPage } from '../../db/index.js'
import {
  findStatusPageBySlug,
  loadStatusView,
  openStatusPage,
  statusAtom,
  statusJson,
  TtlCache,
} from '../../status-pages/index.js'
import { sendErrorPage } from '../error-page.js'
import { sendNotFound } from '../monitoring-page.js'
import { THEME_COOKIE, ThemeContext, themeFrom } from '../theme.js'
import { setRetryAfter } from '../web-errors.js'
import { PublicStatusPage } from './public-page.js'

/** How long a rendered page, and a slug's page, are kept. */
export const CACHE_MS = 15_000

/** Public, and no session lookup: the page shows the same to everyone. */
const STATUS_ROUTE = { config: { access: 'public', staticAsset: true } } as const

type Format = 'html' | 'json' | 'atom'

const TYPES: Record<Format, string> = {
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
}

/** The caches of one app: rendered outputs and slug lookups. */
export class StatusPageCaches {
  readonly outputs = new TtlCache<string>(CACHE_MS)
  readonly pages = new TtlCache<StatusPage | null>(CACHE_MS)

  /** Drops what this process keeps of `page` (under its slug, and its outputs). */
  forget(page: StatusPage): void {
    this.pages.deleteWhere((slug) => slug === page.slug)
    this.outputs.deleteWhere((key) => key.startsWith(`${page.id}:`))
  }
}

type Params = { Params: { slug: string }; Querystring: { token?: unknown } }

export function registerPublicStatusRoutes(
  app: FastifyInstance,
  ctx: Ctx,
  caches: StatusPageCaches,
): void {
  async function render(
    req: FastifyRequest<Params>,
    page: StatusPage,
    format: Format,
    token: string,
  ) {
    const view = await loadStatusView(ctx, page)
    const withToken = page.token_hash === null ? null : token
    const path = (suffix: string) =>
      `/status/${page.slug}${suffix}${withToken ? `?token=${encodeURIComponent(withToken)}` : ''}`
    if (format === 'json') return JSON.stringify(statusJson(view))
    const root = ctx.config.siteRoot
    if (format === 'atom')
      return statusAtom(view, {
        pageUrl: `${root}${path('')}`,
        feedUrl: `${root}${path('/feed.atom')}`,
      })
    const theme = themeFrom(req.cookies?.[THEME_COOKIE])
    const links = { json: path('/status.json'), atom: path('/feed.atom') }
    const vnode = h(PublicStatusPage, { view, siteName: ctx.config.siteName, links })
    return `<!doctype html>\n${renderToString(h(ThemeContext.Provider, { value: theme }, vnode))}`
  }

  async function serve(req: FastifyRequest<Params>, reply: FastifyReply, format: Format) {
    const now = ctx.clock.now()
    const token = typeof req.query.token === 'string' ? req.query.token : ''
    const slug = req.params.slug
    const lookup = (s: string) =>
      caches.pages.getOrSet(s, now, () => findStatusPageBySlug(ctx.db.kysely, s))
    const r = await openStatusPage(ctx, { slug, token, ip: req.ip, lookup })
    if (!r.ok && r.error.kind === 'rate-limited') {
      setRetryAfter(reply, r.error)
      return sendErrorPage(reply, ctx.config, 429, {
        title: 'Too many requests',
        message: `Too many requests for pages that do not exist. Try again in ${r.error.retryAfterSeconds} seconds.`,
      })
    }
    if (!r.ok) return sendNotFound(ctx, reply)
    const page = r.value
    const theme = format === 'html' ? themeFrom(req.cookies?.[THEME_COOKIE]) : '-'
    const key = `${page.id}:${page.token_hash ?? ''}:${format}:${theme}`
    const body = await caches.outputs.getOrSet(key, now, () => render(req, page, format, token))
    const isPublic = page.token_hash === null
    reply.header(
      'cache-control',
      isPublic ? `public, max-age=${CACHE_MS / 1000}` : 'private, no-store',
    )
    if (!isPublic) reply.header('x-robots-tag', 'noindex')
    return reply.code(200).type(TYPES[format]).send(body)
  }

  app.get<Params>('/status/:slug', STATUS_ROUTE, (req, reply) => serve(req, reply, 'html'))
  app.get<Params>('/status/:slug/status.json', STATUS_ROUTE, (req, reply) =>
    serve(req, reply, 'json'),
  )
  app.get<Params>('/status/:slug/feed.atom', STATUS_ROUTE, (req, reply) =>
    serve(req, reply, 'atom'),
  )
}
