/**
 * What the log-in routes (password, second step, links, sign-up, OIDC, passkey) answer alike:
 * the log-in page with the site's name and a fresh CSRF token, and the options of the short-lived
 * cookies they keep under /login. Not here: which ways in a page offers (each caller says).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { isSecureSite } from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { formCsrfToken } from '../csrf.js'
import { sendPage } from '../render.js'
import { LoginPage, type LoginPageProps } from './login-page.js'

/** The log-in page with `status` and what the caller shows on it. */
export function sendLoginPage(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  shown: Omit<LoginPageProps, 'siteName' | 'csrf'>,
): FastifyReply {
  const csrf = formCsrfToken(ctx, req, reply)
  return sendPage(
    reply,
    status,
    <LoginPage siteName={ctx.config.siteName} csrf={csrf} {...shown} />,
  )
}

/** Cookies of a log-in in progress (pending second step, `next`, passkey challenge). */
export function loginCookieOptions(ctx: Ctx) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/login',
    secure: isSecureSite(ctx.config),
  }
}
