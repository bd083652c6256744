/**
 * /account/sessions (spec SE-5: the user's sessions, sign out one without sudo, all others with
 * sudo) and /account/audit (AU-3: the user's own security events, also NT-2's in-app record;
 * a project's for its owner and managers; every account's for superusers).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
  listAllSecurityEvents,
  listProjectSecurityEvents,
  listSecurityEvents,
  listSessions,
  revokeSession,
  revokeUserSessions,
  summariseUserAgent,
} from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import type { SecurityEvent } from '../../db/index.js'
import { blockedByTwoFactorPolicy, projectAccess } from '../../projects/index.js'
import { LOGGED_IN, sendTwoFactorRequired, userOf } from '../access-guard.js'
import { CSRF_FIELD } from '../csrf.js'
import { formField } from '../render.js'
import { Notice, requestMeta, sendAccountPage } from './account-page.js'
import { requireSudo } from './require-sudo.js'

const iso = (t: number) => new Date(t).toISOString().replace('T', ' ').slice(0, 16) + ' UTC'

export function registerSessionRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get('/account/sessions', LOGGED_IN, async (req, reply) => {
    const auth = userOf(req)
    const q = req.query as Record<string, unknown>
    const sessions = await listSessions(ctx, auth.user.id, ctx.clock.now())
    return sendAccountPage(ctx, req, reply, 200, 'Your sessions', (csrf) => (
      <>
        <h1>Your sessions</h1>
        {typeof q.ended === 'string' && /^\d+$/.test(q.ended) && (
          <Notice>Signed out {q.ended} session(s).</Notice>
        )}
        <div class="card">
          <table>
            <thead>
              <tr>
                <th>Device</th>
                <th>IP address</th>
                <th>Signed in</th>
                <th>Last seen</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} data-session={s.id.slice(0, 16)}>
                  <td>{summariseUserAgent(s.user_agent) || 'Unknown device'}</td>
                  <td>{s.ip || '–'}</td>
                  <td>{iso(s.created)}</td>
                  <td>{iso(s.last_seen)}</td>
                  <td>
                    {s.id === auth.session.id ? (
                      <strong>This session</strong>
                    ) : (
                      <form method="post" action="/account/sessions/revoke">
                        <input type="hidden" name={CSRF_FIELD} value={csrf} />
                        <input type="hidden" name="ref" value={s.id.slice(0, 16)} />
                        <button type="submit" class="secondary">
                          Sign out
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form method="post" action="/account/sessions/revoke-others">
            <input type="hidden" name={CSRF_FIELD} value={csrf} />
            <div class="actions">
              <button type="submit">Sign out all other sessions</button>
            </div>
          </form>
        </div>
      </>
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
    const auth = req.webAuth!
    const n = await revokeUserSessions(ctx, {
      user: auth.user,
      keepId: auth.session.id,
      actorUserId: auth.user.id,
      meta: requestMeta(req),
    })
    return reply.redirect(`/account/sessions?ended=${n}`, 303)
  })

  // AU-3: your own events; `?project=<uuid>` a project's (owner and managers); `?all=1` the whole
  // server's (superusers). A scope the user may not see answers 404, as a missing page would.
  app.get('/account/audit', LOGGED_IN, async (req, reply) => {
    const auth = userOf(req)
    const q = req.query as Record<string, unknown>
    let heading = 'Security activity'
    let events: SecurityEvent[]
    let scoped = false
    if (typeof q.project === 'string') {
      const role = await projectAccess(ctx, auth.user.id, q.project)
      const project =
        role === 'owner' || role === 'm' || role === 'superuser'
          ? await ctx.db.kysely
              .selectFrom('projects')
              .select(['id', 'name', 'require_2fa'])
              .where('code', '=', q.project)
              .executeTakeFirst()
          : null
      if (!project) return sendAuditNotFound(ctx, req, reply)
      // The project comes from the query, not the path: the access guard's 2FA rule, here.
      if (blockedByTwoFactorPolicy(project, auth.session)) return sendTwoFactorRequired(ctx, reply)
      heading = `Security activity – ${project.name}`
      events = await listProjectSecurityEvents(ctx, project.id)
      scoped = true
    } else if (q.all === '1') {
      if (auth.user.is_superuser !== 1) return sendAuditNotFound(ctx, req, reply)
      heading = 'Security activity – all accounts'
      events = await listAllSecurityEvents(ctx)
      scoped = true
    } else events = await listSecurityEvents(ctx, auth.user.id)
    return sendAccountPage(ctx, req, reply, 200, 'Security activity', () => (
      <>
        <h1>{heading}</h1>
        <div class="card">
          <table>
            <thead>
              <tr>
                <th>When</th>
                <th>Event</th>
                {scoped && <th>Account</th>}
                <th>IP address</th>
                <th>Device</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} data-event={e.type}>
                  <td>{iso(e.ts)}</td>
                  <td>{e.type}</td>
                  {scoped && (
                    // The account's number only: closed accounts leave no address behind (LG-7).
                    <td data-subject={e.subject_user_id ?? ''}>
                      {e.subject_user_id === null ? '–' : `#${e.subject_user_id}`}
                    </td>
                  )}
                  <td>{e.ip || '–'}</td>
                  <td>{e.ua_summary || '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </>
    ))
  })
}

function sendAuditNotFound(ctx: Ctx, req: FastifyRequest, reply: FastifyReply) {
  return sendAccountPage(ctx, req, reply, 404, 'Not found', () => (
    <div class="card">
      <h1>Not found</h1>
      <p>There is no such activity list, or you may not see it.</p>
    </div>
  ))
}
