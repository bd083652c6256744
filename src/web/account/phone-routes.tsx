/**
 * /account/phone: add, verify and remove the phone that texted confirmation codes go to (spec
 * RA-1 class S, RA-4 item 6, OOB-4, ASVS 6.6.1). Shown only with SMS_REAUTH_ENABLED and Twilio
 * configured (404 otherwise); removal works always, so a stored number can be taken back after
 * the operator turned SMS off. Every GET and POST passes requireSudo first; the number is taken
 * only after the code texted to it is entered.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  confirmPhoneVerification,
  maskPhoneNumber,
  NOT_EMAILED,
  PHONE_INVALID_TEXT,
  parsePhoneNumber,
  removePhone,
  smsCapability,
  smsReauthConfigured,
  startPhoneVerification,
  verifiedPhone,
} from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { LOGGED_IN, userOf } from '../access-guard.js'
import { ERROR_TEXT, sendErrorPage } from '../error-page.js'
import { formField } from '../render.js'
import { type WebMessages, webError } from '../web-errors.js'
import { requestMeta, sendAccountPage } from './account-page.js'
import { PHONE_TEXT, PhonePage, type PhoneShown, RemovePhoneCard } from './phone-page.js'
import { requireSudo } from './require-sudo.js'

async function showPhone(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  shown: PhoneShown = {},
): Promise<FastifyReply> {
  const auth = userOf(req)
  const current = await verifiedPhone(ctx, auth.user.id)
  const canText = (await smsCapability(ctx)).enabled
  const siteName = ctx.config.siteName
  const masked = current ? maskPhoneNumber(current.phone) : null
  const verifiedOn = current ? new Date(current.verifiedAt).toISOString().slice(0, 10) : ''
  const pendingMasked = shown.pending ? maskPhoneNumber(shown.pending) : ''
  return sendAccountPage(
    ctx,
    req,
    reply,
    status,
    PHONE_TEXT.title,
    (csrf) => (
      <PhonePage
        csrf={csrf}
        shown={shown}
        siteName={siteName}
        masked={masked}
        verifiedOn={verifiedOn}
        pendingMasked={pendingMasked}
        canText={canText}
      />
    ),
    { narrow: true },
  )
}

function notFound(ctx: Ctx, reply: FastifyReply): FastifyReply {
  return sendErrorPage(reply, ctx.config, 404, {
    title: 'Not found',
    message: ERROR_TEXT.notFound,
  })
}

const PHONE_VERIFY_MESSAGES: WebMessages = {
  'invalid-phone': PHONE_INVALID_TEXT,
  'wrong-code': PHONE_TEXT.wrongCode,
}

/** startPhoneVerification's failures (accounts/ does not export the type by name). */
type PhoneStartError = Extract<
  Awaited<ReturnType<typeof startPhoneVerification>>,
  { ok: false }
>['error']

/** Why no code went out: each answer keeps what the person typed, or the number awaiting its code. */
function showStartError(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  typed: string,
  e: PhoneStartError,
): Promise<FastifyReply> {
  switch (e.kind) {
    case 'invalid-phone':
      return showPhone(ctx, req, reply, 400, { error: PHONE_INVALID_TEXT, typed })
    case 'sms-unavailable':
      return showPhone(ctx, req, reply, 200, { error: PHONE_TEXT.cantSend })
    case 'too-soon': {
      // Only a valid number gets this far: the code already texted to it stays good.
      const parsed = parsePhoneNumber(typed)
      return showPhone(ctx, req, reply, 200, {
        pending: parsed.ok ? parsed.value : undefined,
        notice: `We sent a code less than a minute ago. You can ask for another in ${e.retryAfterSeconds} second${e.retryAfterSeconds === 1 ? '' : 's'}.`,
      })
    }
    case 'rate-limited': {
      const { status, message } = webError(reply, e)
      return showPhone(ctx, req, reply, status, { error: message, typed })
    }
    case 'sms-failed':
      if (e.reason === 'invalid_number')
        return showPhone(ctx, req, reply, 400, { error: PHONE_TEXT.badNumber, typed })
      return showPhone(ctx, req, reply, 200, { error: PHONE_TEXT.cantSend, typed })
  }
}

/** The notice after a number is verified, saying so when its security notice was not mailed. */
function phoneVerifiedNotice(done: { phone: string; notified: boolean }): string {
  const text = `Your phone number ${maskPhoneNumber(done.phone)} is verified. You can now confirm it's you with a texted code.`
  return done.notified ? text : `${text} ${NOT_EMAILED}`
}

/** A code that did not verify: a malformed number starts over, else it keeps waiting for its code. */
function showVerifyError(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  phone: string,
  e: Parameters<typeof webError>[1],
) {
  const { status, message } = webError(reply, e, PHONE_VERIFY_MESSAGES, PHONE_TEXT.expired)
  const pending = e.kind === 'invalid-phone' ? undefined : phone
  return showPhone(ctx, req, reply, status, { pending, error: message })
}

export function registerPhoneRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/account/phone', LOGGED_IN, async (req, reply) => {
    if (!smsReauthConfigured(ctx.config)) return notFound(ctx, reply)
    if (!(await requireSudo(ctx, req, reply, '/account/phone'))) return reply
    return showPhone(ctx, req, reply, 200)
  })

  app.post('/account/phone', LOGGED_IN, async (req, reply) => {
    if (!smsReauthConfigured(ctx.config)) return notFound(ctx, reply)
    if (!(await requireSudo(ctx, req, reply, '/account/phone'))) return reply
    const auth = userOf(req)
    const typed = formField(req.body, 'phone')
    const r = await startPhoneVerification(ctx, {
      user: auth.user,
      session: auth.session,
      phone: typed,
    })
    if (r.ok)
      return showPhone(ctx, req, reply, 200, {
        pending: r.value.phone,
        notice: `We sent a code to ${r.value.maskedTo}.`,
      })
    return showStartError(ctx, req, reply, typed, r.error)
  })

  app.post('/account/phone/verify', LOGGED_IN, async (req, reply) => {
    if (!smsReauthConfigured(ctx.config)) return notFound(ctx, reply)
    if (!(await requireSudo(ctx, req, reply, '/account/phone'))) return reply
    const auth = userOf(req)
    const phone = formField(req.body, 'phone')
    const r = await confirmPhoneVerification(ctx, {
      user: auth.user,
      session: auth.session,
      phone,
      code: formField(req.body, 'code'),
      meta: requestMeta(req),
    })
    if (!r.ok) return showVerifyError(ctx, req, reply, phone, r.error)
    return showPhone(ctx, req, reply, 200, { notice: phoneVerifiedNotice(r.value) })
  })

  app.get('/account/phone/remove', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/phone/remove'))) return reply
    const card = (csrf: string) => <RemovePhoneCard csrf={csrf} />
    return sendAccountPage(ctx, req, reply, 200, 'Remove phone number', card, { narrow: true })
  })

  app.post('/account/phone/remove', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/phone/remove'))) return reply
    const auth = userOf(req)
    const r = await removePhone(ctx, { user: auth.user, meta: requestMeta(req) })
    const notice = r.ok
      ? `Your phone number was removed.${r.value.notified ? '' : ` ${NOT_EMAILED}`}`
      : 'Your account has no phone number.'
    if (!smsReauthConfigured(ctx.config)) return reply.redirect('/account/security', 303)
    return showPhone(ctx, req, reply, 200, { notice })
  })
}
