/**
 * OIDC log-in and re-authentication pages (spec LG-9): POST /login/oidc sends the browser to the
 * provider, GET /login/oidc/callback (the redirect URI, SITE_ROOT + this path) finishes it, and
 * POST /account/confirm/oidc asks the provider to sign the user in again for sudo. Every failure
 * is a page that says what happened: a provider that is down or slow gives 200 with a message
 * (INV-1: never a 5xx for a failing outside service), bad answers 400, refusals 403.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  finishOidc,
  isSecureSite,
  OIDC_COOKIE,
  OIDC_FLOW_TTL_MS,
  type OidcCallbackError,
  type OidcStartError,
  startOidcLogin,
  startOidcReauth,
} from '../../accounts/index.js'
import { OIDC_CALLBACK_PATH } from '../../config/index.js'
import type { Ctx } from '../../context.js'
import { ANONYMOUS_FORM, LOGGED_IN, PUBLIC, userOf } from '../access-guard.js'
import { requestMeta } from '../account/account-page.js'
import { nextFrom, showConfirm } from '../account/confirm-routes.js'
import { DEFAULT_ACTION, protectedAction } from '../account/protected-actions.js'
import { ERROR_TEXT, sendErrorPage } from '../error-page.js'
import { formField } from '../render.js'
import { setSessionCookie } from '../web-auth.js'
import { setRetryAfter } from '../web-errors.js'
import { localNext } from './local-next.js'
import { sendLoginPage } from './login-reply.js'
import { finishFirstStep } from './login-routes.js'

/** What the user reads for each failure, and the status it comes with. */
export function oidcErrorText(
  ctx: Ctx,
  e: OidcCallbackError | OidcStartError,
): { status: number; text: string } {
  const label = ctx.config.accounts.oidc?.buttonLabel ?? 'single sign-on'
  const site = ctx.config.siteName
  switch (e.kind) {
    case 'oidc-off':
      return { status: 404, text: ERROR_TEXT.notFound }
    case 'provider-unreachable':
      return {
        status: 200,
        text: `The sign-in provider could not be reached. Try again in a few minutes, or log in another way.`,
      }
    case 'throttled': {
      const minutes = Math.max(1, Math.ceil(e.retryAfterSeconds / 60))
      return {
        status: 429,
        text: `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      }
    }
    case 'bad-state':
      return {
        status: 400,
        text: 'This sign-in attempt expired or was not started in this browser. Please start again.',
      }
    case 'provider-error':
      return {
        status: 400,
        text:
          e.code === 'access_denied'
            ? 'Sign-in was cancelled or refused at the sign-in provider.'
            : `The sign-in provider did not sign you in (${e.code}). Please start again.`,
      }
    case 'invalid-response':
      return {
        status: 400,
        text: "The sign-in provider's answer could not be verified, so you were not signed in. Please start again.",
      }
    case 'no-verified-email':
      return {
        status: 403,
        text: `${label} did not give a verified email address for you, so ${site} can't find or create your account. Ask the administrator.`,
      }
    case 'not-linked':
      return {
        status: 403,
        text: `An account for ${e.email} exists, but it isn't connected to ${label}. Log in with your password or another method.`,
      }
    case 'domain-not-allowed':
      return {
        status: 403,
        text: `There is no ${site} account for ${e.email}, and accounts for this address can't be created by signing in with ${label}. Ask the administrator for an invitation.`,
      }
    case 'wrong-identity':
      return {
        status: 403,
        text: `You signed in at ${label} as someone else. Sign in there as yourself to confirm, or choose another method.`,
      }
    case 'stale-auth':
      return {
        status: 400,
        text: `${label} did not ask you to sign in again, so we couldn't confirm it's you. Try again, or choose another method.`,
      }
    case 'downgrade-blocked':
      return {
        status: 403,
        text: 'To remove protection from your account, confirm with your authenticator app, security key or a recovery code.',
      }
    case 'method-unavailable':
      return {
        status: 400,
        text: 'That way of confirming is not available for your account. Choose another.',
      }
  }
}

function flowCookieOptions(ctx: Ctx) {
  return {
    httpOnly: true,
    // Lax: the provider's redirect back is a top-level GET, which carries Lax cookies.
    sameSite: 'lax' as const,
    path: '/login/oidc',
    secure: isSecureSite(ctx.config),
  }
}

/** Sends the browser to the provider, the flow's state in a short-lived cookie. */
function sendToProvider(
  ctx: Ctx,
  reply: FastifyReply,
  flow: { state: string; url: string },
): FastifyReply {
  reply.setCookie(OIDC_COOKIE, flow.state, {
    ...flowCookieOptions(ctx),
    maxAge: OIDC_FLOW_TTL_MS / 1000,
  })
  return reply.redirect(flow.url, 303)
}

/**
 * A failed re-authentication: the confirmation page again with the reason. Before the provider
 * was asked, "OIDC is off" is a bad choice on that form (400), not a missing page.
 */
function showReauthError(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  e: OidcCallbackError | OidcStartError,
  next: string,
  starting: boolean,
): Promise<FastifyReply> {
  const { status, text } = oidcErrorText(ctx, e)
  const shown = starting && status === 404 ? 400 : status
  return showConfirm(ctx, req, reply, shown, { next, method: 'oidc', error: text })
}

/** A callback that failed: the confirmation page for a re-authentication, else the log-in form. */
function showCallbackError(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  done: { purpose: string | null; next: string | null },
  e: OidcCallbackError,
): FastifyReply | Promise<FastifyReply> {
  if (done.purpose === 'reauth')
    return showReauthError(ctx, req, reply, e, nextFrom(done.next), false)
  return showLoginError(ctx, req, reply, e, done.next)
}

function showLoginError(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  e: OidcCallbackError | OidcStartError,
  next: string | null,
): FastifyReply {
  const { status, text } = oidcErrorText(ctx, e)
  setRetryAfter(reply, e)
  if (status === 404)
    return sendErrorPage(reply, ctx.config, 404, { title: 'Page not found', message: text })
  return sendLoginPage(ctx, req, reply, status, {
    error: text,
    next,
    oidcLabel: ctx.config.accounts.oidc?.buttonLabel,
  })
}

export function registerOidcRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/login/oidc', ANONYMOUS_FORM, async (req, reply) => {
    const next = localNext(formField(req.body, 'next'))
    const r = await startOidcLogin(ctx, { next, ip: req.ip })
    if (!r.ok) return showLoginError(ctx, req, reply, r.error, next)
    return sendToProvider(ctx, reply, r.value)
  })

  // One callback ends two flows: log-in and re-authentication for sudo.
  app.get(OIDC_CALLBACK_PATH, PUBLIC, async (req, reply) => {
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : ''
    const cookieState = req.cookies[OIDC_COOKIE] ?? ''
    const meta = requestMeta(req)
    const done = await finishOidc(ctx, { query, cookieState, current: req.webAuth, meta })
    reply.clearCookie(OIDC_COOKIE, flowCookieOptions(ctx))
    const r = done.result
    if (!r.ok) return showCallbackError(ctx, req, reply, done, r.error)
    if (r.value.purpose === 'reauth') {
      setSessionCookie(ctx, reply, r.value.token, r.value.session)
      return reply.redirect(nextFrom(done.next), 303)
    }
    // A log-in ends as after a password: a new session or the second step, then `next`.
    return finishFirstStep(ctx, req, reply, r.value, localNext(done.next) ?? undefined)
  })

  app.post('/account/confirm/oidc', LOGGED_IN, async (req, reply) => {
    const { user, session } = userOf(req)
    const next = nextFrom(formField(req.body, 'next'))
    const downgrade = (protectedAction(next) ?? DEFAULT_ACTION).downgrade
    const r = await startOidcReauth(ctx, { user, session, next, downgrade, meta: requestMeta(req) })
    if (!r.ok) return showReauthError(ctx, req, reply, r.error, next, true)
    return sendToProvider(ctx, reply, r.value)
  })
}
