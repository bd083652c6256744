/**
 * The one access guard of the web UI (issue 11 F2/F5, DESIGN "Access: one guard"): every route of
 * the web plugin declares `config.access` — `'public'`, `'user'` (logged in), `'superuser'`, or the
 * project resource it acts on — and a route without one fails at registration. One preHandler
 * resolves the resource from the *decoded* route parameter (check → project, channel → project;
 * UUIDs case-insensitively: the parameter is rewritten to its stored lower-case form), then
 * enforces log-in, membership (404, as Healthchecks), the project's 2FA policy (TEAM-3) and the
 * role (read-only members may not write: every non-GET/HEAD needs a member) before any handler
 * runs. Handlers read the result from `req.access` and never re-check. The API has its own keys.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { Ctx } from '../context.js'
import type { Channel, Check, Project, User } from '../db/index.js'
import { blockedByTwoFactorPolicy, type ProjectRole } from '../projects/index.js'
import { ERROR_TEXT, sendErrorPage } from './error-page.js'
import { sendNotFound, sendReadOnly } from './monitoring-page.js'
import {
  findUserChannel,
  findUserCheck,
  findUserProject,
  type ProjectGrant,
} from './project-access.js'
import type { WebAuth } from './web-auth.js'

/** The project-scoped things a route can act on. */
export type ProjectResource = 'project' | 'check' | 'channel'

/**
 * The least role a project route needs. Without one: read-only for GET/HEAD, member for any
 * other method. `readonly` on a POST lets read-only members do what concerns only themselves
 * (leave the team, accept or reject a transfer offered to them); the use case still decides.
 */
export type MinimumRole = 'readonly' | 'member' | 'manager' | 'owner'

/** What a web route declares in `config.access`. */
export type RouteAccess =
  | 'public'
  | 'user'
  | 'superuser'
  | { resource: ProjectResource; param: string; role?: MinimumRole }

/** The resolved resource of a project-scoped route, as the guard hands it to the handler. */
export interface ResolvedAccess {
  auth: WebAuth
  user: User
  project: Project
  role: ProjectRole
  check: Check | null
  channel: Channel | null
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may use the route; required on every web route (see access-guard.ts). */
    access?: RouteAccess
    /** Polled by page scripts: refusals answer `{ "error": … }` JSON rather than a page. */
    json?: boolean
  }
  interface FastifyRequest {
    /** Set by the access guard on project-scoped routes; null on the others. */
    access: ResolvedAccess | null
  }
}

export const ACCESS_TEXT = {
  twoFactorTitle: 'Two-factor authentication required',
  twoFactor:
    'This project requires two-factor authentication. Set it up for your account, then log in again.',
  locked: 'Locked: this project requires two-factor authentication, and you logged in without it.',
  role: (role: MinimumRole) =>
    role === 'owner'
      ? 'Only the owner of this project can do this.'
      : 'Only the owner and managers of this project can do this.',
} as const

const ROLE_RANK: Record<ProjectRole, number> = { r: 0, w: 1, m: 2, superuser: 3, owner: 4 }
const MINIMUM_RANK: Record<MinimumRole, number> = { readonly: 0, member: 1, manager: 2, owner: 4 }

function isRouteAccess(value: unknown): value is RouteAccess {
  if (value === 'public' || value === 'user' || value === 'superuser') return true
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    (v.resource === 'project' || v.resource === 'check' || v.resource === 'channel') &&
    typeof v.param === 'string' &&
    (v.role === undefined || (typeof v.role === 'string' && v.role in MINIMUM_RANK))
  )
}

/**
 * onRoute: refuses to register a route that does not say who may use it, or whose resource
 * parameter is not in its path, so no future route can forget the guard.
 */
export function assertRouteDeclaresAccess(route: RouteOptions): void {
  const access = route.config?.access
  const where = `${String(route.method)} ${route.url}`
  if (!isRouteAccess(access))
    throw new Error(
      `web route ${where} declares no valid config.access ('public', 'user', 'superuser' or { resource, param })`,
    )
  if (typeof access === 'object' && !route.url.split('/').includes(`:${access.param}`))
    throw new Error(`web route ${where}: access param "${access.param}" is not in its path`)
}

