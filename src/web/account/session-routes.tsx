/**
 * /account/sessions (spec SE-5: the user's sessions, sign out one without sudo, all others with
 * sudo) and /account/audit (AU-3: the user's own security events, also NT-2's in-app record;
 * a project's for its owner and managers; every account's for superusers).
 */
import type { FastifyInstance } from 'fastify'
import { listSessions, revokeSession, revokeUserSessions } from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import { LOGGED_IN, sendTwoFactorRequired, userOf } from '../access-guard.js'
import { formField } from '../render.js'
import { requestMeta, sendAccountPage } from './account-page.js'
import { loadAuditScope } from './audit-scope.js'
import { requireSudo } from './require-sudo.js'
import { AuditNotFound, AuditPage, SessionsPage } from './sessions-page.js'

export function registerSessionRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/account/sessions', LOGGED_IN, async (req, reply) => {
    const auth = userOf(req)
    const q = req.query as Record<string, unknown>
    const ended = typeof q.ended === 'string' && /^\d+$/.test(q.ended) ? q.ended : null
    const sessions = await listSessions(ctx, auth.user.id, ctx.clock.now())
    return sendAccountPage(ctx, req, reply, 200, 'Your sessions', (csrf) => (
      <SessionsPage sessions={sessions} currentId={auth.session.id} ended={ended} csrf={csrf} />
    ))
  })

  app.post('/account/sessions/revoke', LOGGED_IN, async (req, reply) => {
    const auth = userOf(req)
    const done = await revokeSession(ctx, {
      user: auth.user,
      ref: formField(req.body, 'ref'),
      currentSessionId: auth.session.id,
      meta: requestMeta(req),
    })
    return reply.redirect(`/account/sessions?ended=${done ? 1 : 0}`, 303)
  })

  app.post('/account/sessions/revoke-others', LOGGED_IN, async (req, reply) => {
    if (!(await requireSudo(ctx, req, reply, '/account/sessions'))) return reply
    const auth = userOf(req)
    const n = await revokeUserSessions(ctx, {
      user: auth.user,
      keepId: auth.session.id,
      actorUserId: auth.user.id,
      meta: requestMeta(req),
    })
    return reply.redirect(`/account/sessions?ended=${n}`, 303)
  })

  // AU-3: your own events, a project's or the whole server's (audit-scope.ts). A scope the user
  // may not see answers 404, as a missing page would.
  app.get('/account/audit', LOGGED_IN, async (req, reply) => {
    const auth = userOf(req)
    const scope = await loadAuditScope(ctx, auth, req.query as Record<string, unknown>)
    if ('refused' in scope && scope.refused === 'two-factor')
      return sendTwoFactorRequired(ctx, reply)
    if ('refused' in scope)
      return sendAccountPage(ctx, req, reply, 404, 'Not found', () => <AuditNotFound />)
    return sendAccountPage(ctx, req, reply, 200, 'Security activity', () => (
      <AuditPage {...scope} />
    ))
  })
}
