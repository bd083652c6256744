/**
 * The fields of Healthchecks' create/update check API (`Spec` in hc/api/views.py): strict
 * validation with its exact problem texts (first error only, fields in Spec's alphabetical order),
 * and how a valid spec changes a check (`_update`: name and v1/v2 slug, then schedule, then the
 * deprecated subject fields, then the explicit fields). Each rule carries its JSON Schema, which
 * the OpenAPI document publishes (CHECK_SPEC_SCHEMA). Pure: no database, no clock.
 */
import type { Check } from '../db/index.js'
import type { JsonSchema } from '../json-schema.js'
import { guessKind, isValidSchedule, isValidTimeZone } from '../schedule/index.js'
import { policyRangeError } from './alert-policy.js'
import { INSIGHT_RULES, type InsightSpec } from './insight-fields.js'
import { canonicalTimeZone } from './legacy-time-zones.js'
import {
  MAINTENANCE_SCHEMA,
  type MaintenanceWindow,
  parseMaintenance,
  windowsJson,
} from './maintenance.js'

export const MIN_SECONDS = 60
export const MAX_SECONDS = 31_536_000
/** The range named in every timeout/grace message (issue 13: "too small" alone did not say the limit). */
const SECONDS_RANGE = `${MIN_SECONDS} to ${MAX_SECONDS} seconds`

export type UniqueField = 'name' | 'slug' | 'tags' | 'timeout' | 'grace'
const UNIQUE_FIELDS: readonly string[] = ['name', 'slug', 'tags', 'timeout', 'grace']

/** A validated request body. Absent fields are undefined and leave the check unchanged. */
export interface CheckSpec extends InsightSpec {
  /** "*", "" or comma-separated channel UUIDs or names (resolved by channel-refs.ts). */
  channels?: string
  /** Vigil extension: UUIDs of checks of the same project this one depends on (lower-case). */
  depends_on?: string[]
  desc?: string
  failure_kw?: string
  filter_body?: boolean
  filter_default_fail?: boolean
  filter_http_body?: boolean
  filter_subject?: boolean
  /** Seconds. */
  grace?: number
  /** Vigil extension (maintenance.ts): the check's maintenance windows. */
  maintenance?: MaintenanceWindow[]
  manual_resume?: boolean
  /** Vigil: seconds a started run may take; null = unset (grace bounds runs, as in Healthchecks). */
  max_runtime?: number | null
  methods?: '' | 'POST'
  /** Vigil: seconds a start→success run must at least take; null = unset. */
  min_runtime?: number | null
  name?: string
  schedule?: string
  slug?: string
  start_kw?: string
  /** Deprecated: sets success_kw and derives filter_subject. */
  subject?: string
  /** Deprecated: sets failure_kw and derives filter_subject. */
  subject_fail?: string
  success_kw?: string
  tags?: string
  /** Seconds. */
  timeout?: number
  /** Canonical zone name (legacy names already rewritten). */
  tz?: string
  /** Create only: the fields that identify an existing check to update instead. */
  unique?: UniqueField[]
}

/**
 * Vigil's flapping protection (alerts/flap-guard.ts), outside Healthchecks' API spec: the web
 * form sets it through the same use cases; the management API leaves it alone.
 */
export interface FlapSettings {
  /** Consecutive failures before a failure-caused down alert, 1..MAX_ALERT_FAILURES. */
  alert_failures?: number
  /** Seconds the check must stay down before the alert, 0..MAX_ALERT_DELAY. */
  alert_delay?: number
  /** Failure threshold (alert-policy.ts): runs looked at, failures among them; 0 = off. */
  fail_window?: number
  fail_threshold?: number
  /** Successes in a row before an up alert, 1.. (1 = at once). */
  recover_successes?: number
  /** Warning stage: seconds before the grace time ends; null = none. */
  warn_after?: number | null
}

export const MAX_ALERT_FAILURES = 100
export const MAX_ALERT_DELAY = 86_400

