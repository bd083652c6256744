/**
 * What an API handler answers, and the one table that turns use-case error kinds into
 * Healthchecks' statuses and bodies: JSON `{"error": …}` for auth and validation, empty 403 for
 * another project's check or channel or the check limit, plain 404, text 409 for resume, empty 400 for bad
 * flip filters. Not here: routing and CORS (endpoint.ts).
 */
import type { FastifyReply } from 'fastify'
import { type ChannelRefError, channelRefMessage, invalidFieldMessage } from '../checks/index.js'

export interface ApiReply {
  status: number
  /** Sent as application/json. */
  json?: unknown
  /** Sent as text/plain. */
  text?: string
  /** Raw bytes, sent as text/plain (ping bodies). */
  bytes?: Buffer
  /** Extra response headers (Retry-After of RL-A1). */
  headers?: Record<string, string>
}

export type ApiErrorKind =
  | { kind: 'missing-api-key' }
  | { kind: 'wrong-api-key' }
  | { kind: 'rate-limited'; retryAfter: number }
  | { kind: 'could-not-parse' }
  | { kind: 'not-an-object' }
  | { kind: 'invalid-field'; field: string; problem: string }
  | ChannelRefError
  | { kind: 'check-not-found' }
  | { kind: 'check-forbidden' }
  | { kind: 'channel-not-found' }
  | { kind: 'channel-forbidden' }
  | { kind: 'check-limit' }
  | { kind: 'check-not-paused' }
  | { kind: 'ping-not-found' }
  | { kind: 'body-unavailable' }
  | { kind: 'invalid-filter' }

const jsonError = (status: number, error: string): ApiReply => ({ status, json: { error } })

/** The reply for an expected failure. */
export function errorReply(e: ApiErrorKind): ApiReply {
  switch (e.kind) {
    case 'missing-api-key':
      return jsonError(401, 'missing api key')
    case 'wrong-api-key':
      return jsonError(401, 'wrong api key')
    case 'rate-limited':
      // RL-A1 (spec accounts.md 5.10): Vigil's own limit, so Vigil's body.
      return {
        status: 429,
        json: { error: 'rate_limited', retry_after: e.retryAfter },
        headers: { 'retry-after': String(e.retryAfter) },
      }
    case 'could-not-parse':
      return jsonError(400, 'could not parse request body')
    case 'not-an-object':
      return jsonError(400, 'json validation error: value is not an object')
    case 'invalid-field':
      return jsonError(400, invalidFieldMessage(e))
    case 'empty-channel-identifier':
    case 'invalid-channel-identifier':
    case 'non-unique-channel-identifier':
      return jsonError(400, channelRefMessage(e))
    case 'check-not-found':
    case 'channel-not-found':
    case 'ping-not-found':
      return notFound()
    case 'check-forbidden':
    case 'channel-forbidden':
    case 'check-limit':
      return { status: 403 }
    case 'check-not-paused':
      return { status: 409, text: 'check is not paused' }
    case 'invalid-filter':
      return { status: 400 }
    case 'body-unavailable':
      // The body is in object storage, which cannot be read now (Healthchecks answers 503 too).
      return {
        status: 503,
        text: 'ping body unavailable: object storage did not answer, try again',
        headers: { 'retry-after': '60' },
      }
  }
}

/** Healthchecks' 404 is the framework's page, not JSON. */
export function notFound(): ApiReply {
  return { status: 404, text: 'Not Found' }
}

export function sendReply(reply: FastifyReply, r: ApiReply): FastifyReply {
  reply.code(r.status)
  if (r.headers) reply.headers(r.headers)
  if (r.json !== undefined) return reply.type('application/json').send(JSON.stringify(r.json))
  if (r.text !== undefined) return reply.type('text/plain; charset=utf-8').send(r.text)
  if (r.bytes !== undefined) return reply.type('text/plain').send(r.bytes)
  return reply.send()
}
