/**
 * Which API key a request carries and which project it opens: the X-Api-Key header, or for a POST
 * the body's `api_key` field (the header wins when both are sent), as Healthchecks' decorators.
 * Read-only endpoints accept read-only keys too; read-write endpoints treat them as wrong keys.
 * Failures are limited per IP (RL-A1, api-key-throttle.ts).
 */
import type { Ctx } from '../context.js'
import {
  type ApiKeyError,
  type ApiKeyProject,
  checkApiAuthLimit,
  findProjectByApiKey,
  recordApiAuthFailure,
} from '../projects/index.js'
import { err, type Result } from '../result.js'
import type { ApiCall } from './endpoint.js'

/** Python's str() of a JSON value, as far as it can ever be a 32-character key. */
function pyStr(v: unknown): string {
  if (v === undefined) return ''
  if (typeof v === 'string') return v
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v)
  if (typeof v === 'boolean') return v ? 'True' : 'False'
  if (v === null) return 'None'
  return ''
}

export function requestApiKey(call: ApiCall): string {
  if (call.headerKey !== undefined) return call.headerKey
  return call.method === 'POST' ? pyStr(call.body.api_key) : ''
}

export type ApiAuthError = ApiKeyError | { kind: 'rate-limited'; retryAfter: number }

/**
 * The project the request's key opens. RL-A1: an IP past 60 failures a minute is refused with
 * `rate-limited` before any lookup; each 401 counts.
 */
export async function authorize(
  ctx: Ctx,
  call: ApiCall,
  access: 'read' | 'write',
): Promise<Result<ApiKeyProject, ApiAuthError>> {
  const now = ctx.clock.now()
  const wait = await checkApiAuthLimit(ctx, call.ip, now)
  if (wait > 0) return err({ kind: 'rate-limited', retryAfter: wait })
  const r = await findProjectByApiKey(ctx, requestApiKey(call), access === 'read')
  if (!r.ok) await recordApiAuthFailure(ctx, call.ip, now)
  return r
}
