/**
 * CSRF protection of the web forms. Every form carries a hidden `csrf` field: an HMAC-SHA256
 * (key SECRET_KEY) of the session id, or, before login, of a random `vigil_csrf` cookie. Tokens
 * bound to that pre-session cookie are accepted only by the forms used before login (log-in and
 * first run), so a cookie planted by a sibling subdomain can never authorise a logged-in action.
 * POSTs whose Origin header names another site are refused too (Healthchecks relies on Django's
 * CsrfViewMiddleware for the same two checks).
 */
import { createHmac } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { isSecureSite } from '../accounts/index.js'
import type { Ctx } from '../context.js'
import { newToken, safeEqual } from '../tokens.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This form is used before login: its POST may carry a token bound to the pre-session cookie. */
    anonymousForm?: boolean
    /**
     * The POST is authorised by the secret signed token in its own URL (unsubscribe links, RFC
     * 8058 one-click): no CSRF field or cookie is required, because a mail client's POST has
     * neither, and a forged request cannot be made without the token anyway.
     */
    signedLink?: boolean
  }
}

export const CSRF_COOKIE = 'vigil_csrf'
export const CSRF_FIELD = 'csrf'
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/

/** The token a form must send back, for a binding such as `session:<id>`. */
export function csrfToken(secretKey: string, binding: string): string {
  return createHmac('sha256', secretKey).update(binding).digest('base64url')
}

function preSessionCookie(req: FastifyRequest): string | null {
  const value = req.cookies[CSRF_COOKIE]
  return value && TOKEN_RE.test(value) ? value : null
}

/** The token for the forms of this page; sets the pre-session cookie when it is needed and missing. */
export function formCsrfToken(ctx: Ctx, req: FastifyRequest, reply: FastifyReply): string {
  if (req.webAuth) return csrfToken(ctx.config.secretKey, `session:${req.webAuth.session.id}`)
  let pre = preSessionCookie(req)
  if (!pre) {
    pre = newToken()
    reply.setCookie(CSRF_COOKIE, pre, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: isSecureSite(ctx.config),
    })
  }
  return csrfToken(ctx.config.secretKey, `pre-session:${pre}`)
}

/**
 * True when a POST may proceed: no foreign Origin, and a `csrf` field matching the session (or,
 * where `allowAnonymous`, the pre-session cookie). Compared in constant time.
 */
export function isCsrfValid(ctx: Ctx, req: FastifyRequest, allowAnonymous: boolean): boolean {
  const origin = req.headers.origin
  if (origin !== undefined && origin !== new URL(ctx.config.siteRoot).origin) return false
  const body = req.body as Record<string, unknown> | undefined
  const sent = body?.[CSRF_FIELD]
  if (typeof sent !== 'string' || sent === '') return false
  const expected: string[] = []
  if (req.webAuth)
    expected.push(csrfToken(ctx.config.secretKey, `session:${req.webAuth.session.id}`))
  const pre = preSessionCookie(req)
  if (allowAnonymous && pre) expected.push(csrfToken(ctx.config.secretKey, `pre-session:${pre}`))
  // Compare against every candidate, without stopping early, so timing says nothing about which matched.
  return expected.map((e) => safeEqual(e, sent)).includes(true)
}
