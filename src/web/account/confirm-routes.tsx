/**
 * GET/POST /account/confirm, POST /account/confirm/send-code (e-mail) and /account/confirm/send-sms
 * (text message): re-authentication (spec RA-6…RA-11). Failures re-render with 400 and a message
 * for the method; throttling answers 429 with Retry-After; a password or SMS offered for a class D
 * action answers 403 (RA-5). Success rotates the session cookie and returns to `next`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ReauthMethod, Session } from '../../accounts/index.js'
import {
  availableReauthMethods,
  confirmThroughProxy,
  type EnterSudoError,
  enterSudoMode,
  enterSudoWithKey,
  headerIdentity,
  KEY_FAILED_TEXT,
  type KeyAssertionError,
  maskPhoneNumber,
  mayConfirmThroughProxy,
  recordSecurityEvent,
  sendReauthCode,
  sendSmsCode,
  sudoKeyOptions,
  verifiedPhone,
} from '../../accounts/index.js'
import { canSendMail } from '../../config/index.js'
import type { Ctx } from '../../context.js'
import type { Result } from '../../result.js'
import { LOGGED_IN, userOf } from '../access-guard.js'
import { localNext } from '../login/local-next.js'
import { formField } from '../render.js'
import { setSessionCookie } from '../web-auth.js'
import { type WebMessages, webError } from '../web-errors.js'
import { requestMeta, sendAccountPage, waitText } from './account-page.js'
import { KEY_SCRIPTS } from './account-scripts.js'
import { CONFIRM_TEXT, ConfirmPage, type ConfirmPageProps } from './confirm-page.js'
import { DEFAULT_ACTION, protectedAction, protectedNext } from './protected-actions.js'

const DEFAULT_NEXT = '/account/security'
const TYPED_METHODS = ['password', 'totp', 'recovery_code', 'email_code', 'sms_code'] as const
type TypedMethod = (typeof TYPED_METHODS)[number]

const PROXY_CONFIRM_MESSAGES: WebMessages = {
  'not-from-proxy':
    'This request did not come through your sign-in proxy, so it cannot confirm you.',
  'method-unavailable': 'Your account has its own ways to confirm. Use one of them.',
}

const SEND_CODE_MESSAGES: WebMessages = {
  'too-soon': (e) => {
    const s = Number(e.retryAfterSeconds)
    return `We sent a code less than a minute ago. You can ask for another in ${s} second${s === 1 ? '' : 's'}.`
  },
}

/** Per-method wording of a failed confirmation (RA-7). */
export function confirmErrorText(
  method: ReauthMethod,
  e: EnterSudoError | KeyAssertionError,
): string {
  switch (e.kind) {
    case 'wrong-password':
      return 'That password is not right. Try again.'
    case 'code-reused':
      return 'This code was already used. Wait for the next code from your app and try again.'
    case 'code-expired':
      return 'That code has expired or was replaced. Send a new code.'
    case 'throttled':
      return `Too many attempts. Try again in ${waitText(e.retryAfterSeconds)}.`
    case 'key-failed':
    case 'challenge-expired':
      return KEY_FAILED_TEXT
    case 'counter-regression':
      return `${KEY_FAILED_TEXT} (It may be a copy of your key; we have recorded this.)`
    case 'downgrade-blocked':
      // OOB-4: a texted code never confirms a class D change, 2FA on or not.
      if (method === 'sms_code')
        return "A code by text message can't confirm this change. Choose another way to confirm."
      return 'To remove protection from your account, confirm with your authenticator app, security key or a recovery code.'
    case 'method-unavailable':
      return 'That way of confirming is not available for your account. Choose another.'
    case 'wrong-code':
      if (method === 'recovery_code')
        return "That recovery code didn't work, or it was already used."
      if (method === 'email_code') return "That code didn't match the one we emailed. Try again."
      if (method === 'sms_code') return "That code didn't match the one we texted. Try again."
      return "That code didn't work. Check the time on your device and try the current code."
  }
}

interface Shown {
  next: string
  method?: string | null
  unsaved?: boolean
  error?: string
  notice?: string
  channelFailed?: 'email' | 'sms'
  /** Leave this method out (it just failed to deliver). */
  without?: ReauthMethod
}

