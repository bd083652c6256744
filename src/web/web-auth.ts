/**
 * Who is logged in on a web request: reads the `vigil_session` cookie, validates it through
 * accounts/sessions and exposes `req.webAuth`. Also writes and clears that cookie. Only the web
 * plugin installs this; the ping and API routes never look at cookies.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import {
  isSecureSite,
  SESSION_COOKIE,
  type Session,
  sessionCookieOptions,
  validateSessionToken,
} from '../accounts/sessions.js'
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
  const token = req.cookies[SESSION_COOKIE]
  if (!token) return
  req.webAuth = await validateSessionToken(ctx, token)
  if (!req.webAuth) clearSessionCookie(ctx, reply)
}

export function setSessionCookie(
  ctx: Ctx,
  reply: FastifyReply,
  token: string,
  session: Session,
): void {
  reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(ctx.config, session))
}

export function clearSessionCookie(ctx: Ctx, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecureSite(ctx.config),
  })
}
