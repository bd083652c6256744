/**
 * The admin status routes (DOC-3), superusers only; anyone else gets "not found". GET
 * /admin/system (page.tsx) and /admin/system.json; POST buttons re-run the checks (with the SMTP
 * probe), send a test email to the admin, and sign one user or everyone out (SE-7). Also samples
 * request origins (SITE-003/004) on every web request.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { findUserForOperator, revokeAllSessions, revokeUserSessions } from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import {
  RequestSampler,
  rememberProblemCount,
  requestOrigin,
  runDoctor,
  sendTestEmail,
  storeRequestSummary,
} from '../../doctor/index.js'
import { SUPERUSER, userOf } from '../access-guard.js'
import { requestMeta } from '../account/account-page.js'
import { sendMonitoringPage } from '../monitoring-page.js'
import { formField } from '../render.js'
import { registerAdminNotice } from './admin-notice.js'
import { type Outcome, SystemPage } from './page.js'
import { loadSystemStatus, problemCount, systemStatusJson } from './system-status.js'

function registerRequestSampling(app: FastifyInstance, ctx: Ctx): void {
  const sampler = new RequestSampler(new URL(ctx.config.siteRoot).origin)
  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.config?.staticAsset) return
    const summary = sampler.observe(requestOrigin(req.protocol, req.host), ctx.clock.now())
    if (!summary) return
    await storeRequestSummary(ctx, summary).catch((e) =>
      req.log.warn({ err: e }, 'could not store the request-origin sample'),
    )
  })
}

/** Signs one user out everywhere; the admin signing themself out keeps this session. */
async function revokeOneUser(ctx: Ctx, req: FastifyRequest, email: string): Promise<Outcome> {
  const user = await findUserForOperator(ctx, email)
  if (!user.ok) return { kind: 'unknown-user', email }
  const auth = userOf(req)
  const keepId = user.value.id === auth.user.id ? auth.session.id : null
  const actorUserId = auth.user.id
  const meta = requestMeta(req)
  const n = await revokeUserSessions(ctx, { user: user.value, keepId, actorUserId, meta })
  return { kind: 'revoked', n, who: user.value.email }
}

export function registerAdminRoutes(app: FastifyInstance, ctx: Ctx): void {
  registerAdminNotice(app, ctx)
  registerRequestSampling(app, ctx)

  const showPage = async (req: FastifyRequest, reply: FastifyReply, outcome: Outcome | null) => {
    const auth = userOf(req)
    const s = await loadSystemStatus(ctx)
    // The banner on this very page should match the table just computed.
    req.adminNotice = { problems: problemCount(s) }
    return sendMonitoringPage(ctx, req, reply, { title: 'System status' }, (csrf) => (
      <SystemPage s={s} csrf={csrf} tz={auth.user.tz} outcome={outcome} />
    ))
  }

  app.get('/admin/system', SUPERUSER, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>
    return showPage(req, reply, q.rerun === 'done' ? { kind: 'rerun' } : null)
  })

  app.get('/admin/system.json', SUPERUSER, async (_req, reply) => {
    return reply.send(systemStatusJson(await loadSystemStatus(ctx)))
  })

  app.post('/admin/system/rerun', SUPERUSER, async (req, reply) => {
    try {
      rememberProblemCount(ctx, await runDoctor(ctx, { network: true }))
    } catch (e) {
      req.log.error({ err: e }, 'doctor re-run failed')
      return showPage(req, reply, { kind: 'rerun-failed', reason: (e as Error).message })
    }
    return reply.redirect('/admin/system?rerun=done', 303)
  })

  app.post('/admin/system/test-email', SUPERUSER, async (req, reply) => {
    const to = userOf(req).user.email
    const result = await sendTestEmail(ctx.config, to)
    return showPage(req, reply, { kind: 'test-email', to, result })
  })

  app.post('/admin/system/sessions/revoke', SUPERUSER, async (req, reply) => {
    // Everyone, the admin's own session included: back to the log-in page.
    if (formField(req.body, 'all') === '1') {
      await revokeAllSessions(ctx, requestMeta(req))
      return reply.redirect('/login', 303)
    }
    const outcome = await revokeOneUser(ctx, req, formField(req.body, 'email').trim())
    return showPage(req, reply, outcome)
  })
}