/** What "Send code" ends in, the same for both channels (RA-8 notice, OOB-2 wait, RA-10, RA-9). */
async function showSendResult(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  next: string,
  channel: 'email' | 'sms',
  r: Result<
    { maskedTo: string },
    | { kind: 'too-soon' | 'rate-limited'; retryAfterSeconds: number }
    | { kind: 'mail-unavailable' }
    | { kind: 'sms-failed'; reason: string }
  >,
): Promise<FastifyReply> {
  const method: ReauthMethod = channel === 'sms' ? 'sms_code' : 'email_code'
  if (r.ok)
    return showConfirm(ctx, req, reply, 200, {
      next,
      method,
      notice: `We sent a code to ${r.value.maskedTo}.`,
    })
  const e = r.error
  // Too soon is news, not an error; throttling is an error; anything else means the channel failed.
  if (e.kind === 'too-soon' || e.kind === 'rate-limited') {
    const { status, message } = webError(reply, e, SEND_CODE_MESSAGES)
    const shown = status === 200 ? { notice: message } : { error: message }
    return showConfirm(ctx, req, reply, status, { next, method, ...shown })
  }
  const auth = userOf(req)
  await recordSecurityEvent(
    ctx,
    {
      type: 'reauth.channel_unavailable',
      actorUserId: auth.user.id,
      subjectUserId: auth.user.id,
      meta: requestMeta(req),
      details: e.kind === 'sms-failed' ? { channel, reason: e.reason } : { channel },
    },
    ctx.clock.now(),
  )
  return showConfirm(ctx, req, reply, 200, { next, channelFailed: channel, without: method })
}

/** DOC-4: the check a superuser should look at when a channel failed to deliver a code. */
function channelAdminHint(ctx: Ctx, channel: 'email' | 'sms'): string {
  if (channel === 'sms')
    return 'Admin: Twilio did not take the text message — see System status (SMS-001, SMS-002).'
  return canSendMail(ctx.config)
    ? 'Admin: the SMTP server did not take the message — see System status (MAIL-010).'
    : 'Admin: outgoing email is unconfigured — see System status (MAIL-001).'
}

export async function showConfirm(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  shown: Shown,
): Promise<FastifyReply> {
  // Also shown by the public OIDC callback, whose session may have ended meanwhile.
  const auth = req.webAuth
  if (!auth) return reply.redirect('/login', 303)
  const action = protectedAction(shown.next) ?? DEFAULT_ACTION
  const all = await availableReauthMethods(ctx, auth.user, action.downgrade)
  const methods = all.methods.filter((m) => m !== shown.without)
  const method = methods.find((m) => m === shown.method) ?? methods[0] ?? null
  const keyOptions =
    method === 'webauthn' ? await sudoKeyOptions(ctx, auth.user, auth.session) : null
  const phone = method === 'sms_code' ? await verifiedPhone(ctx, auth.user.id) : null
  const props: Omit<ConfirmPageProps, 'csrf'> = {
    keyOptions: keyOptions ? JSON.stringify(keyOptions) : null,
    siteName: ctx.config.siteName,
    next: shown.next,
    action: action.label,
    methods,
    method,
    unsaved: shown.unsaved,
    error: shown.error,
    notice: shown.notice,
    channelFailed: shown.channelFailed,
    channelAdminHint:
      auth.user.is_superuser === 1 && shown.channelFailed
        ? channelAdminHint(ctx, shown.channelFailed)
        : null,
    phoneHint: phone ? maskPhoneNumber(phone.phone) : null,
    oidcLabel: ctx.config.accounts.oidc?.buttonLabel,
    // LG-8: with no method of their own, a header-auth user confirms through the proxy.
    proxyEmail: mayConfirmThroughProxy(proxyIdentity(ctx, req), auth.user, all.methods)
      ? auth.user.email
      : null,
    none: {
      sudoMinutes: Math.round(ctx.config.accounts.sudoTtlSeconds / 60),
      email: auth.user.email,
      // A log-in opens sudo for SUDO_TTL; it helps only if the user can log in some other way.
      otherLogin: auth.user.password_hash !== null || canSendMail(ctx.config),
      adminHint:
        auth.user.is_superuser === 1 && !canSendMail(ctx.config)
          ? 'Admin: outgoing email is unconfigured — see System status (MAIL-001).'
          : null,
    },
  }
  return sendAccountPage(
    ctx,
    req,
    reply,
    status,
    CONFIRM_TEXT.title,
    (csrf) => <ConfirmPage csrf={csrf} {...props} />,
    { narrow: true, scripts: method === 'webauthn' ? KEY_SCRIPTS : undefined },
  )
}

/** Who the trusted proxy says sent this request (LG-8), judged by the socket peer. */
function proxyIdentity(ctx: Ctx, req: FastifyRequest) {
  return headerIdentity(ctx.config, req.socket.remoteAddress, req.headers)
}

/** `value` when it is a local path (localNext) naming a protected page, else the default. */
export function nextFrom(value: unknown): string {
  return protectedNext(localNext(value) ?? '') ?? DEFAULT_NEXT
}

/** A sudo grant: its session cookie, then back to where the confirmation was asked for. */
function sudoGranted(
  ctx: Ctx,
  reply: FastifyReply,
  grant: { token: string; session: Session },
  next: string,
): FastifyReply {
  setSessionCookie(ctx, reply, grant.token, grant.session)
  return reply.redirect(next, 303)
}

