/**
 * GET/POST /login and POST /logout. Failed log-ins answer 200 with the form and one message for
 * unknown addresses and wrong passwords alike (as Healthchecks' "Incorrect email or password");
 * throttled ones answer 429 with Retry-After. A successful log-in always starts a new session
 * and goes to `next` when that is a local path (through the second step too), else /checks/.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { LoggedInFully, ReauthMethod, Session } from '../../accounts/index.js'
import {
  completeSecondStep,
  completeSecondStepWithKey,
  countUsers,
  deleteSession,
  loadPendingLogin,
  logIn,
  logInWithLink,
  loginKeyOptions,
  PENDING_COOKIE,
  PENDING_LOGIN_TTL_MS,
  passkeyLoginCapability,
  recordSecurityEvent,
  secondStepMethods,
  signUpMode,
} from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { mailStatus } from '../../mail/index.js'
import { ANONYMOUS_FORM, PUBLIC } from '../access-guard.js'
import { requestMeta, waitText } from '../account/account-page.js'
import { KEY_SCRIPTS } from '../account/account-scripts.js'
import { confirmErrorText } from '../account/confirm-routes.js'
import { setNotEmailedCookie } from '../account/security-routes.js'
import { formCsrfToken } from '../csrf.js'
import { formField, sendPage } from '../render.js'
import { clearSessionCookie, setSessionCookie } from '../web-auth.js'
import { type WebMessages, webError } from '../web-errors.js'
import { registerInvitationRoutes } from './invitation-routes.js'
import { localNext, NEXT_COOKIE } from './local-next.js'
import { LINK_EXPIRED, LinkSignInPage } from './login-page.js'
import { loginCookieOptions, sendLoginPage } from './login-reply.js'
import { registerPasskeyLoginRoutes } from './passkey-routes.js'
import { SECOND_STEP_TEXT, SecondStepPage } from './second-step-page.js'
import { registerSignUpRoutes } from './signup-routes.js'

export const INCORRECT_LOGIN = 'Incorrect email or password.'

const LOGIN_MESSAGES: WebMessages = {
  throttled: (e) =>
    `Too many failed attempts. Try again in ${waitText(Number(e.retryAfterSeconds))}.`,
}

/** Cookies of the log-in steps (pending second step, `next`): HttpOnly, Lax, path /login. */
/** Shows the second step for the pending log-in of this browser, or sends it back to /login. */
async function showSecondStep(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  wanted: string | null,
  error?: string,
): Promise<FastifyReply> {
  const pending = await loadPendingLogin(ctx, req.cookies[PENDING_COOKIE] ?? '', ctx.clock.now())
  if (!pending.ok) return timedOut(ctx, req, reply)
  const methods = await secondStepMethods(ctx, pending.value.user)
  const method =
    methods.find((m) => m === wanted) ??
    methods.find((m) => m !== 'recovery_code') ??
    methods[0] ??
    null
  const keyOptions =
    method === 'webauthn' ? await loginKeyOptions(ctx, req.cookies[PENDING_COOKIE] ?? '') : null
  return sendPage(
    reply,
    status,
    <SecondStepPage
      siteName={ctx.config.siteName}
      csrf={formCsrfToken(ctx, req, reply)}
      methods={methods}
      method={method}
      error={error}
      keyOptions={keyOptions ? JSON.stringify(keyOptions) : null}
      scripts={method === 'webauthn' ? KEY_SCRIPTS : undefined}
    />,
  )
}

function timedOut(ctx: Ctx, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.clearCookie(PENDING_COOKIE, loginCookieOptions(ctx))
  return sendLoginPage(ctx, req, reply, 200, { error: SECOND_STEP_TEXT.timedOut })
}

