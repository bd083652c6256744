/**
 * One HTTP request of a channel kind and its answer as a DeliveryResult. Mirrors Healthchecks'
 * HttpTransport: JSON bodies get `Content-Type: application/json`, forms are urlencoded, success
 * is 200/201/202/204 and anything else is "Received status code N" unless the kind says more.
 * Vigil's worker retries (with backoff) timeouts, connection errors, 408, 429 and 5xx; other
 * refusals are final. User-typed URLs go through the private-address guard; URLs built from
 * settings (vendor API bases the operator chose) do not.
 */
import type { Ctx } from '../context.js'
import type { DeliveryResult } from './integration.js'
import { PRIVATE_IP_ERROR, sendOutbound } from './outbound-http.js'

export interface HttpDelivery {
  method?: 'GET' | 'POST' | 'PUT'
  url: string
  /** true: the URL came from the user (guarded); false: from a setting. */
  userUrl: boolean
  headers?: Record<string, string>
  json?: unknown
  form?: Record<string, string | number>
  /** HTTP basic credentials. */
  auth?: { user: string; password: string }
}

export type DeliveryFailure = Extract<DeliveryResult, { ok: false }>

/** Maps a non-success answer; return undefined to get the default mapping. */
export type AnswerClassifier = (status: number, body: string) => DeliveryResult | undefined

const SUCCESS = new Set([200, 201, 202, 204])

/** True for answers worth another try later. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}

/** The default result of a refused request. */
export function statusFailure(status: number, suffix = ''): DeliveryFailure {
  return {
    ok: false,
    error: `Received status code ${status}${suffix}`,
    permanent: !isTransientStatus(status),
  }
}

/** An answer meaning the endpoint will never work again: not retried, channel switched off. */
export function goneFailure(status: number, suffix = ''): DeliveryFailure {
  return { ...statusFailure(status, suffix), permanent: true, disableChannel: true }
}

/** A network-level failure: configuration errors do not heal by waiting, the rest may. */
export function networkFailure(error: string): DeliveryFailure {
  const permanent =
    error === 'Invalid URL' ||
    error === PRIVATE_IP_ERROR ||
    error.startsWith('Unsupported URL scheme')
  return { ok: false, error, permanent }
}

/** The body of a urlencoded form, in the order given. */
export function formBody(form: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)])).toString()
}

/** Sends one request and maps the answer (see the module header). */
export async function deliverHttp(
  ctx: Ctx,
  request: HttpDelivery,
  classify?: AnswerClassifier,
): Promise<DeliveryResult> {
  const headers: Record<string, string> = {}
  let body: string | null = null
  if (request.json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(request.json)
  } else if (request.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded'
    body = formBody(request.form)
  }
  if (request.auth) {
    const pair = `${request.auth.user}:${request.auth.password}`
    headers.Authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`
  }
  Object.assign(headers, request.headers ?? {})
  const r = await sendOutbound({
    method: request.method ?? 'POST',
    url: request.url,
    headers,
    body: body === null ? null : Buffer.from(body, 'utf8'),
    timeoutMs: ctx.config.webhookTimeoutMs,
    allowPrivateIps: request.userUrl ? ctx.config.integrationsAllowPrivateIps : true,
  })
  if (!r.ok) return networkFailure(r.error)
  const status = r.response.status
  if (SUCCESS.has(status)) return { ok: true }
  return classify?.(status, r.response.body) ?? statusFailure(status)
}

/** Reads a JSON answer, or null when it is not JSON. */
export function parseAnswer(body: string): Record<string, unknown> | null {
  try {
    const doc = JSON.parse(body)
    return doc && typeof doc === 'object' && !Array.isArray(doc) ? doc : null
  } catch {
    return null
  }
}