/** The least role for this request: declared, else read-only to look and member to change. */
function minimumRole(access: { role?: MinimumRole }, method: string): MinimumRole {
  if (access.role) return access.role
  return method === 'GET' || method === 'HEAD' ? 'readonly' : 'member'
}

export function hasRole(role: ProjectRole, minimum: MinimumRole): boolean {
  return ROLE_RANK[role] >= MINIMUM_RANK[minimum]
}

async function resolve(
  ctx: Ctx,
  user: User,
  resource: ProjectResource,
  code: string,
): Promise<(ProjectGrant & { check: Check | null; channel: Channel | null }) | null> {
  if (resource === 'project') {
    const g = await findUserProject(ctx, user, code)
    return g && { ...g, check: null, channel: null }
  }
  if (resource === 'check') {
    const g = await findUserCheck(ctx, user, code)
    return g && { ...g, channel: null }
  }
  const g = await findUserChannel(ctx, user, code)
  return g && { ...g, check: null }
}

/** Where a log-in lands without `next` (login-routes.tsx). */
const LANDING_PAGES = new Set(['/', '/checks/'])

/**
 * Where an anonymous visitor goes: the log-in page, with `next` to come back to a page they
 * opened (only this request's own path, which login's localNext checks again). A form post has
 * nothing to come back to, and the landing pages are where a log-in goes anyway.
 */
function loginLocation(req: FastifyRequest): string {
  const path = req.url
  if ((req.method !== 'GET' && req.method !== 'HEAD') || LANDING_PAGES.has(path)) return '/login'
  return `/login?next=${encodeURIComponent(path)}`
}

/** A refusal as the route answers: its `{ "error" }` JSON for polled routes, else `page()`. */
function refuse(
  req: FastifyRequest,
  reply: FastifyReply,
  status: 403 | 404,
  page: () => FastifyReply,
  jsonError: string,
): FastifyReply {
  if (req.routeOptions.config.json === true) return reply.code(status).send({ error: jsonError })
  return page()
}

/** The project's 2FA policy refusal: what to do, with the link to do it. */
export function sendTwoFactorRequired(ctx: Ctx, reply: FastifyReply): FastifyReply {
  return sendErrorPage(reply, ctx.config, 403, {
    title: ACCESS_TEXT.twoFactorTitle,
    message: ACCESS_TEXT.twoFactor,
    link: { href: '/account/security', text: 'Set up 2FA' },
  })
}

/**
 * preHandler, after the session is loaded: enforces the route's declared access. Answers (and so
 * stops the request) when access is refused; otherwise fills `req.access` for project routes.
 */
export async function enforceAccess(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  req.access = null
  const access = req.routeOptions.config.access
  if (access === 'public') return
  if (access === undefined) throw new Error(`route ${req.routeOptions.url} declares no access`)
  const auth = req.webAuth
  if (!auth) {
    if (req.routeOptions.config.json === true)
      return reply.code(403).send({ error: 'not logged in' })
    return reply.redirect(loginLocation(req), 303)
  }
  if (access === 'user') return
  const notFound = () =>
    refuse(req, reply, 404, () => sendNotFound(ctx, reply), ERROR_TEXT.notFound)
  if (access === 'superuser') return auth.user.is_superuser === 1 ? undefined : notFound()
  const params = req.params as Record<string, string>
  const code = String(params[access.param] ?? '').toLowerCase()
  const found = await resolve(ctx, auth.user, access.resource, code)
  if (!found) return notFound()
  params[access.param] = code
  if (blockedByTwoFactorPolicy(found.project, auth.session))
    return refuse(req, reply, 403, () => sendTwoFactorRequired(ctx, reply), ACCESS_TEXT.twoFactor)
  const minimum = minimumRole(access, req.method)
  if (!hasRole(found.role, minimum)) {
    const page =
      minimum === 'member'
        ? () => sendReadOnly(ctx, reply)
        : () =>
            sendErrorPage(reply, ctx.config, 403, {
              title: 'Forbidden',
              message: ACCESS_TEXT.role(minimum),
            })
    return refuse(req, reply, 403, page, 'your role in this project does not allow this')
  }
  req.access = { auth, user: auth.user, ...found }
}

