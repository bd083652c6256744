/**
 * What a request gets while the database cannot serve it: 503 with Retry-After, never a 500 or a
 * stack trace. API routes answer JSON `{"error": "database unavailable"}`, pings and the rest
 * plain text (as the ping route's own answer); web pages use web/database-unavailable-page.tsx.
 * The outage is logged without a stack, at most once per LOG_EVERY_MS per process.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { shortReason } from './db/index.js'

/** Seconds a client is asked to wait before retrying. */
export const RETRY_AFTER_SECONDS = 5
const LOG_EVERY_MS = 10_000

let lastLogged = 0
let suppressed = 0

/** Logs the outage, throttled: one line per 10 s with the count of the requests in between. */
export function logDatabaseUnavailable(req: FastifyRequest, error: unknown): void {
  const now = Date.now()
  if (now - lastLogged < LOG_EVERY_MS) {
    suppressed++
    return
  }
  req.log.warn(
    { reason: shortReason(error), url: req.url, alsoRefused: suppressed },
    'database unavailable: answered 503',
  )
  lastLogged = now
  suppressed = 0
}

/** Answers a non-page request with 503: JSON under /api/, plain text elsewhere. */
export function sendDatabaseUnavailable(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS))
  if (req.url.startsWith('/api/')) return reply.send({ error: 'database unavailable' })
  return reply.type('text/plain; charset=utf-8').send('database unavailable, try again')
}
