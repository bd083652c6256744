/**
 * The unsubscribe links of mails (Healthchecks' URLs, so links it mailed keep working):
 *   /integrations/<channel uuid>/unsub/<signed token>/  — an alert email's channel;
 *   /accounts/unsubscribe_reports/<signed user id>/      — reports and "still down" reminders.
 * Anonymous: no session, no mail server needed. GET only shows a confirmation form (mail scanners
 * follow links; GET changes nothing); POST unsubscribes. As Healthchecks, the form of a link signed
 * over 5 minutes ago is submitted by a served script (a scanner checks links as the mail arrives,
 * a person opens them later); without scripts the button does it. The POST needs no CSRF token (route
 * config `signedLink`): RFC 8058 one-click POSTs come from the mail provider without cookies or
 * form fields, and the signed token in the URL is itself the secret a forger would need. Those
 * POSTs may be multipart/form-data, so this scope accepts (and ignores) any small body. A bad
 * token is a 400 page, checked with one HMAC before any query, and writes nothing.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { findReportsUnsubscribeUser, maskEmail, unsubscribeReports } from '../../accounts/index.js'
import { findUnsubscribeTarget, unsubscribeEmailChannel } from '../../channels/index.js'
import type { Ctx } from '../../context.js'
import { PUBLIC } from '../access-guard.js'
import { sendErrorPage } from '../error-page.js'
import { sendPage } from '../render.js'
import { Confirm, Done } from './unsubscribe-page.js'

export const UNSUBSCRIBE_TEXT = {
  badLink:
    'This unsubscribe link is not valid: it may be incomplete or altered. Copy the whole link from the email, or change your notification settings after logging in.',
  confirmAlerts: 'Unsubscribe from these alert emails?',
  confirmReports: 'Unsubscribe from email reports and "still down" reminders?',
  reportsDone: 'You will no longer receive email reports or "still down" reminders.',
  channelGone: 'This email integration no longer exists: it sends no more alerts.',
} as const

export function alertsDoneText(address: string): string {
  return `You will no longer receive alerts at ${maskEmail(address)}.`
}

interface SignedLinkParams {
  code?: string
  token: string
}

/** Healthchecks auto-submits the confirmation of links signed longer ago than this. */
export const AUTOSUBMIT_AFTER_MS = 5 * 60_000

function badLink(ctx: Ctx, reply: FastifyReply): FastifyReply {
  return sendErrorPage(reply, ctx.config, 400, {
    title: 'Bad unsubscribe link',
    message: UNSUBSCRIBE_TEXT.badLink,
  })
}

export const unsubscribeRoutes: FastifyPluginAsync<{ ctx: Ctx }> = async (app, { ctx }) => {
  const siteName = ctx.config.siteName
  // RFC 8058 allows multipart/form-data for the one-click POST; its body says nothing we need.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 8192 }, (_req, _body, done) =>
    done(null, {}),
  )
  const isOld = (signedAt: number) => ctx.clock.now() - signedAt > AUTOSUBMIT_AFTER_MS
  const robots = (reply: FastifyReply) => reply.header('x-robots-tag', 'noindex')
  const showDone = (reply: FastifyReply, message: string) =>
    sendPage(reply, 200, <Done siteName={siteName} message={message} />)
  const showConfirm = (reply: FastifyReply, question: string, signedAt: number) =>
    sendPage(
      reply,
      200,
      <Confirm siteName={siteName} question={question} autosubmit={isOld(signedAt)} />,
    )

  app.get<{ Params: SignedLinkParams }>(
    '/integrations/:code/unsub/:token/',
    PUBLIC,
    async (req, reply) => {
      robots(reply)
      const target = await findUnsubscribeTarget(ctx, req.params.code ?? '', req.params.token)
      if (!target.ok) return badLink(ctx, reply)
      if (target.value === null) return showDone(reply, UNSUBSCRIBE_TEXT.channelGone)
      return showConfirm(reply, UNSUBSCRIBE_TEXT.confirmAlerts, target.value.signedAt)
    },
  )

  app.post<{ Params: SignedLinkParams }>(
    '/integrations/:code/unsub/:token/',
    { config: { signedLink: true, access: 'public' } },
    async (req, reply) => {
      robots(reply)
      const done = await unsubscribeEmailChannel(ctx, req.params.code ?? '', req.params.token)
      if (!done.ok) return badLink(ctx, reply)
      const message =
        done.value === null ? UNSUBSCRIBE_TEXT.channelGone : alertsDoneText(done.value.address)
      return showDone(reply, message)
    },
  )

  app.get<{ Params: SignedLinkParams }>(
    '/accounts/unsubscribe_reports/:token/',
    PUBLIC,
    async (req, reply) => {
      robots(reply)
      const user = await findReportsUnsubscribeUser(ctx, req.params.token)
      if (!user.ok) return badLink(ctx, reply)
      // As Healthchecks: a deleted account's old link just says it is done.
      if (user.value.userId === null) return showDone(reply, UNSUBSCRIBE_TEXT.reportsDone)
      return showConfirm(reply, UNSUBSCRIBE_TEXT.confirmReports, user.value.signedAt)
    },
  )

  app.post<{ Params: SignedLinkParams }>(
    '/accounts/unsubscribe_reports/:token/',
    { config: { signedLink: true, access: 'public' } },
    async (req, reply) => {
      robots(reply)
      const done = await unsubscribeReports(ctx, req.params.token)
      if (!done.ok) return badLink(ctx, reply)
      return showDone(reply, UNSUBSCRIBE_TEXT.reportsDone)
    },
  )
}