/** The first out-of-range flapping setting, or null when both are fine. */
export function flapSettingsError(f: FlapSettings): InvalidField | null {
  const a = f.alert_failures
  if (a !== undefined && (!Number.isInteger(a) || a < 1 || a > MAX_ALERT_FAILURES)) {
    return {
      kind: 'invalid-field',
      field: 'alert_failures',
      problem: `is out of range (allowed: 1 to ${MAX_ALERT_FAILURES})`,
    }
  }
  const d = f.alert_delay
  if (d !== undefined && (!Number.isInteger(d) || d < 0 || d > MAX_ALERT_DELAY)) {
    return {
      kind: 'invalid-field',
      field: 'alert_delay',
      problem: `is out of range (allowed: 0 to ${MAX_ALERT_DELAY} seconds)`,
    }
  }
  return policyRangeError(f)
}

/** A field that failed validation; `field` may be "an item in 'unique'". */
export interface InvalidField {
  kind: 'invalid-field'
  field: string
  problem: string
}

/** Healthchecks' message for a validation error. */
export function invalidFieldMessage(e: Pick<InvalidField, 'field' | 'problem'>): string {
  return `json validation error: ${e.field} ${e.problem}`
}

/** Python counts code points, not UTF-16 units. */
function pyLength(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

/** Numbers arrive as plain JS integers; floats are any other value (JsonFloat, objects). */
function isJsonInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v)
}

type Rule = (v: unknown) => { problem: string; item?: boolean } | { value: unknown }

/** A field's validation and the JSON Schema that describes the same constraints. */
export interface Field {
  rule: Rule
  schema: JsonSchema
}

function str(max?: number, pattern?: RegExp, description?: string): Field {
  return {
    rule: (v) => {
      if (typeof v !== 'string') return { problem: 'is not a string' }
      // PostgreSQL text cannot hold NUL (Healthchecks fails with a 500 there); refuse it instead.
      if (v.includes('\u0000')) return { problem: 'contains a NUL character' }
      if (max !== undefined && pyLength(v) > max)
        return { problem: `is too long (at most ${max} characters)` }
      if (pattern && !pattern.test(v)) return { problem: 'does not match pattern' }
      return { value: v }
    },
    schema: {
      type: 'string',
      ...(max !== undefined ? { maxLength: max } : {}),
      ...(pattern ? { pattern: pattern.source } : {}),
      ...(description ? { description } : {}),
    },
  }
}

function bool(description: string): Field {
  return {
    rule: (v) => (typeof v === 'boolean' ? { value: v } : { problem: 'is not a boolean' }),
    schema: { type: 'boolean', description },
  }
}

/**
 * timeout and grace: a JSON integer 60..31536000. A JSON boolean is a Python int, so `true` is
 * one second ("is too small (allowed: …)"); floats, strings and null are "is not a number".
 */
function seconds(description: string): Field {
  return {
    rule: (v) => {
      const n = typeof v === 'boolean' ? Number(v) : v
      if (!isJsonInteger(n)) return { problem: 'is not a number' }
      if (n < MIN_SECONDS) return { problem: `is too small (allowed: ${SECONDS_RANGE})` }
      if (n > MAX_SECONDS) return { problem: `is too large (allowed: ${SECONDS_RANGE})` }
      return { value: n }
    },
    schema: { type: 'integer', minimum: MIN_SECONDS, maximum: MAX_SECONDS, description },
  }
}

/** The range named in the max_runtime and min_runtime messages. */
const runtimeRange = (min: number) => `${min} to ${MAX_SECONDS} seconds, or null to unset`

/**
 * Vigil's run-time limits (checks/run-time.ts): a JSON integer in range, or null to unset. Unlike
 * timeout and grace a boolean is refused, since Healthchecks has no such field to stay compatible with.
 */
function runtimeSeconds(min: number, description: string): Field {
  return {
    rule: (v) => {
      if (v === null) return { value: null }
      if (!isJsonInteger(v)) return { problem: 'is not a number or null' }
      if (v < min) return { problem: `is too small (allowed: ${runtimeRange(min)})` }
      if (v > MAX_SECONDS) return { problem: `is too large (allowed: ${runtimeRange(min)})` }
      return { value: v }
    },
    schema: {
      type: ['integer', 'null'],
      minimum: min,
      maximum: MAX_SECONDS,
      description: `Vigil extension. ${description}`,
    },
  }
}

