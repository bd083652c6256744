/**
 * The first-run form at `/` (the page itself is shown by the home route while no user exists).
 * POST / creates the owner and their first project, logs them in and opens the dashboard. Once
 * any user exists it answers 409 and changes nothing; createOwner settles concurrent submissions.
 * From anywhere but loopback the form also needs the setup code (accounts/setup-code.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  BREACHED_PASSWORD_TEXT,
  checkSetupCode,
  countUsers,
  createSession,
  waitMinutesText,
} from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { type CreateOwnerError, createOwner } from '../../projects/index.js'
import { ANONYMOUS_FORM } from '../access-guard.js'
import { formCsrfToken } from '../csrf.js'
import { ERROR_TEXT, sendErrorPage } from '../error-page.js'
import { formField, sendPage } from '../render.js'
import { setSessionCookie } from '../web-auth.js'
import { FirstRunPage } from './first-run-page.js'
import { isLoopbackRequest } from './local-request.js'

const MESSAGES: Record<
  Exclude<CreateOwnerError['kind'], 'already-set-up' | 'password-too-short'>,
  string
> = {
  'invalid-email': 'Enter a valid email address.',
  'password-too-long': 'The password may have at most 256 characters.',
  'password-too-common': 'This password is too common. Choose a less common one.',
  'password-breached': BREACHED_PASSWORD_TEXT,
  'email-taken': 'That email address already has an account.',
}

export function showFirstRun(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  status = 200,
  form: { email?: string; error?: string } = {},
): FastifyReply {
  const csrf = formCsrfToken(ctx, req, reply)
  return sendPage(
    reply,
    status,
    <FirstRunPage
      siteName={ctx.config.siteName}
      csrf={csrf}
      minLength={ctx.config.accounts.passwordMinLength}
      codeRequired={!isLoopbackRequest(ctx.config, req)}
      {...form}
    />,
  )
}

function sendAlreadySetUp(ctx: Ctx, reply: FastifyReply): FastifyReply {
  return sendErrorPage(reply, ctx.config, 409, {
    title: 'Already set up',
    message: ERROR_TEXT.alreadySetUp,
    link: { href: '/login', text: 'Log in' },
  })
}

/**
 * The setup-code gate (issue 11): false when the request may go on (loopback, or the right code
 * within the rate limit); otherwise it has re-shown the form with 403 or 429 and returns true.
 * (A boolean, not the reply: an async function returning a reply would resolve its `then`.)
 */
async function refuseWithoutSetupCode(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  email: string,
): Promise<boolean> {
  if (isLoopbackRequest(ctx.config, req)) return false
  const r = await checkSetupCode(ctx, { given: formField(req.body, 'setup_code'), ip: req.ip })
  if (r.ok) return false
  if (r.error.kind === 'throttled') {
    reply.header('Retry-After', String(r.error.retryAfterSeconds))
    const error = `Too many setup codes tried. Try again in ${waitMinutesText(r.error.retryAfterSeconds)}.`
    showFirstRun(ctx, req, reply, 429, { email, error })
  } else {
    const error = 'That setup code is not right. It is in the server’s start-up log.'
    showFirstRun(ctx, req, reply, 403, { email, error })
  }
  return true
}

export function registerFirstRunRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/', ANONYMOUS_FORM, async (req, reply) => {
    if ((await countUsers(ctx)) > 0) return sendAlreadySetUp(ctx, reply)
    const email = formField(req.body, 'email')
    if (await refuseWithoutSetupCode(ctx, req, reply, email)) return reply
    const password = formField(req.body, 'password')
    if (password !== formField(req.body, 'password_confirm')) {
      return showFirstRun(ctx, req, reply, 400, { email, error: 'The two passwords differ.' })
    }
    const r = await createOwner(ctx, { email, password })
    if (!r.ok) {
      if (r.error.kind === 'already-set-up') return sendAlreadySetUp(ctx, reply)
      const error =
        r.error.kind === 'password-too-short'
          ? `The password needs at least ${r.error.min} characters.`
          : MESSAGES[r.error.kind]
      return showFirstRun(ctx, req, reply, 400, { email, error })
    }
    const { token, session } = await createSession(ctx, r.value.user.id)
    setSessionCookie(ctx, reply, token, session)
    return reply.redirect('/checks/', 303)
  })
}
