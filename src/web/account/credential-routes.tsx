/**
 * /account/password (LG-6) and /account/email (LG-5) with its confirmation link. Both need a sudo
 * grant; the pages say plainly when no mail could be sent or when the address stays unverified.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  changePassword,
  confirmEmailChange,
  NOT_EMAILED,
  requestEmailChange,
} from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { LOGGED_IN, userOf } from '../access-guard.js'
import { formField } from '../render.js'
import { describeWebError, type WebMessages, webError } from '../web-errors.js'
import { requestMeta, sendAccountPage } from './account-page.js'
import { DonePage, EmailPage, PasswordPage } from './credential-page.js'
import { requireSudo } from './require-sudo.js'

export const PASSWORD_TEXT = {
  tooCommon: 'This password is on the list of common passwords. Choose a less common one.',
} as const

export const EMAIL_TEXT = {
  unverified: "Email isn't configured on this server, so we couldn't verify this address.",
} as const

function passwordPage(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  error?: string,
) {
  const hasPassword = userOf(req).user.password_hash != null
  const title = hasPassword ? 'Change password' : 'Set a password'
  const minLength = ctx.config.accounts.passwordMinLength
  return sendAccountPage(
    ctx,
    req,
    reply,
    status,
    title,
    (csrf) => (
      <PasswordPage
        csrf={csrf}
        title={title}
        hasPassword={hasPassword}
        minLength={minLength}
        error={error}
      />
    ),
    { narrow: true },
  )
}

function emailPage(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  error?: string,
) {
  const email = userOf(req).user.email
  return sendAccountPage(
    ctx,
    req,
    reply,
    status,
    'Change email',
    (csrf) => <EmailPage csrf={csrf} email={email} error={error} />,
    { narrow: true },
  )
}

function donePage(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  title: string,
  lines: string[],
) {
  return sendAccountPage(
    ctx,
    req,
    reply,
    200,
    title,
    () => <DonePage title={title} lines={lines} />,
    { narrow: true },
  )
}

const EMAIL_ERRORS: WebMessages = {
  'invalid-email': 'That is not an email address.',
  'email-taken': 'Another account uses that address.',
  'same-email': 'That is already your address.',
  'mail-degraded':
    "We can't send the verification email right now. Your email address was not changed.",
}

const EMAIL_CONFIRM_ERRORS: WebMessages = {
  'email-taken': 'Another account now uses that address. Your address was not changed.',
}

const EMAIL_LINK_INVALID =
  'This link has expired, was already used, or belongs to another account. Your address was not changed.'

/** Changing a password words the limits as the *new* password's. */
const PASSWORD_CHANGE_MESSAGES: WebMessages = {
  'password-too-short': (e) => `The new password needs at least ${e.min} characters.`,
  'password-too-long': (e) => `The new password may have at most ${e.max} characters.`,
  'password-too-common': PASSWORD_TEXT.tooCommon,
}

/** What the page after a password change says: done, sessions ended, a notice not mailed. */
function passwordChangedLines(done: { notified: boolean; signedOut: number }): string[] {
  const ended = done.signedOut
  return [
    'Your password was changed.',
    ended ? `${ended} other session${ended === 1 ? ' was' : 's were'} signed out.` : '',
    done.notified ? '' : NOT_EMAILED,
  ]
}

/** The page after an address change: applied at once (no mail here), or a link sent. */
function emailChangeDone(
  outcome: { applied: true } | { applied: false; sentTo: string },
  email: string,
): { title: string; lines: string[] } {
  if (outcome.applied)
    return {
      title: 'Email changed',
      lines: [`Your address is now ${email}.`, EMAIL_TEXT.unverified],
    }
  return {
    title: 'Check your new inbox',
    lines: [
      `We sent a confirmation link to ${outcome.sentTo}. Your address changes when you open it (within 30 minutes).`,
    ],
  }
}

export function registerCredentialRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/account/password', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/password'))) return reply
    return passwordPage(ctx, req, reply, 200)
  })

  app.post('/account/password', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/password'))) return reply
    const { user, session } = userOf(req)
    const r = await changePassword(ctx, {
      user,
      session,
      current: formField(req.body, 'current'),
      password: formField(req.body, 'password'),
      meta: requestMeta(req),
      actorUserId: user.id,
    })
    if (!r.ok) {
      const { status, message } = webError(reply, r.error, PASSWORD_CHANGE_MESSAGES)
      return passwordPage(ctx, req, reply, status, message)
    }
    return donePage(ctx, req, reply, 'Password changed', passwordChangedLines(r.value))
  })

  app.get('/account/email', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/email'))) return reply
    return emailPage(ctx, req, reply, 200)
  })

  app.post('/account/email', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/email'))) return reply
    const auth = userOf(req)
    const r = await requestEmailChange(ctx, {
      user: auth.user,
      newEmail: formField(req.body, 'email'),
      keepSessionId: auth.session.id,
      meta: requestMeta(req),
    })
    if (!r.ok) {
      const { status, message } = webError(reply, r.error, EMAIL_ERRORS)
      return emailPage(ctx, req, reply, status, message)
    }
    const { title, lines } = emailChangeDone(r.value, auth.user.email)
    return donePage(ctx, req, reply, title, lines)
  })

  app.get('/account/email/confirm', LOGGED_IN, async (req, reply) => {
    // The link applies the change only for the account it was made for: log in first (LG-5);
    // the access guard sends it back here after log-in through `next` (login-routes.tsx).
    const auth = userOf(req)
    const token = (req.query as Record<string, unknown>).token
    const r = await confirmEmailChange(ctx, {
      user: auth.user,
      token: typeof token === 'string' ? token : '',
      keepSessionId: auth.session.id,
      meta: requestMeta(req),
    })
    if (!r.ok) {
      const { message } = describeWebError(r.error, EMAIL_CONFIRM_ERRORS, EMAIL_LINK_INVALID)
      return donePage(ctx, req, reply, 'Link not valid', [message])
    }
    return donePage(ctx, req, reply, 'Email changed', [`Your address is now ${r.value.email}.`])
  })
}
