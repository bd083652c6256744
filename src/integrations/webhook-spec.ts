/**
 * Pure: the stored value of a webhook channel read into a per-direction spec. Mirrors
 * Healthchecks' Channel.webhook_spec: JSON with method/url/body/headers for down and up;
 * a direction with an empty URL sends nothing.
 */
import type { AlertStatus } from './integration.js'

export interface WebhookSpec {
  method: 'GET' | 'POST' | 'PUT'
  url: string
  body: string
  headers: Record<string, string>
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

function method(v: unknown): WebhookSpec['method'] {
  const m = str(v).toUpperCase()
  return m === 'POST' || m === 'PUT' ? m : 'GET'
}

function headers(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val
  }
  return out
}

/** The spec for one direction; a value that is not JSON gives an empty (no-op) spec. */
export function parseWebhookValue(value: string, status: AlertStatus): WebhookSpec {
  let doc: Record<string, unknown> = {}
  try {
    const parsed = JSON.parse(value)
    if (parsed && typeof parsed === 'object') doc = parsed
  } catch {
    // Not JSON: treated as an unconfigured webhook.
  }
  return {
    method: method(doc[`method_${status}`]),
    url: str(doc[`url_${status}`]),
    body: str(doc[`body_${status}`]),
    headers: headers(doc[`headers_${status}`]),
  }
}
