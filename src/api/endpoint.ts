/**
 * Declares one management API endpoint under /api/v1/, /api/v2/ and /api/v3/ with Healthchecks'
 * `cors` decorator behaviour: every answer carries the CORS headers, OPTIONS answers 204, a method
 * the endpoint does not serve answers 405 (so HEAD is 405), and a POST body is parsed as JSON
 * before authentication (bad JSON → 400 "could not parse request body"; not an object → 400).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ApiVersion } from '../checks/index.js'
import { type ApiReply, errorReply, notFound, sendReply } from './api-reply.js'
import { isJsonObject, parseJsonBody } from './json-body.js'

export type ApiMethod = 'GET' | 'POST' | 'DELETE'

/** One parsed request, as handlers see it. */
export interface ApiCall {
  version: ApiVersion
  method: ApiMethod
  params: Record<string, string>
  /** Every value of a query parameter, in order. */
  query: Record<string, string[]>
  /** The X-Api-Key header, when sent (even empty). */
  headerKey: string | undefined
  /** The JSON object of a POST body; {} for an empty body and for other methods. */
  body: Record<string, unknown>
  /** The client's address (trusted-proxy aware), for RL-A1. */
  ip: string
}

export type ApiHandler = (call: ApiCall) => Promise<ApiReply>

/** Handlers by method; the key order is the order of Access-Control-Allow-Methods. */
export type ApiHandlers = Partial<Record<ApiMethod, ApiHandler>>

function queryValues(raw: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  if (raw === null || typeof raw !== 'object') return out
  for (const [k, v] of Object.entries(raw)) {
    const values = Array.isArray(v) ? v : [v]
    out[k] = values.filter((x): x is string => typeof x === 'string')
  }
  return out
}

/** The POST body as an object, or the reply refusing it. */
function parseBody(
  req: FastifyRequest,
): { ok: true; body: Record<string, unknown> } | { ok: false; reply: ApiReply } {
  const raw = req.body
  if (req.method !== 'POST' || !Buffer.isBuffer(raw) || raw.length === 0)
    return { ok: true, body: {} }
  const parsed = parseJsonBody(raw)
  if (parsed === null) return { ok: false, reply: errorReply({ kind: 'could-not-parse' }) }
  if (!isJsonObject(parsed.value))
    return { ok: false, reply: errorReply({ kind: 'not-an-object' }) }
  return { ok: true, body: parsed.value }
}

/**
 * Registers `paths` (relative to /api/vN) for every version. `resolve` picks the handlers for the
 * path parameters and version, or null when they do not name anything this endpoint serves (plain
 * 404, as a URL that matches no Django route; Vigil's v3-only extensions resolve null below v3).
 */
export function apiEndpoint(
  app: FastifyInstance,
  paths: string[],
  resolve: (params: Record<string, string>, version: ApiVersion) => ApiHandlers | null,
): void {
  // One route per path for all three versions (a regexp parameter, as /api/:version/status/):
  // registering each version apart tripled the router's work in every buildApp.
  for (const path of paths) {
    app.all(`/api/:version(v1|v2|v3)${path}`, async (req, reply) => {
      const { version: versionText, ...params } = req.params as Record<string, string>
      const version = Number(versionText.slice(1)) as ApiVersion
      const handlers = resolve(params, version)
      if (handlers === null) return sendReply(reply, notFound())
      reply
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-headers', 'X-Api-Key')
        .header('access-control-allow-methods', [...Object.keys(handlers), 'OPTIONS'].join(', '))
        .header('access-control-max-age', '600')
      if (req.method === 'OPTIONS') return reply.code(204).send()
      const handler = handlers[req.method as ApiMethod]
      if (!handler) return reply.code(405).send()
      const body = parseBody(req)
      if (!body.ok) return sendReply(reply, body.reply)
      const key = req.headers['x-api-key']
      const call: ApiCall = {
        version,
        method: req.method as ApiMethod,
        params,
        query: queryValues(req.query),
        headerKey: Array.isArray(key) ? key[key.length - 1] : key,
        body: body.body,
        ip: req.ip,
      }
      return sendReply(reply, await handler(call))
    })
  }
}
