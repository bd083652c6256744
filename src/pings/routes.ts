/**
 * The Pinging API: `/ping/<uuid>[/start|/fail|/log|/<exit-status>]` and the same under
 * `/ping/<ping-key>/<slug>`, any method, any body. Parses the URL and request, calls recordPing,
 * maps its result to Healthchecks' plain-text answers and headers (spec §3.1–3.2). Not here:
 * ping rules and storage (record-ping.ts). The path is parsed by hand: one route, no schema work.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { Ctx } from '../context.js'
import { clientInfo } from './client-info.js'
import { parsePingPath } from './ping-url.js'
import { type RecordPingError, recordPing } from './record-ping.js'
import { answerSnoozePing, parseSnoozePath } from './snooze-ping.js'

const ERRORS: Record<RecordPingError['kind'], [number, string]> = {
  'not-found': [404, 'not found'],
  'ambiguous-slug': [409, 'ambiguous slug'],
  'invalid-exit-status': [400, 'invalid url format'],
  'invalid-rid': [400, 'invalid uuid format'],
  'database-unavailable': [503, 'database unavailable, try again'],
}

/** Django's never_cache headers: monitoring clients and proxies must never answer for us. */
function plain(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'max-age=0, no-cache, no-store, must-revalidate, private')
    .header('expires', 'Thu, 01 Jan 1970 00:00:00 GMT')
    .type('text/plain; charset=utf-8')
    .send(body)
}

/** The last value of a query parameter, as Django's QueryDict.get. */
function lastValue(v: unknown): string | null {
  if (Array.isArray(v)) v = v[v.length - 1]
  return typeof v === 'string' ? v : null
}

export const pingRoutes: FastifyPluginAsync<{ ctx: Ctx }> = async (app, { ctx }) => {
  // Any body of any content type is a ping body, read raw. Scoped to this plugin.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
  const limitHeader = ctx.config.pingBodyLimit === null ? null : String(ctx.config.pingBodyLimit)

  app.all('/ping/*', {
    // An empty or malformed Content-Type would be refused with 415 before the catch-all parser
    // runs; the header means nothing to a ping, so drop it.
    onRequest: async (req) => {
      delete req.headers['content-type']
    },
    handler: async (req, reply) => {
      const rest = (req.params as { '*': string })['*']
      const snooze = parseSnoozePath(rest)
      if (snooze) return answerSnoozePing(ctx, snooze, req, reply, plain)
      const path = parsePingPath(rest)
      if (path.kind === 'no-route') return plain(reply, 404, 'not found')
      if (path.kind === 'invalid-slug') return plain(reply, 400, 'invalid url format')
      const query = req.query as Record<string, unknown>
      const target =
        'code' in path.target
          ? path.target
          : { ...path.target, create: lastValue(query.create) === '1' }
      const client = clientInfo(
        {
          method: req.method,
          headers: req.headers,
          socketAddress: req.socket.remoteAddress,
          body: req.body as Buffer | undefined,
        },
        ctx.config.pingBodyLimit,
      )
      const r = await recordPing(ctx, {
        target,
        action: path.action,
        exitstatus: path.exitstatus,
        rid: lastValue(query.rid),
        client,
      })
      if (!r.ok) return plain(reply, ...ERRORS[r.error.kind])
      reply.header('access-control-allow-origin', '*')
      if (limitHeader !== null) reply.header('ping-body-limit', limitHeader)
      return r.value.created ? plain(reply, 201, 'Created') : plain(reply, 200, 'OK')
    },
  })
}
