/**
 * Routes of one check's pages: GET /checks/<c>/details/ (the details page, `?page=` pages the
 * event log), GET /checks/<c>/status.json (what its live-status script polls),
 * GET /checks/<c>/pings/<n>/ (one ping with its whole body) and GET /checks/<c>/pings/<n>/body
 * (the body as a download, as Healthchecks' ping_body view). Also registers the full log with its
 * live-refresh endpoint (check-log-routes.tsx) and the danger-zone actions (check-actions-routes.tsx).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { findRetainedPing, getPingBody } from '../../checks/index.js'
import type { Ctx } from '../../context.js'
import { CHECK, CHECK_JSON, checkAccessOf } from '../access-guard.js'
import { liveCheck } from '../dashboard/status-badge.js'
import { sendMonitoringPage, sendNotFound } from '../monitoring-page.js'
import { canWrite } from '../project-access.js'
import { registerCheckActionRoutes } from './check-actions-routes.js'
import { CheckDetailsPage, DETAILS_SCRIPTS } from './check-details-page.js'
import { registerCheckLogRoutes } from './check-log-routes.js'
import { registerHoldRoutes } from './hold-routes.js'
import { loadCheckDetails } from './load-check-details.js'
import { PingPage } from './ping-page.js'

type CheckParams = { Params: { code: string } }
type PingParams = { Params: { code: string; n: string } }

function pageNumber(query: unknown): number {
  const raw = (query as Record<string, unknown> | undefined)?.page
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : 1
  return Math.max(1, n)
}

/** `?copied=1` and the like, set by the redirects of the check actions. */
function noticeOf(query: unknown): string | undefined {
  const q = (query ?? {}) as Record<string, unknown>
  return ['copied', 'cleared', 'transferred', 'snoozed', 'unsnoozed'].find(
    (k) => q[k] !== undefined,
  )
}

function pingNumber(raw: string): number | null {
  return /^\d{1,10}$/.test(raw) ? Number(raw) : null
}

/** A body kept in object storage that cannot be read now: a retry may work (no 5xx page). */
function sendBodyUnavailable(reply: FastifyReply): FastifyReply {
  return reply
    .code(503)
    .header('retry-after', '60')
    .type('text/plain; charset=utf-8')
    .send('The ping body is in object storage, which cannot be read right now. Try again later.')
}

export function registerCheckDetailsRoutes(app: FastifyInstance, ctx: Ctx): void {
  registerCheckLogRoutes(app, ctx)
  registerCheckActionRoutes(app, ctx)
  registerHoldRoutes(app, ctx)

  app.get('/checks/:code/details/', CHECK, async (req: FastifyRequest<CheckParams>, reply) => {
    const { check, project, user, role } = checkAccessOf(req)
    const now = ctx.clock.now()
    const tz = user.tz
    const query = { tz, page: pageNumber(req.query) }
    const details = await loadCheckDetails(ctx, check, project, query, now)
    const options = { title: check.name || check.code, scripts: DETAILS_SCRIPTS }
    const { pingEndpoint, smtpd } = ctx.config
    const pingEmailDomain = smtpd.pingEmailDomain
    const shown = { check, project, details, pingEndpoint, pingEmailDomain, now, tz }
    const writable = canWrite(role)
    return sendMonitoringPage(ctx, req, reply, options, (csrf) => (
      <CheckDetailsPage {...shown} writable={writable} csrf={csrf} notice={noticeOf(req.query)} />
    ))
  })

  app.get<CheckParams>('/checks/:code/status.json', CHECK_JSON, async (req, _reply) => {
    const { check, user } = checkAccessOf(req)
    const live = liveCheck(check, ctx.clock.now(), user.tz)
    return { counts: {}, checks: [live] }
  })

  app.get('/checks/:code/pings/:n/', CHECK, async (req: FastifyRequest<PingParams>, reply) => {
    const { check, project, user } = checkAccessOf(req)
    const n = pingNumber(req.params.n)
    if (n === null) return sendNotFound(ctx, reply)
    const found = await findRetainedPing(ctx, check, project.ping_log_limit, n)
    if (!found) return sendNotFound(ctx, reply)
    return sendMonitoringPage(ctx, req, reply, { title: `Ping #${n}` }, () => (
      <PingPage check={check} project={project} n={n} tz={user.tz} {...found} />
    ))
  })

  app.get('/checks/:code/pings/:n/body', CHECK, async (req: FastifyRequest<PingParams>, reply) => {
    const found = checkAccessOf(req)
    const n = pingNumber(req.params.n)
    if (n === null) return sendNotFound(ctx, reply)
    const body = await getPingBody(ctx, found.check, n, found.project.ping_log_limit)
    if (!body.ok && body.error.kind === 'body-unavailable') return sendBodyUnavailable(reply)
    if (!body.ok) return sendNotFound(ctx, reply)
    return reply
      .type('application/octet-stream')
      .header('content-disposition', `attachment; filename="${found.check.code}-${n}.txt"`)
      .send(body.value)
  })
}