/** The log-in form with every way in this server offers (password, links, passkey, OIDC). */
async function sendLoginForm(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  shown: { email?: string; error?: string; next: string | null },
): Promise<FastifyReply> {
  const signUp = (await signUpMode(ctx)) !== 'closed'
  const emailLinks = ctx.config.accounts.emailLogin && (await mailStatus(ctx)) !== 'unconfigured'
  return sendLoginPage(ctx, req, reply, status, {
    ...shown,
    signUp,
    emailLinks,
    passkey: passkeyLoginCapability(ctx.config).enabled,
    oidcLabel: ctx.config.accounts.oidc?.buttonLabel,
  })
}

/**
 * A first step that needs a second factor: the pending log-in, and `next` for after it
 * (`undefined`: this step had no `next`, so a kept one is left alone).
 */
function keepPendingLogIn(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  pendingToken: string,
  next: string | null | undefined,
): void {
  const cookie = { ...loginCookieOptions(ctx), maxAge: PENDING_LOGIN_TTL_MS / 1000 }
  reply.setCookie(PENDING_COOKIE, pendingToken, cookie)
  if (next) reply.setCookie(NEXT_COOKIE, next, cookie)
  else if (next === null && req.cookies[NEXT_COOKIE] !== undefined)
    reply.clearCookie(NEXT_COOKIE, loginCookieOptions(ctx))
}

/** What a first step (password, operator's link, OIDC) ends in: a session or a second step due. */
type FirstStep =
  | { step: 'done'; session: Session; token: string }
  | { step: 'second-factor'; pendingToken: string }

/**
 * A first step succeeded. Whatever session this browser had is replaced, never reused (session
 * fixation); then the second step, or the new session and `next`.
 */
export async function finishFirstStep(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  step: FirstStep,
  next: string | null | undefined,
): Promise<FastifyReply> {
  if (req.webAuth) await deleteSession(ctx, req.webAuth.session.id)
  if (step.step === 'second-factor') {
    keepPendingLogIn(ctx, req, reply, step.pendingToken, next)
    return reply.redirect('/login/second-step', 303)
  }
  setSessionCookie(ctx, reply, step.token, step.session)
  return reply.redirect(next ?? '/checks/', 303)
}

/**
 * The second step succeeded: the session, then `next`. RC-5: after a recovery code, say how many
 * are left and where to make new ones (this wins over `next`). NT-2: the page after the log-in
 * also says, once, that the notice about the code could not be mailed.
 */
function finishSecondStep(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  done: LoggedInFully,
): FastifyReply {
  reply.clearCookie(PENDING_COOKIE, loginCookieOptions(ctx))
  setSessionCookie(ctx, reply, done.token, done.session)
  const next = takeNextCookie(ctx, req, reply)
  const left = done.recoveryCodesLeft
  if (left !== undefined && done.notified === false) setNotEmailedCookie(ctx, reply)
  if (left !== undefined) return reply.redirect(`/account/security?used_recovery_code=${left}`, 303)
  return reply.redirect(next ?? '/checks/', 303)
}

/** The second step with the chosen method: a code (TOTP, recovery) or a security key. */
function completeStep(
  ctx: Ctx,
  req: FastifyRequest,
  method: 'totp' | 'recovery_code' | 'webauthn',
) {
  const pendingToken = req.cookies[PENDING_COOKIE] ?? ''
  const meta = requestMeta(req)
  if (method === 'webauthn') {
    const response = formField(req.body, 'response')
    return completeSecondStepWithKey(ctx, { pendingToken, response, meta })
  }
  return completeSecondStep(ctx, { pendingToken, method, value: formField(req.body, 'code'), meta })
}

/** Where the second step goes on success: the `next` kept at POST /login, once. */
function takeNextCookie(ctx: Ctx, req: FastifyRequest, reply: FastifyReply): string | null {
  const next = localNext(req.cookies[NEXT_COOKIE])
  if (req.cookies[NEXT_COOKIE] !== undefined)
    reply.clearCookie(NEXT_COOKIE, loginCookieOptions(ctx))
  return next
}