/** Installs the guard on the web plugin: the registration check and the request hook's state. */
export function installAccessGuard(app: FastifyInstance): void {
  app.decorateRequest('access', null)
  app.addHook('onRoute', assertRouteDeclaresAccess)
}

/** The resolved project access of a project-scoped route (a bug if the route declared none). */
export function accessOf(req: FastifyRequest): ResolvedAccess {
  if (!req.access) throw new Error(`route ${req.routeOptions.url} is not project-scoped`)
  return req.access
}

/** The resolved check of a `{ resource: 'check' }` route. */
export function checkAccessOf(req: FastifyRequest): ResolvedAccess & { check: Check } {
  const a = accessOf(req)
  if (!a.check) throw new Error(`route ${req.routeOptions.url} is not check-scoped`)
  return a as ResolvedAccess & { check: Check }
}

/** The resolved channel of a `{ resource: 'channel' }` route. */
export function channelAccessOf(req: FastifyRequest): ResolvedAccess & { channel: Channel } {
  const a = accessOf(req)
  if (!a.channel) throw new Error(`route ${req.routeOptions.url} is not channel-scoped`)
  return a as ResolvedAccess & { channel: Channel }
}

/** The logged-in user of a route declared `'user'` or stricter. */
export function userOf(req: FastifyRequest): WebAuth {
  if (!req.webAuth) throw new Error(`route ${req.routeOptions.url} is not behind a log-in`)
  return req.webAuth
}

type RouteConfig = { config: { access: RouteAccess; json?: boolean } }

/** Route options of a project route (`:project`), with a least role when the route needs one. */
export function projectRoute(role?: MinimumRole): RouteConfig {
  return { config: { access: { resource: 'project', param: 'project', role } } }
}

// The declarations routes use. A route's options name one of these (or write their own
// `config.access`); the guard and the route-enumerating test read only `config.access`.
/** Anyone, logged in or not. */
export const PUBLIC = { config: { access: 'public' } } as const
/** Anyone: a form posted before log-in (CSRF by the pre-session cookie, csrf.ts). */
export const ANONYMOUS_FORM = { config: { access: 'public', anonymousForm: true } } as const
/** A static file: no session is even looked up. */
export const STATIC_ASSET = { config: { access: 'public', staticAsset: true } } as const
/** Logged-in users; no project. */
export const LOGGED_IN = { config: { access: 'user' } } as const
export const LOGGED_IN_JSON = { config: { access: 'user', json: true } } as const
/** Superusers only; anyone else gets 404. */
export const SUPERUSER = { config: { access: 'superuser' } } as const
/** `:project`: read-only members may look, members and up may change. */
export const PROJECT = projectRoute()
/** `:project`, the GET of a form that changes it: members and up. */
export const PROJECT_FORM = projectRoute('member')
export const PROJECT_JSON = { config: { ...PROJECT.config, json: true } }
/** `:code` a check: read-only members may look, members and up may change. */
export const CHECK = { config: { access: { resource: 'check', param: 'code' } } } as const
export const CHECK_FORM = {
  config: { access: { resource: 'check', param: 'code', role: 'member' } },
} as const
export const CHECK_JSON = { config: { ...CHECK.config, json: true } } as const
/** `:code` a channel (integration): read-only members may look, members and up may change. */
export const CHANNEL = { config: { access: { resource: 'channel', param: 'code' } } } as const
export const CHANNEL_FORM = {
  config: { access: { resource: 'channel', param: 'code', role: 'member' } },
} as const