/** min_runtime must stay below max_runtime when both are set, or every run would fail. */
export function runTimeLimitsError(
  c: Partial<Pick<Check, 'max_runtime' | 'min_runtime'>>,
): InvalidField | null {
  const { max_runtime: max, min_runtime: min } = c
  if (max === null || max === undefined || min === null || min === undefined || min < max)
    return null
  return {
    kind: 'invalid-field',
    field: 'min_runtime',
    problem: `must be smaller than max_runtime (${max} seconds)`,
  }
}

const methods: Field = {
  rule: (v) => (v === '' || v === 'POST' ? { value: v } : { problem: 'has unexpected value' }),
  schema: {
    enum: ['', 'POST'],
    description: '"POST" makes GET and HEAD pings count as ignored; "" allows any method.',
  },
}

/** Validated without a zone (Healthchecks evaluates it naive for cron and in UTC for OnCalendar). */
const schedule: Field = {
  rule: (v) => {
    const r = str(100).rule(v)
    if ('problem' in r) return r
    const s = r.value as string
    return isValidSchedule({ kind: guessKind(s), schedule: s, tz: 'UTC' })
      ? r
      : { problem: 'is not a valid cron or OnCalendar expression' }
  },
  schema: {
    type: 'string',
    maxLength: 100,
    description:
      'A cron expression (exactly 5 fields) or a systemd OnCalendar expression (one per line). ' +
      'Makes the check a cron/OnCalendar check; wins over timeout.',
    examples: ['0 3 * * *', 'Mon..Fri *-*-* 09:00'],
  },
}

const tz: Field = {
  rule: (v) => {
    if (typeof v !== 'string') return { problem: 'is not a string' }
    const canonical = canonicalTimeZone(v)
    return isValidTimeZone(canonical)
      ? { value: canonical }
      : { problem: 'is not a valid timezone' }
  },
  schema: {
    type: 'string',
    description: 'IANA time zone of the schedule; legacy names such as US/Pacific are rewritten.',
    examples: ['UTC', 'Europe/Riga'],
  },
}

const unique: Field = {
  rule: (v) => {
    if (!Array.isArray(v)) return { problem: 'is not an array' }
    for (const item of v) {
      if (typeof item !== 'string' || !UNIQUE_FIELDS.includes(item)) {
        return { problem: 'has unexpected value', item: true }
      }
    }
    return { value: v }
  },
  schema: {
    type: 'array',
    items: { enum: [...UNIQUE_FIELDS] },
    description:
      'Create only: update the existing check whose listed fields all equal the request’s ' +
      '(200) instead of creating one (201).',
  },
}

/** Most parents one check may have. */
export const MAX_DEPENDS_ON = 100
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Vigil extension (issue 14): the check's parents; which checks they are is checked later. */
const dependsOn: Field = {
  rule: (v) => {
    if (!Array.isArray(v)) return { problem: 'is not an array' }
    if (v.length > MAX_DEPENDS_ON)
      return { problem: `has too many items (at most ${MAX_DEPENDS_ON})` }
    const codes: string[] = []
    for (const item of v) {
      const code = typeof item === 'string' ? item.toLowerCase() : ''
      if (!UUID_PATTERN.test(code)) return { problem: 'is not a check UUID', item: true }
      codes.push(code)
    }
    return { value: codes }
  },
  schema: {
    type: 'array',
    items: {
      type: 'string',
      format: 'uuid',
      // Also as a pattern: validators without format support check it the same way.
      pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
    },
    maxItems: MAX_DEPENDS_ON,
    description:
      'Vigil extension: UUIDs of checks of the same project this check depends on. While one ' +
      "of them is down, this check's down alert is held; it is sent once the parent recovers " +
      'if this check is still down. Replaces the whole set; cycles are refused.',
    'x-vigil-extension': true,
  },
}