export function registerLoginRoutes(app: FastifyInstance, ctx: Ctx): void {
  registerSignUpRoutes(app, ctx)
  registerInvitationRoutes(app, ctx)
  registerPasskeyLoginRoutes(app, ctx)
  app.get('/login', PUBLIC, async (req, reply) => {
    const next = localNext((req.query as Record<string, unknown>).next)
    if (req.webAuth) return reply.redirect(next ?? '/checks/', 303)
    // A fresh instance has nobody to log in yet: the home page offers the first-run form.
    if ((await countUsers(ctx)) === 0) return reply.redirect('/', 303)
    return sendLoginForm(ctx, req, reply, 200, { next })
  })

  app.post('/login', ANONYMOUS_FORM, async (req, reply) => {
    const email = formField(req.body, 'email')
    const next = localNext(formField(req.body, 'next'))
    const r = await logIn(ctx, {
      email,
      password: formField(req.body, 'password'),
      ip: req.ip,
      userAgent: String(req.headers['user-agent'] ?? ''),
    })
    if (!r.ok) {
      const { status, message: error } = webError(reply, r.error, LOGIN_MESSAGES, INCORRECT_LOGIN)
      return sendLoginForm(ctx, req, reply, status, { email, error, next })
    }
    return finishFirstStep(ctx, req, reply, r.value, next)
  })

  app.get('/login/second-step', ANONYMOUS_FORM, async (req, reply) => {
    const q = req.query as Record<string, unknown>
    return showSecondStep(ctx, req, reply, 200, typeof q.method === 'string' ? q.method : null)
  })

  app.post('/login/second-step', ANONYMOUS_FORM, async (req, reply) => {
    const method = formField(req.body, 'method')
    if (method !== 'totp' && method !== 'recovery_code' && method !== 'webauthn')
      return showSecondStep(ctx, req, reply, 400, null, 'Choose a way to verify.')
    const r = await completeStep(ctx, req, method)
    if (!r.ok) {
      // The pending log-in is gone: the first step again, not this form.
      if (r.error.kind === 'pending-expired') return timedOut(ctx, req, reply)
      const { status } = webError(reply, r.error)
      const error = confirmErrorText(method as ReauthMethod, r.error)
      return showSecondStep(ctx, req, reply, status, method, error)
    }
    return finishSecondStep(ctx, req, reply, r.value)
  })

  // An operator's one-time link (`vigil user login-link`). The GET only shows a button, so link
  // previewers and mail scanners cannot use the link up (Healthchecks' interstitial, same reason).
  app.get('/login/link', PUBLIC, async (req, reply) => {
    const token = (req.query as Record<string, unknown>).token
    const csrf = formCsrfToken(ctx, req, reply)
    const link = typeof token === 'string' ? token : ''
    return sendPage(
      reply,
      200,
      <LinkSignInPage siteName={ctx.config.siteName} csrf={csrf} token={link} />,
    )
  })

  app.post('/login/link', ANONYMOUS_FORM, async (req, reply) => {
    const r = await logInWithLink(ctx, formField(req.body, 'token'), requestMeta(req))
    if (!r.ok) return sendLoginPage(ctx, req, reply, 400, { error: LINK_EXPIRED })
    // No `next` here: the link always opens the checks, and a kept `next` is left alone.
    return finishFirstStep(ctx, req, reply, r.value, undefined)
  })

  app.post('/logout', PUBLIC, async (req, reply) => {
    if (req.webAuth) {
      await deleteSession(ctx, req.webAuth.session.id)
      await recordSecurityEvent(
        ctx,
        {
          type: 'logout',
          actorUserId: req.webAuth.user.id,
          subjectUserId: req.webAuth.user.id,
          meta: requestMeta(req),
        },
        ctx.clock.now(),
      )
    }
    clearSessionCookie(ctx, reply)
    return reply.redirect('/login', 303)
  })
}
