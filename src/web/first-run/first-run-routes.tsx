/**
 * The first-run form at `/` (the page itself is shown by the home route while no user exists).
 * POST / creates the owner and their first project, logs them in and opens the dashboard. Once
 * any user exists it answers 409 and changes nothing; createOwner settles concurrent submissions.
 * From anywhere but loopback the form also needs the setup code (accounts/setup-code.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { checkSetupCode, countUsers, createSession, waitMinutesText } from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { createOwner } from '../../projects/index.js'
import { ANONYMOUS_FORM } from '../access-guard.js'
import { formCsrfToken } from '../csrf.js'
import { ERROR_TEXT, sendErrorPage } from '../error-page.js'
import { formField, sendPage } from '../render.js'
import { setSessionCookie } from '../web-auth.js'
import { type WebMessages, webError } from '../web-errors.js'
import { FirstRunPage } from './first-run-page.js'
import { isLoopbackRequest } from './local-request.js'

const OWNER_MESSAGES: WebMessages = {
  'invalid-email': 'Enter a valid email address.',
  'email-taken': 'That email address already has an account.',
}

const SETUP_CODE_MESSAGES: WebMessages = {
  throttled: (e) =>
    `Too many setup codes tried. Try again in ${waitMinutesText(Number(e.retryAfterSeconds))}.`,
  'wrong-setup-code': 'That setup code is not right. It is in the server’s start-up log.',
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
  const { status, message } = webError(reply, r.error, SETUP_CODE_MESSAGES)
  showFirstRun(ctx, req, reply, status, { email, error: message })
  return true
}

/** The owner could not be made: another request set the instance up first, or the form again. */
function showOwnerError(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  email: string,
  e: { kind: string },
): FastifyReply {
  // createOwner settles the race between concurrent first-run submissions.
  if (e.kind === 'already-set-up') return sendAlreadySetUp(ctx, reply)
  const { status, message } = webError(reply, e, OWNER_MESSAGES)
  return showFirstRun(ctx, req, reply, status, { email, error: message })
}

export function registerFirstRunRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.post('/', ANONYMOUS_FORM, async (req, reply) => {
    if ((await countUsers(ctx)) > 0) return sendAlreadySetUp(ctx, reply)
    const email = formField(req.body, 'email')
    if (await refuseWithoutSetupCode(ctx, req, reply, email)) return reply
    const password = formField(req.body, 'password')
    if (password !== formField(req.body, 'password_confirm'))
      return showFirstRun(ctx, req, reply, 400, { email, error: 'The two passwords differ.' })
    const r = await createOwner(ctx, { email, password })
    if (!r.ok) return showOwnerError(ctx, req, reply, email, r.error)
    const { token, session } = await createSession(ctx, r.value.user.id)
    setSessionCookie(ctx, reply, token, session)
    return reply.redirect('/checks/', 303)
  })
}
