/**
 * Who is logged in on a web request: reads the session cookie (`hc_session`, SE-1), validates it
 * through accounts/sessions and exposes `req.webAuth`. Also writes and clears that cookie, and
 * applies header auth (LG-8) on every request as Healthchecks' CustomHeaderMiddleware. Only the
 * web plugin installs this; the ping and API routes never look at cookies.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import {
  deleteSession,
  headerIdentity,
  isSecureSite,
  logInFromHeader,
  type Session,
  sessionCookieName,
  sessionCookieOptions,
  validateSessionToken,
} from '../accounts/index.js'
import type { Ctx } from '../context.js'
import type { User } from '../db/index.js'

export interface WebAuth {
  user: User
  session: Session
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in user and their session on web pages; null when nobody is logged in. */
    webAuth: WebAuth | null
  }
}

/** preHandler: fills `req.webAuth`; a stale cookie is cleared so the browser stops sending it. */
export async function loadWebAuth(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  req.webAuth = null
  const token = req.cookies[sessionCookieName(ctx.config)]
  if (token) {
    req.webAuth = await validateSessionToken(ctx, token)
    if (!req.webAuth) clearSessionCookie(ctx, reply)
  }
  await applyHeaderAuth(ctx, req, reply)
}

/**
 * LG-8, as Healthchecks' middleware: no usable header logs out whoever is logged in; another
 * user's email than the session's replaces the session; a first sight starts one (amr ["ext"]).
 * The header counts only from a trusted proxy (the socket peer, never X-Forwarded-For).
 */
async function applyHeaderAuth(ctx: Ctx, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const identity = headerIdentity(ctx.config, req.socket.remoteAddress, req.headers)
  if (identity.kind === 'off') return
  if (identity.kind === 'email' && req.webAuth?.user.email === identity.email) return
  if (identity.kind === 'absent' && identity.reason === 'bad-secret')
    req.log.warn({ peer: req.socket.remoteAddress }, 'header auth: wrong REMOTE_USER_SECRET_HEADER')
  if (req.webAuth) {
    await deleteSession(ctx, req.webAuth.session.id)
    req.webAuth = null
    clearSessionCookie(ctx, reply)
  }
  if (identity.kind === 'absent') return
  const meta = { ip: req.ip, userAgent: String(req.headers['user-agent'] ?? '') }
  const r = await logInFromHeader(ctx, identity.email, meta)
  if (!r.ok) {
    req.log.warn({ peer: req.socket.remoteAddress }, 'header auth: not an email address')
    return
  }
  setSessionCookie(ctx, reply, r.value.token, r.value.session)
  req.webAuth = { user: r.value.user, session: r.value.session }
}

export function setSessionCookie(
  ctx: Ctx,
  reply: FastifyReply,
  token: string,
  session: Session,
): void {
  reply.setCookie(sessionCookieName(ctx.config), token, sessionCookieOptions(ctx.config, session))
}

export function clearSessionCookie(ctx: Ctx, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName(ctx.config), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecureSite(ctx.config),
  })
}