/** In Spec's declaration order, which is the order pydantic reports errors in. */
const RULES: Array<[keyof CheckSpec, Field]> = [
  [
    'channels',
    str(
      undefined,
      undefined,
      '"*" (all integrations), "" (none) or comma-separated UUIDs or names.',
    ),
  ],
  ['depends_on', dependsOn],
  ['desc', str(undefined, undefined, 'Description.')],
  ['failure_kw', str(200, undefined, 'Keywords that classify a ping body as a failure.')],
  ['filter_body', bool('Classify email pings by their body keywords.')],
  ['filter_default_fail', bool('Treat pings matching no keyword as failures.')],
  ['filter_http_body', bool('Classify HTTP pings by their body keywords.')],
  ['filter_subject', bool('Classify email pings by their subject keywords.')],
  ['grace', seconds('Grace time in seconds.')],
  ['maintenance', { rule: parseMaintenance, schema: MAINTENANCE_SCHEMA }],
  ['manual_resume', bool('A paused check stays paused when pinged.')],
  [
    'max_runtime',
    runtimeSeconds(
      MIN_SECONDS,
      'Seconds a run may take after its /start (and after each /progress ping) before the ' +
        'check goes down ("ran too long"); the schedule’s grace then only bounds a missing ' +
        'start ("did not start"). null (the default) keeps Healthchecks’ behaviour.',
    ),
  ],
  ['methods', methods],
  [
    'min_runtime',
    runtimeSeconds(
      1,
      'Seconds a /start → success run must at least take; a faster one takes the check down ' +
        '("finished too fast"). null (the default) sets no lower bound.',
    ),
  ],
  ['name', str(100, undefined, 'Name of the check.')],
  ['schedule', schedule],
  ['slug', str(100, /^[a-z0-9-_]*$/, 'Slug for /ping/<ping-key>/<slug> URLs.')],
  ['start_kw', str(200, undefined, 'Keywords that classify a ping body as a start.')],
  ['subject', str(200, undefined, 'Deprecated: sets success_kw.')],
  ['subject_fail', str(200, undefined, 'Deprecated: sets failure_kw.')],
  ['success_kw', str(200, undefined, 'Keywords that classify a ping body as a success.')],
  ['tags', str(undefined, undefined, 'Space-separated tags.')],
  ['timeout', seconds('Period of a simple check in seconds.')],
  ['tz', tz],
  ['unique', unique],
  // Vigil's run insight (insight-fields.ts), after Healthchecks' fields.
  ...INSIGHT_RULES,
]

/**
 * The request body of create and update as JSON Schema, built from the rules above. Explicit
 * null is refused (no field is nullable); fields the validator does not know are ignored, so
 * additional properties are allowed. Schedules and zones are checked beyond what it can say.
 */
export const CHECK_SPEC_SCHEMA: JsonSchema = {
  type: 'object',
  properties: Object.fromEntries(RULES.map(([field, f]) => [field, f.schema])),
  additionalProperties: true,
}

/**
 * Validates a request body (already known to be a JSON object). Unknown fields are ignored;
 * an explicit null fails with the field's type error, as in Healthchecks.
 */
export function parseCheckSpec(
  body: Record<string, unknown>,
): { ok: true; value: CheckSpec } | { ok: false; error: InvalidField } {
  const spec: Record<string, unknown> = {}
  for (const [field, { rule }] of RULES) {
    if (!Object.hasOwn(body, field)) continue
    const r = rule(body[field])
    if ('problem' in r) {
      const name = r.item ? `an item in '${field}'` : field
      return { ok: false, error: { kind: 'invalid-field', field: name, problem: r.problem } }
    }
    spec[field] = r.value
  }
  const limits = runTimeLimitsError(spec as CheckSpec)
  if (limits) return { ok: false, error: limits }
  return { ok: true, value: spec as CheckSpec }
}

/**
 * Django's slugify: NFKD, drop non-ASCII, lowercase, drop what is not a word character, space or
 * hyphen, collapse runs of spaces and hyphens to one hyphen, trim hyphens and underscores.
 */
