/**
 * GET/POST /signup/invitation: the sign-up link of an invitation for an address without an
 * account (issue #11 F1). The GET only shows the form (link previewers cannot use it up); the
 * POST creates the new account with the chosen password and signs it in without sudo. The link
 * never opens an existing account. Open whether or not REGISTRATION_OPEN, as in Healthchecks.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { deleteSession } from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { acceptInvitation, describeInvitation, type InvitationError } from '../../projects/index.js'
import { ANONYMOUS_FORM, PUBLIC } from '../access-guard.js'
import { requestMeta } from '../account/account-page.js'
import { formCsrfToken } from '../csrf.js'
import { formField, sendPage } from '../render.js'
import { setSessionCookie } from '../web-auth.js'
import { describeWebError } from '../web-errors.js'
import { InvitationPage } from './invitation-page.js'

export const INVITATION_TEXT = {
  'link-invalid':
    'This invitation link has expired or was already used. Ask whoever invited you for a new one.',
  'account-exists':
    'An account with this address exists already, so this link cannot be used. Log in with that account and ask whoever invited you to invite you again: you will be added at once.',
} as const

function errorText(e: InvitationError): string {
  return describeWebError(e, INVITATION_TEXT).message
}

async function invitationPage(
  ctx: Ctx,
  req: FastifyRequest,
  reply: FastifyReply,
  token: string,
  status: number,
  error?: InvitationError,
) {
  const info = await describeInvitation(ctx, token)
  // A refused password shows the form again; a dead link or a taken address shows only why.
  const shown = error ?? (info.ok ? undefined : info.error)
  return sendPage(
    reply,
    info.ok ? status : 400,
    <InvitationPage
      siteName={ctx.config.siteName}
      csrf={formCsrfToken(ctx, req, reply)}
      minLength={ctx.config.accounts.passwordMinLength}
      token={token}
      info={info}
      shownError={shown && errorText(shown)}
    />,
  )
}

export function registerInvitationRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/signup/invitation', PUBLIC, async (req, reply) => {
    const token = (req.query as Record<string, unknown>).token
    return invitationPage(ctx, req, reply, typeof token === 'string' ? token : '', 200)
  })

  app.post('/signup/invitation', ANONYMOUS_FORM, async (req, reply) => {
    const token = formField(req.body, 'token')
    const r = await acceptInvitation(ctx, {
      token,
      password: formField(req.body, 'password'),
      meta: requestMeta(req),
    })
    if (!r.ok) return invitationPage(ctx, req, reply, token, 400, r.error)
    // Whatever session this browser had is replaced, never reused (session fixation).
    if (req.webAuth) await deleteSession(ctx, req.webAuth.session.id)
    setSessionCookie(ctx, reply, r.value.token, r.value.session)
    return reply.redirect(`/projects/${r.value.project.code}/checks/`, 303)
  })
}