export function registerConfirmRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/account/confirm', LOGGED_IN, async (req, reply) => {
    const q = req.query as Record<string, unknown>
    return showConfirm(ctx, req, reply, 200, {
      next: nextFrom(q.next),
      method: typeof q.method === 'string' ? q.method : null,
      unsaved: q.unsaved === '1',
    })
  })

  app.post('/account/confirm', LOGGED_IN, async (req, reply) => {
    const { user, session } = userOf(req)
    const next = nextFrom(formField(req.body, 'next'))
    const method = formField(req.body, 'method') as TypedMethod
    if (!TYPED_METHODS.includes(method))
      return showConfirm(ctx, req, reply, 400, { next, error: 'Choose a way to confirm.' })
    const value = formField(req.body, 'value')
    const { downgrade } = protectedAction(next) ?? DEFAULT_ACTION
    const meta = requestMeta(req)
    const r = await enterSudoMode(ctx, { user, session, method, value, downgrade, meta })
    if (r.ok) return sudoGranted(ctx, reply, r.value, next)
    const { status } = webError(reply, r.error)
    const error = confirmErrorText(method, r.error)
    return showConfirm(ctx, req, reply, status, { next, method, error })
  })

  // Sudo with a security key (RA-4: the first method offered). A key covers class D too.
  app.post('/account/confirm/key', LOGGED_IN, async (req, reply) => {
    const auth = userOf(req)
    const next = nextFrom(formField(req.body, 'next'))
    const r = await enterSudoWithKey(ctx, {
      user: auth.user,
      session: auth.session,
      response: formField(req.body, 'response'),
      meta: requestMeta(req),
    })
    if (r.ok) return sudoGranted(ctx, reply, r.value, next)
    const { status } = webError(reply, r.error)
    return showConfirm(ctx, req, reply, status, {
      next,
      method: 'webauthn',
      error: confirmErrorText('webauthn', r.error),
    })
  })

  // LG-8: "Continue as …": only with the trusted header on this request and no other method.
  app.post('/account/confirm/proxy', LOGGED_IN, async (req, reply) => {
    const auth = userOf(req)
    const next = nextFrom(formField(req.body, 'next'))
    const r = await confirmThroughProxy(ctx, {
      identity: proxyIdentity(ctx, req),
      user: auth.user,
      session: auth.session,
      downgrade: (protectedAction(next) ?? DEFAULT_ACTION).downgrade,
      meta: requestMeta(req),
    })
    if (r.ok) return sudoGranted(ctx, reply, r.value, next)
    const { status, message } = webError(reply, r.error, PROXY_CONFIRM_MESSAGES)
    return showConfirm(ctx, req, reply, status, { next, error: message })
  })

  app.post('/account/confirm/send-code', LOGGED_IN, async (req, reply) => {
    const auth = userOf(req)
    const next = nextFrom(formField(req.body, 'next'))
    const action = protectedAction(next) ?? DEFAULT_ACTION
    const { methods } = await availableReauthMethods(ctx, auth.user, action.downgrade)
    if (!methods.includes('email_code')) return showConfirm(ctx, req, reply, 200, { next })
    const r = await sendReauthCode(ctx, auth.user, auth.session, action.label)
    return showSendResult(ctx, req, reply, next, 'email', r)
  })

  // RA-8 for texted codes: only this POST sends; OOB-4: never for a class D action.
  app.post('/account/confirm/send-sms', LOGGED_IN, async (req, reply) => {
    const auth = userOf(req)
    const next = nextFrom(formField(req.body, 'next'))
    const downgrade = (protectedAction(next) ?? DEFAULT_ACTION).downgrade
    const { methods } = await availableReauthMethods(ctx, auth.user, downgrade)
    const phone = await verifiedPhone(ctx, auth.user.id)
    if (!methods.includes('sms_code') || !phone) {
      if (
        downgrade &&
        (await availableReauthMethods(ctx, auth.user, false)).methods.includes('sms_code')
      )
        return refuseSmsDowngrade(ctx, req, reply, next)
      return showConfirm(ctx, req, reply, 200, { next })
    }
    const r = await sendSmsCode(ctx, auth.user.id, auth.session, 'reauth-sms', phone.phone)
    return showSendResult(ctx, req, reply, next, 'sms', r)
  })
}

/** RA-5/OOB-4: a texted code asked for a class D action: 403, audited, nothing sent. */
async function refuseSmsDowngrade(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  next: string,
): Promise<FastifyReply> {
  const auth = userOf(req)
  await recordSecurityEvent(
    ctx,
    {
      type: 'reauth.downgrade_blocked',
      actorUserId: auth.user.id,
      subjectUserId: auth.user.id,
      meta: requestMeta(req),
      details: { method: 'sms_code' },
    },
    ctx.clock.now(),
  )
  return showConfirm(ctx, req, reply, 403, {
    next,
    error: confirmErrorText('sms_code', { kind: 'downgrade-blocked' }),
  })
}
