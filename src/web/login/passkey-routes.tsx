/**
 * Passkey sign-in (spec WA-7): POST /login/passkey/options starts a ceremony for this browser
 * (JSON options, cookie), POST /login/passkey finishes it and starts a full session. Every
 * failure shows the log-in page with a message (400, or 429 with Retry-After), never a 404 or 500.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  deleteSession,
  logInWithPasskey,
  PASSKEY_COOKIE,
  PASSKEY_COOKIE_TTL_MS,
  type PasskeyLoginError,
  passkeyLoginCapability,
  startPasskeyLogin,
} from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { ANONYMOUS_FORM } from '../access-guard.js'
import { requestMeta, waitText } from '../account/account-page.js'
import { formField } from '../render.js'
import { setSessionCookie } from '../web-auth.js'
import { webError } from '../web-errors.js'
import { localNext } from './local-next.js'
import { loginCookieOptions, sendLoginPage } from './login-reply.js'

export const PASSKEY_TEXT = {
  unavailable:
    "Passkey sign-in isn't available on this server. Log in with your email and password.",
  expired: 'The passkey request expired or was already used. Try again.',
  unknown:
    "That passkey isn't registered on this server (it may have been removed). Log in with your email and password.",
  otherRp:
    "Your passkey can't be used on this server right now (its WebAuthn settings changed). Log in with your email and password, or ask the administrator.",
  notAPasskey:
    'That key is set up for the second step only, not as a passkey. Log in with your email and password; you can add it as a passkey under Account security.',
  notVerified:
    "Your passkey didn't check your PIN, fingerprint or face, so it can't sign you in on its own. Try again, or log in with your email and password.",
  failed: "That passkey didn't work. Try again or log in with your email and password.",
} as const

function errorText(e: PasskeyLoginError): string {
  switch (e.kind) {
    case 'webauthn-disabled':
      return PASSKEY_TEXT.unavailable
    case 'challenge-expired':
      return PASSKEY_TEXT.expired
    case 'unknown-credential':
      return PASSKEY_TEXT.unknown
    case 'other-rp':
      return PASSKEY_TEXT.otherRp
    case 'not-a-passkey':
      return PASSKEY_TEXT.notAPasskey
    case 'user-not-verified':
      return PASSKEY_TEXT.notVerified
    case 'key-failed':
    case 'counter-regression':
      return PASSKEY_TEXT.failed
    case 'throttled':
      return `Too many failed attempts. Try again in ${waitText(e.retryAfterSeconds)}.`
  }
}

/** The log-in page again, saying why the passkey was not accepted. */
function passkeyRefused(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  error: PasskeyLoginError,
  next: string | null,
) {
  const { status } = webError(reply, error)
  return sendLoginPage(ctx, req, reply, status, {
    error: errorText(error),
    next,
    passkey: passkeyLoginCapability(ctx.config).enabled,
  })
}

export function registerPasskeyLoginRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/login/passkey/options', ANONYMOUS_FORM, async (req, reply) => {
    const r = await startPasskeyLogin(ctx, { ip: req.ip })
    if (!r.ok && webError(reply, r.error).status === 429) {
      const retryAfter = (r.error as { retryAfterSeconds?: number }).retryAfterSeconds
      return reply.code(429).send({ error: 'rate_limited', retry_after: retryAfter })
    }
    if (!r.ok) {
      // Turned off: as if the endpoint did not exist. On but unusable: say why (WA-5 spirit).
      const status = ctx.config.accounts.passkeyLogin ? 400 : 404
      return reply.code(status).send({ error: PASSKEY_TEXT.unavailable })
    }
    reply.setCookie(PASSKEY_COOKIE, r.value.browserToken, {
      ...loginCookieOptions(ctx),
      maxAge: PASSKEY_COOKIE_TTL_MS / 1000,
    })
    return reply.send({ options: r.value.options })
  })

  app.post('/login/passkey', ANONYMOUS_FORM, async (req, reply) => {
    const next = localNext(formField(req.body, 'next'))
    const r = await logInWithPasskey(ctx, {
      browserToken: req.cookies[PASSKEY_COOKIE] ?? '',
      response: formField(req.body, 'response'),
      meta: requestMeta(req),
    })
    reply.clearCookie(PASSKEY_COOKIE, loginCookieOptions(ctx))
    if (!r.ok) return passkeyRefused(ctx, req, reply, r.error, next)
    // Whatever session this browser had is replaced, never reused (session fixation).
    if (req.webAuth) await deleteSession(ctx, req.webAuth.session.id)
    setSessionCookie(ctx, reply, r.value.token, r.value.session)
    return reply.redirect(next ?? '/checks/', 303)
  })
}
