/**
 * Badge image routes, as Healthchecks' hc/api/urls.py: `/badge/<key>/<sig>/<tag>.<fmt>`,
 * `/badge/<key>/<sig>.<fmt>` (all checks) and `/b/<states>/<check badge key>.<fmt>`, with its URL
 * converters (slug keys and signatures, quoted tags unquoted once more), `never_cache` headers
 * and `cors("GET")` (OPTIONS 204, other methods 405). Public: no API key, the signature is the key.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Ctx } from '../context.js'
import type { Result } from '../result.js'
import type { RouteDoc } from '../route-doc.js'
import { BADGE_FORMATS, type BadgeFormat, badgeJson, badgeSvg, shieldsJson } from './badge.js'
import { type Badge, type BadgeError, checkBadge, projectBadge } from './read-badge.js'

const SLUG = /^[-a-zA-Z0-9_]+$/
// Django's `quoted` converter, `[\w%~_.-]+`, with Python's Unicode \w, then a slug format.
const TAG_FILE = /^([\p{L}\p{N}_%~.-]+)\.([-a-zA-Z0-9_]+)$/u
const SLUG_FILE = /^([-a-zA-Z0-9_]+)\.([-a-zA-Z0-9_]+)$/
const UUID_FILE =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([-a-zA-Z0-9_]+)$/

/** Python's urllib.parse.unquote: %XX runs decoded as UTF-8 (invalid bytes become U+FFFD). */
function pyUnquote(s: string): string {
  return s.replace(/(?:%[0-9a-fA-F]{2})+/g, (m) =>
    Buffer.from(m.replace(/%/g, ''), 'hex').toString('utf8'),
  )
}

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).type('text/plain; charset=utf-8').send('Not Found')
}

/** never_cache, then cors("GET"): true when the request should go on to the view. */
function badgeHeaders(req: FastifyRequest, reply: FastifyReply, now: number): boolean {
  reply
    .header('expires', new Date(now).toUTCString())
    .header('cache-control', 'max-age=0, no-cache, no-store, must-revalidate, private')
    .header('access-control-allow-origin', '*')
    .header('access-control-allow-headers', 'X-Api-Key')
    .header('access-control-allow-methods', 'GET, OPTIONS')
    .header('access-control-max-age', '600')
  if (req.method === 'OPTIONS') {
    reply.code(204).send()
    return false
  }
  if (req.method !== 'GET') {
    reply.code(405).header('allow', 'GET, OPTIONS').send()
    return false
  }
  return true
}

function sendBadge(
  reply: FastifyReply,
  format: BadgeFormat,
  r: Result<Badge, BadgeError>,
): FastifyReply {
  if (!r.ok) return notFound(reply)
  const { label, tally } = r.value
  if (format === 'svg') return reply.type('image/svg+xml').send(badgeSvg(label, tally.status))
  const body = format === 'json' ? badgeJson(tally) : shieldsJson(label, tally.status)
  return reply.type('application/json').send(JSON.stringify(body))
}

const isFormat = (s: string): s is BadgeFormat => (BADGE_FORMATS as string[]).includes(s)

/** The OpenAPI operations this file serves (src/api/openapi.ts joins them). */
export const BADGE_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'get',
    path: '/badge/{badge_key}/{signature}/{tag}.{format}',
    summary: 'Badge of the checks with a tag',
    description:
      'A 10-character signature ending in `-2` gives the 2-state badge (late shown as up).',
    access: 'public',
    tag: 'badges',
    responses: badgeResponses(),
  },
  {
    method: 'get',
    path: '/badge/{badge_key}/{signature}.{format}',
    summary: 'Badge of all checks, labelled MASTER_BADGE_LABEL',
    access: 'public',
    tag: 'badges',
    responses: badgeResponses(),
  },
  {
    method: 'get',
    path: '/b/{states}/{badge_key}.{format}',
    summary: 'Badge of one check (the `badge_url` of its JSON)',
    description: '`states` 3 shows a late check as late; other numbers as up.',
    access: 'public',
    tag: 'badges',
    responses: badgeResponses(),
  },
]

function badgeResponses(): RouteDoc['responses'] {
  return {
    '200': {
      description:
        '`svg`: image/svg+xml; `json`: the tally; `shields`: a shields.io endpoint badge.',
      schema: 'BadgeJson',
    },
    '404': { description: 'Wrong signature, unknown check or unknown format.' },
  }
}

export function registerBadgeRoutes(app: FastifyInstance, ctx: Ctx): void {
  type Params = { key: string; sig?: string; file: string }

  async function project(req: FastifyRequest, reply: FastifyReply) {
    const { key, sig, file } = req.params as Params
    // All checks: the signature and the format share the last segment.
    const m = sig === undefined ? SLUG_FILE.exec(file) : TAG_FILE.exec(file)
    if (!m || !SLUG.test(key) || (sig !== undefined && !SLUG.test(sig))) return notFound(reply)
    if (!badgeHeaders(req, reply, ctx.clock.now())) return reply
    const format = m[2]
    if (!isFormat(format)) return notFound(reply)
    const [signature, tag] = sig === undefined ? [m[1], '*'] : [sig, pyUnquote(m[1])]
    return sendBadge(
      reply,
      format,
      await projectBadge(ctx, { badgeKey: key, signature, tag, format }),
    )
  }
  app.all('/badge/:key/:sig/:file', project)
  app.all('/badge/:key/:file', project)

  app.all('/b/:states/:file', async (req, reply) => {
    const { states, file } = req.params as { states: string; file: string }
    const m = UUID_FILE.exec(file)
    if (!m || !/^[0-9]+$/.test(states)) return notFound(reply)
    if (!badgeHeaders(req, reply, ctx.clock.now())) return reply
    const format = m[2]
    if (!isFormat(format)) return notFound(reply)
    return sendBadge(
      reply,
      format,
      await checkBadge(ctx, { states: Number(states), badgeKey: m[1] }),
    )
  })
}