export function slugify(value: string): string {
  const ascii = [...value.normalize('NFKD')].filter((c) => c.charCodeAt(0) < 0x80).join('')
  return ascii
    .toLowerCase()
    .replace(NOT_SLUG_CHAR, '')
    .replace(SEPARATOR_RUN, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
}

// Python's \s also matches the ASCII separators U+001C..U+001F, which JavaScript's \s does not.
const PY_SPACE = '\\s\\u001c-\\u001f'
const NOT_SLUG_CHAR = new RegExp(`[^\\w${PY_SPACE}-]`, 'g')
const SEPARATOR_RUN = new RegExp(`[-${PY_SPACE}]+`, 'g')

/** The check columns the API can set. */
export type EditableColumns = Pick<
  Check,
  | 'name'
  | 'slug'
  | 'tags'
  | 'desc'
  | 'kind'
  | 'timeout'
  | 'grace'
  | 'schedule'
  | 'tz'
  | 'manual_resume'
  | 'methods'
  | 'start_kw'
  | 'success_kw'
  | 'failure_kw'
  | 'filter_subject'
  | 'filter_body'
  | 'filter_http_body'
  | 'filter_default_fail'
  | 'max_runtime'
  | 'min_runtime'
  | 'maintenance'
>

/** Column values of a check created without any field (Healthchecks' model defaults). */
export const NEW_CHECK_COLUMNS: EditableColumns = {
  name: '',
  slug: '',
  tags: '',
  desc: '',
  kind: 'simple',
  timeout: 86_400,
  grace: 3_600,
  schedule: '* * * * *',
  tz: 'UTC',
  manual_resume: 0,
  methods: '',
  start_kw: '',
  success_kw: '',
  failure_kw: '',
  filter_subject: 0,
  filter_body: 0,
  filter_http_body: 0,
  filter_default_fail: 0,
  max_runtime: null,
  min_runtime: null,
  maintenance: '[]',
}

const flag = (b: boolean): number => (b ? 1 : 0)

/**
 * The columns a spec changes on `check`, in Healthchecks' order: name (v1/v2 also slugify it into
 * slug), then kind with timeout or schedule (schedule wins), then the deprecated subject and
 * subject_fail, then the explicit fields, so an explicit `slug` or `filter_subject` has the last
 * word. Only values that differ are returned; an empty object means nothing to save.
 */
export function applyCheckSpec(
  check: EditableColumns,
  spec: CheckSpec,
  version: 1 | 2 | 3,
): Partial<EditableColumns> {
  const next: EditableColumns = { ...check }
  if (spec.name !== undefined && next.name !== spec.name) {
    next.name = spec.name
    if (version < 3) next.slug = slugify(spec.name)
  }
  if (spec.schedule !== undefined) {
    next.kind = guessKind(spec.schedule)
    next.schedule = spec.schedule
  } else if (spec.timeout !== undefined) {
    next.kind = 'simple'
    next.timeout = spec.timeout
  }
  if (spec.subject !== undefined) {
    next.success_kw = spec.subject
    next.filter_subject = flag(next.success_kw !== '' || next.failure_kw !== '')
  }
  if (spec.subject_fail !== undefined) {
    next.failure_kw = spec.subject_fail
    next.filter_subject = flag(next.success_kw !== '' || next.failure_kw !== '')
  }
  for (const key of ['slug', 'tags', 'desc', 'methods', 'tz', 'start_kw'] as const) {
    const v = spec[key]
    if (v !== undefined) next[key] = v
  }
  if (spec.manual_resume !== undefined) next.manual_resume = flag(spec.manual_resume)
  if (spec.success_kw !== undefined) next.success_kw = spec.success_kw
  if (spec.failure_kw !== undefined) next.failure_kw = spec.failure_kw
  for (const key of [
    'filter_subject',
    'filter_body',
    'filter_http_body',
    'filter_default_fail',
  ] as const) {
    const v = spec[key]
    if (v !== undefined) next[key] = flag(v)
  }
  if (spec.grace !== undefined) next.grace = spec.grace
  if (spec.max_runtime !== undefined) next.max_runtime = spec.max_runtime
  if (spec.min_runtime !== undefined) next.min_runtime = spec.min_runtime
  if (spec.maintenance !== undefined) next.maintenance = windowsJson(spec.maintenance)

  const changed: Partial<EditableColumns> = {}
  for (const key of Object.keys(next) as Array<keyof EditableColumns>) {
    if (next[key] !== check[key]) (changed as Record<string, unknown>)[key] = next[key]
  }
  return changed
}
