/**
 * Pure: reading and checking the fields of channel input (API JSON or a form) and masking
 * secrets for display. Limits follow Healthchecks' forms (URLs ≤ 1000 characters, http/https).
 */
import { err, ok, type Result } from '../result.js'
import type { ConfigProblem, FormField } from './integration.js'

export type Parsed<T> = Result<T, ConfigProblem>

export function problem(field: string, text: string): { ok: false; error: ConfigProblem } {
  return err({ kind: 'invalid-config', field, problem: text })
}

/**
 * The input as an object of fields. A bare string is taken as the value of `mainField` (so the
 * URL-only kinds accept `"https://…"` as well as `{"url": "https://…"}`).
 */
export function fieldsOf(input: unknown, mainField: string): Parsed<Record<string, unknown>> {
  if (typeof input === 'string') return ok({ [mainField]: input })
  if (input && typeof input === 'object' && !Array.isArray(input))
    return ok(input as Record<string, unknown>)
  return problem(mainField, 'expected an object of fields or a string')
}

export interface StringRule {
  max: number
  /** Default true. */
  required?: boolean
  /** A value that must match, with the message when it does not. */
  pattern?: [RegExp, string]
}

export function readString(
  fields: Record<string, unknown>,
  field: string,
  rule: StringRule,
): Parsed<string> {
  const raw = fields[field]
  if (raw === undefined || raw === null || raw === '') {
    return rule.required === false ? ok('') : problem(field, 'is required')
  }
  if (typeof raw !== 'string') return problem(field, 'must be a string')
  const v = raw.trim()
  if (v === '' && rule.required !== false) return problem(field, 'is required')
  if (v.length > rule.max) return problem(field, `must be at most ${rule.max} characters`)
  if (v !== '' && rule.pattern && !rule.pattern[0].test(v)) return problem(field, rule.pattern[1])
  return ok(v)
}

/** An http(s) URL with a host, at most `max` characters (Healthchecks' LaxURLField, 1000). */
export function readUrl(
  fields: Record<string, unknown>,
  field: string,
  options: { required?: boolean; max?: number } = {},
): Parsed<string> {
  const s = readString(fields, field, { max: options.max ?? 1000, required: options.required })
  if (!s.ok || s.value === '') return s
  let u: URL
  try {
    u = new URL(s.value)
  } catch {
    return problem(field, 'must be a valid URL')
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return problem(field, 'must start with http:// or https://')
  if (!u.hostname) return problem(field, 'must have a host name')
  return ok(s.value)
}

/** An integer among `allowed` (or `dflt` when absent). Numeric strings are accepted (forms). */
export function readChoice(
  fields: Record<string, unknown>,
  field: string,
  allowed: readonly number[],
  dflt: number,
): Parsed<number> {
  const raw = fields[field]
  if (raw === undefined || raw === null || raw === '') return ok(dflt)
  const n = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw
  if (typeof n !== 'number' || !allowed.includes(n))
    return problem(field, `must be one of ${allowed.join(', ')}`)
  return ok(n)
}

/** A boolean (or `dflt` when absent); forms send "on"/"true"/"1". */
export function readBool(
  fields: Record<string, unknown>,
  field: string,
  dflt: boolean,
): Parsed<boolean> {
  const raw = fields[field]
  if (raw === undefined || raw === null || raw === '') return ok(dflt)
  if (typeof raw === 'boolean') return ok(raw)
  if (typeof raw === 'string') {
    const v = raw.trim().toLowerCase()
    if (['true', 'on', '1', 'yes'].includes(v)) return ok(true)
    if (['false', 'off', '0', 'no'].includes(v)) return ok(false)
  }
  return problem(field, 'must be true or false')
}

/** `…` plus the last 4 characters; secrets of 8 characters or fewer are hidden entirely. */
export function maskSecret(secret: string): string {
  if (secret === '') return ''
  return secret.length <= 8 ? '…' : `…${secret.slice(-4)}`
}

/** A URL whose path or query is a secret (incoming webhooks): the origin and `…last4`. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url)
    const rest = `${u.pathname}${u.search}`.replace(/^\//, '')
    return rest ? `${u.origin}/${maskSecret(rest)}` : u.origin
  } catch {
    return maskSecret(url)
  }
}

/** Parses a stored JSON value; anything else gives an empty object. */
export function jsonObject(value: string): Record<string, unknown> {
  try {
    const doc = JSON.parse(value)
    return doc && typeof doc === 'object' && !Array.isArray(doc) ? doc : {}
  } catch {
    return {}
  }
}

/** A field of a stored JSON object as a string ('' when absent). */
export function str(doc: Record<string, unknown>, field: string): string {
  const v = doc[field]
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''
}

/**
 * JSON with keys sorted, as Healthchecks' forms store values (json.dumps(sort_keys=True)), so a
 * value written by either program compares equal.
 */
export function sortedJson(doc: Record<string, unknown>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(doc).sort(([a], [b]) => (a < b ? -1 : 1))),
  )
}

/** The "priority for down" and "priority for up" selects of the push kinds (ntfy, Gotify). */
export function priorityFormFields(options: { value: string; label: string }[]): FormField[] {
  return [
    { name: 'priority', label: 'Priority for "down"', type: 'select', options },
    { name: 'priority_up', label: 'Priority for "up"', type: 'select', options },
  ]
}
