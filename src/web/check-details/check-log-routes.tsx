/**
 * Routes of the full event log: GET /checks/<c>/log/ (the page; filters in the query string;
 * /checks/<c>/log redirects there), GET /checks/<c>/events.json?after=<cursor> (the events after
 * the cursor as rows, what the event-log script of this page and of the details page polls), and
 * that script under /static/.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Ctx } from '../../context.js'
import { CHECK, CHECK_JSON, checkAccessOf, STATIC_ASSET } from '../access-guard.js'
import { sendBadRequest, sendMonitoringPage } from '../monitoring-page.js'
import { CheckLogPage } from './check-log-page.js'
import { parseEventLogFilter } from './event-log-filter.js'
import { EVENT_LOG_SCRIPT } from './event-log-script.js'
import { parseCursor } from './event-rows.js'
import { loadCheckLog, loadNewEvents } from './load-check-log.js'

type CheckParams = { Params: { code: string } }

export function registerCheckLogRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.get(EVENT_LOG_SCRIPT.path, STATIC_ASSET, async (_req, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(EVENT_LOG_SCRIPT.body),
  )

  app.get('/checks/:code/log', CHECK, async (req: FastifyRequest<CheckParams>, reply) => {
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''
    return reply.redirect(`/checks/${encodeURIComponent(req.params.code)}/log/${query}`, 301)
  })

  app.get('/checks/:code/log/', CHECK, async (req: FastifyRequest<CheckParams>, reply) => {
    const { check, project, user } = checkAccessOf(req)
    const tz = user.tz
    const filter = parseEventLogFilter(req.query, tz)
    if (!filter.ok) return sendBadRequest(ctx, reply, filter.error.message)
    const log = await loadCheckLog(ctx, check, project, filter.value, tz)
    const title = `Event log – ${check.name || check.code}`
    return sendMonitoringPage(ctx, req, reply, { title, scripts: [EVENT_LOG_SCRIPT.path] }, () => (
      <CheckLogPage check={check} project={project} filter={filter.value} log={log} tz={tz} />
    ))
  })

  app.get<CheckParams>('/checks/:code/events.json', CHECK_JSON, async (req, reply) => {
    const found = checkAccessOf(req)
    const tz = found.user.tz
    const cursor = parseCursor((req.query as Record<string, unknown> | undefined)?.after)
    if (!cursor) return reply.code(400).send({ error: 'after must be a cursor such as 12-3-0' })
    const filter = parseEventLogFilter(req.query, tz)
    if (!filter.ok) return reply.code(400).send({ error: filter.error.message })
    return loadNewEvents(ctx, found.check, found.project, cursor, filter.value, tz)
  })
}
