/**
 * The snooze ping URL for cron lines (issue 14): `POST /ping/<uuid>/snooze?minutes=30` and
 * `POST /ping/<ping-key>/<slug>/snooze?minutes=30` (default 60 minutes, at most 30 days). Knowing
 * the ping URL is enough, as for pinging. POST only: a GET (a link preview, a crawler) would snooze
 * by accident, so it is answered 405 with a message. Plain-text answers, as the other ping URLs.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { invalidFieldMessage, snoozeByPing } from '../checks/index.js'
import type { Ctx } from '../context.js'
import type { PingTarget } from './ping-url.js'

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const SLUG_RE = /^[-a-z0-9_]+$/
const KEY_RE = /^[-a-zA-Z0-9_]+$/

/** The check a `…/snooze` path names, or null when the path is not a snooze URL. */
export function parseSnoozePath(rest: string): PingTarget | null {
  const parts = rest.split('/')
  if (parts[parts.length - 1] !== 'snooze') return null
  if (parts.length === 2 && UUID_RE.test(parts[0])) return { code: parts[0] }
  if (parts.length === 3 && KEY_RE.test(parts[0]) && SLUG_RE.test(parts[1]))
    return { pingKey: parts[0], slug: parts[1] }
  return null
}

export async function answerSnoozePing(
  ctx: Ctx,
  target: PingTarget,
  req: FastifyRequest,
  reply: FastifyReply,
  plain: (reply: FastifyReply, status: number, body: string) => FastifyReply,
): Promise<FastifyReply> {
  if (req.method !== 'POST') {
    reply.header('allow', 'POST')
    return plain(reply, 405, 'snooze needs a POST request, e.g. curl -fsS -X POST <url>')
  }
  const raw = (req.query as Record<string, unknown>).minutes
  const minutes = Array.isArray(raw) ? raw[raw.length - 1] : raw
  const r = await snoozeByPing(ctx, {
    target,
    minutes: typeof minutes === 'string' ? minutes : null,
  })
  if (r.ok) return plain(reply, 200, `OK, snoozed until ${new Date(r.value.until).toISOString()}`)
  if (r.error.kind === 'not-found') return plain(reply, 404, 'not found')
  if (r.error.kind === 'ambiguous-slug') return plain(reply, 409, 'ambiguous slug')
  return plain(reply, 400, invalidFieldMessage(r.error).replace('json validation error: ', ''))
}
