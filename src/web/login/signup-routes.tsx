/**
 * GET/POST /signup (spec LG-4) and POST /login/email (LG-2). Sign-up exists only while
 * REGISTRATION_OPEN and some way in can work (a mailed link, or SIGNUP_WITH_PASSWORD); otherwise
 * the page is absent and a direct POST gets 200 with the LG-4 text and creates nothing. Requests
 * over RL-L1/RL-L2 get 429 with Retry-After and the wait in minutes, whatever the address.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  requestSignInLink,
  SIGN_UP_TEXT,
  signUp,
  signUpMode,
  waitMinutesText,
} from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { ANONYMOUS_FORM, PUBLIC } from '../access-guard.js'
import { requestMeta } from '../account/account-page.js'
import { formCsrfToken } from '../csrf.js'
import { sendErrorPage } from '../error-page.js'
import { formField, sendPage } from '../render.js'
import { type WebMessages, webError } from '../web-errors.js'
import { sendLoginPage } from './login-reply.js'
import { SignUpPage } from './signup-page.js'

function signUpPage(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  mode: 'link' | 'password' | 'closed',
  message?: { error?: string; notice?: string },
) {
  return sendPage(
    reply,
    status,
    <SignUpPage
      siteName={ctx.config.siteName}
      csrf={formCsrfToken(ctx, req, reply)}
      minLength={ctx.config.accounts.passwordMinLength}
      mode={mode}
      message={message}
    />,
  )
}

/**
 * After a password sign-up: the log-in form with the address filled in. Issue #11 F8: the same
 * page whether the address was new or not; nobody is logged in.
 */
function sendSignedUp(ctx: Ctx, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendLoginPage(ctx, req, reply, 200, {
    email: formField(req.body, 'email').trim(),
    notice: SIGN_UP_TEXT.passwordSignedUp,
  })
}

const SIGN_UP_MESSAGES: WebMessages = {
  throttled: (e) =>
    `Too many sign-up requests. Try again in ${waitMinutesText(Number(e.retryAfterSeconds))}.`,
  closed: SIGN_UP_TEXT.noMail,
  'send-failed': SIGN_UP_TEXT.sendFailed,
  'invalid-email': "We couldn't create an account with that address.",
}

/** What the log-in page says after a sign-in link was asked for, and with which status. */
function signInLinkShown(answer: Awaited<ReturnType<typeof requestSignInLink>>): {
  status: number
  notice?: string
  error?: string
} {
  if (typeof answer === 'object') {
    const wait = waitMinutesText(answer.retryAfterSeconds)
    return { status: 429, error: `Too many sign-in link requests. Try again in ${wait}.` }
  }
  if (answer === 'checkEmail') return { status: 200, notice: SIGN_UP_TEXT.checkEmail }
  return { status: 200, error: SIGN_UP_TEXT[answer] }
}

export function registerSignUpRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/signup', PUBLIC, async (req, reply) => {
    const mode = await signUpMode(ctx)
    if (mode === 'closed')
      return sendErrorPage(reply, ctx.config, 404, {
        title: 'Sign-up is closed',
        message: SIGN_UP_TEXT.noMail,
        link: { href: '/login', text: 'Log in' },
      })
    return signUpPage(ctx, req, reply, 200, mode)
  })

  app.post('/signup', ANONYMOUS_FORM, async (req, reply) => {
    const r = await signUp(ctx, {
      email: formField(req.body, 'email'),
      password: formField(req.body, 'password'),
      meta: requestMeta(req),
    })
    const mode = await signUpMode(ctx)
    if (r.ok && r.value.mode === 'link')
      return signUpPage(ctx, req, reply, 200, mode, { notice: SIGN_UP_TEXT.checkEmail })
    if (r.ok) return sendSignedUp(ctx, req, reply)
    const { status, message } = webError(reply, r.error, SIGN_UP_MESSAGES)
    return signUpPage(ctx, req, reply, status, mode, { error: message })
  })

  app.post('/login/email', ANONYMOUS_FORM, async (req, reply) => {
    const answer = await requestSignInLink(ctx, formField(req.body, 'email'), req.ip)
    if (typeof answer === 'object') reply.header('Retry-After', String(answer.retryAfterSeconds))
    const { status, ...shown } = signInLinkShown(answer)
    return sendLoginPage(ctx, req, reply, status, shown)
  })
}
