/**
 * The fields of Healthchecks' create/update check API (`Spec` in hc/api/views.py) plus Vigil's
 * extensions, as one TypeBox schema (CheckSpecSchema): the source of the CheckSpec type, of the
 * OpenAPI request body (api/openapi.ts) and of the structural validation of the API and the web
 * check form. Beside it the rules a schema cannot say (schedule and zone validity, min_runtime
 * below max_runtime, NUL characters PostgreSQL cannot store, Healthchecks' `true` as 1 second),
 * the order issues are reported in (Spec's alphabetical order, first error only), Healthchecks'
 * exact problem texts for the API, and how a valid spec changes a check (`_update`: name and
 * v1/v2 slug, then schedule, then the deprecated subject fields, then the explicit fields).
 * Pure: no database, no clock.
 */
import Type, { type Static } from 'typebox'
import type { Check } from '../db/index.js'
import { guessKind, isValidSchedule, isValidTimeZone } from '../schedule/index.js'
import {
  MAX_ALERT_DELAY,
  MAX_ALERT_FAILURES,
  POLICY_COLUMNS,
  POLICY_PROPERTIES,
  type PolicyColumn,
} from './alert-policy.js'
import { INSIGHT_PROPERTIES } from './insight-fields.js'
import { canonicalTimeZone } from './legacy-time-zones.js'
import {
  MaintenanceSchema,
  type MaintenanceWindow,
  parseMaintenance,
  windowsJson,
} from './maintenance.js'
import { compileSchema, errorsAt, errorsUnder, type SchemaError } from './schema-errors.js'

export { MAX_ALERT_DELAY, MAX_ALERT_FAILURES }

export const MIN_SECONDS = 60
export const MAX_SECONDS = 31_536_000
/** The range named in every timeout/grace message (issue 13: "too small" alone did not say the limit). */
const SECONDS_RANGE = `${MIN_SECONDS} to ${MAX_SECONDS} seconds`

export type UniqueField = 'name' | 'slug' | 'tags' | 'timeout' | 'grace'
const UNIQUE_FIELDS: UniqueField[] = ['name', 'slug', 'tags', 'timeout', 'grace']

/** Most parents one check may have. */
export const MAX_DEPENDS_ON = 100

const str = (options: { description: string; maxLength?: number; pattern?: string }) =>
  Type.Optional(Type.String(options))
const bool = (description: string) => Type.Optional(Type.Boolean({ description }))
const seconds = (description: string) =>
  Type.Optional(Type.Integer({ minimum: MIN_SECONDS, maximum: MAX_SECONDS, description }))
/** Vigil's run-time limits (checks/run-time.ts): seconds, or null to unset. */
const runtimeSeconds = (minimum: number, description: string) =>
  Type.Optional(
    // One `type` list rather than anyOf, so the OpenAPI document reads as it did.
    Type.Unsafe<number | null>({
      type: ['integer', 'null'],
      minimum,
      maximum: MAX_SECONDS,
      description: `Vigil extension. ${description}`,
    }),
  )

/**
 * The request body of create and update, in Spec's declaration order (the order pydantic reports
 * errors in), then run insight, then the alert policy (API v3 only). No field is nullable unless
 * it says so; fields nobody knows are ignored, so additional properties are allowed.
 */
export const CheckSpecSchema = Type.Object(
  {
    channels: str({
      description: '"*" (all integrations), "" (none) or comma-separated UUIDs or names.',
    }),
    depends_on: Type.Optional(
      Type.Array(
        Type.String({
          format: 'uuid',
          // Also as a pattern: validators without format support check it the same way.
          pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
        }),
        {
          maxItems: MAX_DEPENDS_ON,
          description:
            'Vigil extension: UUIDs of checks of the same project this check depends on. While one ' +
            "of them is down, this check's down alert is held; it is sent once the parent recovers " +
            'if this check is still down. Replaces the whole set; cycles are refused.',
          'x-vigil-extension': true,
        },
      ),
    ),
    desc: str({ description: 'Description.' }),
    failure_kw: str({
      maxLength: 200,
      description: 'Keywords that classify a ping body as a failure.',
    }),
    filter_body: bool('Classify email pings by their body keywords.'),
    filter_default_fail: bool('Treat pings matching no keyword as failures.'),
    filter_http_body: bool('Classify HTTP pings by their body keywords.'),
    filter_subject: bool('Classify email pings by their subject keywords.'),
    grace: seconds('Grace time in seconds.'),
    maintenance: Type.Optional(MaintenanceSchema),
    manual_resume: bool('A paused check stays paused when pinged.'),
    max_runtime: runtimeSeconds(
      MIN_SECONDS,
      'Seconds a run may take after its /start (and after each /progress ping) before the ' +
        'check goes down ("ran too long"); the schedule’s grace then only bounds a missing ' +
        'start ("did not start"). null (the default) keeps Healthchecks’ behaviour.',
    ),
    methods: Type.Optional(
      Type.Enum(['', 'POST'], {
        description: '"POST" makes GET and HEAD pings count as ignored; "" allows any method.',
      }),
    ),
    min_runtime: runtimeSeconds(
      1,
      'Seconds a /start → success run must at least take; a faster one takes the check down ' +
        '("finished too fast"). null (the default) sets no lower bound.',
    ),
    name: str({ maxLength: 100, description: 'Name of the check.' }),
    schedule: Type.Optional(
      Type.String({
        maxLength: 100,
        description:
          'A cron expression (exactly 5 fields) or a systemd OnCalendar expression (one per line). ' +
          'Makes the check a cron/OnCalendar check; wins over timeout.',
        examples: ['0 3 * * *', 'Mon..Fri *-*-* 09:00'],
      }),
    ),
    slug: str({
      maxLength: 100,
      pattern: '^[a-z0-9-_]*$',
      description: 'Slug for /ping/<ping-key>/<slug> URLs.',
    }),
    start_kw: str({
      maxLength: 200,
      description: 'Keywords that classify a ping body as a start.',
    }),
    subject: str({ maxLength: 200, description: 'Deprecated: sets success_kw.' }),
    subject_fail: str({ maxLength: 200, description: 'Deprecated: sets failure_kw.' }),
    success_kw: str({
      maxLength: 200,
      description: 'Keywords that classify a ping body as a success.',
    }),
    tags: str({ description: 'Space-separated tags.' }),
    timeout: seconds('Period of a simple check in seconds.'),
    tz: Type.Optional(
      Type.String({
        description:
          'IANA time zone of the schedule; legacy names such as US/Pacific are rewritten.',
        examples: ['UTC', 'Europe/Riga'],
      }),
    ),
    unique: Type.Optional(
      Type.Array(Type.Enum(UNIQUE_FIELDS), {
        description:
          'Create only: update the existing check whose listed fields all equal the request’s ' +
          '(200) instead of creating one (201).',
      }),
    ),
    // Vigil's run insight (insight-fields.ts), after Healthchecks' fields.
    ...INSIGHT_PROPERTIES,
    // Vigil's alert policy (alert-policy.ts), API v3 only.
    ...POLICY_PROPERTIES,
  },
  { additionalProperties: true },
)

type SpecBody = Static<typeof CheckSpecSchema>

/**
 * A validated request body. Absent fields are undefined and leave the check unchanged. As the
 * schema says, except: zones are canonical (legacy names rewritten), windows have their zone
 * filled in, `depends_on` UUIDs are lower-case; policy fields appear for API v3 only.
 */
export type CheckSpec = Omit<SpecBody, 'maintenance'> & { maintenance?: MaintenanceWindow[] }

export type SpecField = keyof typeof CheckSpecSchema.properties

/**
 * Vigil's flapping protection and alert policy as the web form sets them through the same use
 * cases (validated by the same schema); the management API sets them in its v3 body.
 */
export type FlapSettings = Pick<CheckSpec, PolicyColumn>

/**
 * A problem with one field, for each edge to word: `rule` is the failing schema keyword (type,
 * maxLength, pattern, minimum, maximum, maxItems, enum) or a rule in code: `nul` (a NUL
 * character), `schedule` (no next run), `timezone` (unknown zone), `order` (min_runtime not below
 * max_runtime, `limit` = max_runtime), `item` (an item of unique or depends_on), `window` (a
 * maintenance window; `detail` is the API's text).
 */
export interface SpecIssue {
  field: SpecField
  rule: string
  limit?: number
  detail?: string
  /** The field's other failing rules, after `rule` (an edge may prefer to name another). */
  also?: string[]
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

const checkSpecSchema = compileSchema(CheckSpecSchema)
const FIELDS = Object.keys(CheckSpecSchema.properties) as SpecField[]
const POLICY = new Set<string>(POLICY_COLUMNS)
/** String fields whose text is stored: PostgreSQL text cannot hold NUL (Healthchecks answers 500). */
const STORED_TEXT = new Set<string>([
  'channels',
  'desc',
  'failure_kw',
  'name',
  'schedule',
  'slug',
  'start_kw',
  'subject',
  'subject_fail',
  'success_kw',
  'tags',
])
/** Which keyword a field reports first when several fail (type, then length, then pattern). */
const RANK: Record<string, number> = { type: 0, maxLength: 2, pattern: 3 }
const byRank = (a: SchemaError, b: SchemaError) => (RANK[a.keyword] ?? 2) - (RANK[b.keyword] ?? 2)

/** The first issue of one present field and, when there is none, its validated value. */
function checkField(
  field: SpecField,
  v: unknown,
  errors: readonly SchemaError[],
): { issue: SpecIssue } | { value: unknown } {
  if (field === 'maintenance') {
    // The windows' own order of problems (item by item) lives with them.
    const r = parseMaintenance(v)
    return 'problem' in r ? { issue: { field, rule: 'window', detail: r.problem } } : r
  }
  const nul = STORED_TEXT.has(field) && typeof v === 'string' && v.includes('\u0000')
  // The body passed the schema (the usual case): only the rules in code are left.
  if (errors.length > 0 || nul) {
    const mine = errorsUnder(errors, field)
    const own = errorsAt(mine, field).sort(byRank)
    if (own[0]?.keyword === 'type') return { issue: { field, rule: 'type' } }
    if (nul || own.length > 0) {
      const rules = [...(nul ? ['nul'] : []), ...own.map((e) => e.keyword)]
      const also = rules.slice(1)
      const limit = nul ? undefined : own[0].limit
      return { issue: { field, rule: rules[0], limit, ...(also.length > 0 ? { also } : {}) } }
    }
    if (mine.length > 0) return { issue: { field, rule: 'item' } }
  }
  switch (field) {
    case 'schedule': {
      // Validated without a zone (Healthchecks evaluates it naive for cron, in UTC for OnCalendar).
      const s = v as string
      return isValidSchedule({ kind: guessKind(s), schedule: s, tz: 'UTC' })
        ? { value: s }
        : { issue: { field, rule: 'schedule' } }
    }
    case 'tz': {
      const zone = canonicalTimeZone(v as string)
      return isValidTimeZone(zone) ? { value: zone } : { issue: { field, rule: 'timezone' } }
    }
    case 'depends_on': {
      // The schema takes either case; which checks they are is checked later (check-dependencies.ts).
      return { value: (v as string[]).map((c) => c.toLowerCase()) }
    }
    default:
      return { value: v }
  }
}

/**
 * Validates a body (already known to be an object) against CheckSpecSchema and the rules beside
 * it. Returns the valid fields and every field's first issue, in the order Healthchecks reports
 * them: Spec's fields, then min_runtime against max_runtime, then (API v3 only; other versions
 * ignore them, as Healthchecks knows none) the policy fields' types, then their ranges.
 */
export function checkSpecIssues(
  body: Record<string, unknown>,
  version: 1 | 2 | 3 = 3,
): { spec: CheckSpec; issues: SpecIssue[] } {
  const errors = checkSpecSchema(body)
  const spec: Record<string, unknown> = {}
  const issues: SpecIssue[] = []
  const policyTypes: SpecIssue[] = []
  const policyRanges: SpecIssue[] = []
  for (const field of FIELDS) {
    if (!Object.hasOwn(body, field)) continue
    const policy = POLICY.has(field)
    if (policy && version < 3) continue
    const r = checkField(field, body[field], errors)
    if ('value' in r) spec[field] = r.value
    else if (!policy) issues.push(r.issue)
    else if (r.issue.rule === 'type') policyTypes.push(r.issue)
    else policyRanges.push(r.issue)
  }
  if (runTimeLimitsError(spec))
    issues.push({ field: 'min_runtime', rule: 'order', limit: spec.max_runtime as number })
  return { spec: spec as CheckSpec, issues: [...issues, ...policyTypes, ...policyRanges] }
}

/** Healthchecks' words for an issue (the API's message; the web form has its own). */
export function apiProblem(issue: SpecIssue, value: unknown): InvalidField {
  const { field, rule, limit } = issue
  const fail = (problem: string, name: string = field): InvalidField => ({
    kind: 'invalid-field',
    field: name,
    problem,
  })
  if (rule === 'window') return fail(issue.detail ?? '')
  if (rule === 'nul') return fail('contains a NUL character')
  if (rule === 'schedule') return fail('is not a valid cron or OnCalendar expression')
  if (rule === 'timezone') return fail('is not a valid timezone')
  if (rule === 'order') return fail(`must be smaller than max_runtime (${limit} seconds)`)
  if (rule === 'item')
    return fail(
      field === 'unique' ? 'has unexpected value' : 'is not a check UUID',
      `an item in '${field}'`,
    )
  const schema = CheckSpecSchema.properties[field] as { type?: unknown; enum?: unknown }
  if (schema.enum) return fail('has unexpected value')
  if (POLICY.has(field) || field === 'new_source_days') {
    if (rule === 'type') return fail('is not a number')
    const { minimum, maximum } = schema as { minimum: number; maximum: number }
    const unit =
      field === 'new_source_days'
        ? ' days'
        : field === 'alert_delay'
          ? ' seconds'
          : field === 'warn_after'
            ? ' seconds, or null'
            : ''
    return fail(`is out of range (allowed: ${minimum} to ${maximum}${unit})`)
  }
  if (field === 'max_runtime' || field === 'min_runtime') {
    if (rule === 'type') return fail('is not a number or null')
    const range = `${(schema as { minimum: number }).minimum} to ${MAX_SECONDS} seconds, or null to unset`
    return fail(`is too ${rule === 'maximum' ? 'large' : 'small'} (allowed: ${range})`)
  }
  if (field === 'timeout' || field === 'grace') {
    // A JSON boolean is a Python int: `true` is one second, `false` none, both too small.
    if (rule === 'type' && typeof value !== 'boolean') return fail('is not a number')
    return fail(`is too ${rule === 'maximum' ? 'large' : 'small'} (allowed: ${SECONDS_RANGE})`)
  }
  switch (schema.type) {
    case 'boolean':
      return fail('is not a boolean')
    case 'array':
      return fail(rule === 'maxItems' ? `has too many items (at most ${limit})` : 'is not an array')
    default:
      if (rule === 'maxLength') return fail(`is too long (at most ${limit} characters)`)
      return fail(rule === 'pattern' ? 'does not match pattern' : 'is not a string')
  }
}

/**
 * Validates an API request body (already known to be a JSON object): the first issue in
 * Healthchecks' words, or the spec. Unknown fields are ignored; an explicit null fails with the
 * field's type error, as in Healthchecks.
 */
export function parseCheckSpec(
  body: Record<string, unknown>,
  version: 1 | 2 | 3 = 3,
): { ok: true; value: CheckSpec } | { ok: false; error: InvalidField } {
  const { spec, issues } = checkSpecIssues(body, version)
  if (issues.length > 0) {
    return { ok: false, error: apiProblem(issues[0], body[issues[0].field]) }
  }
  return { ok: true, value: spec }
}

/**
 * The first out-of-range setting of the web form's flapping protection and alert policy, in the
 * API's words, or null: the same schema as API v3's fields.
 */
export function flapSettingsError(f: FlapSettings): InvalidField | null {
  // The API's create and update have none (their policy fields were checked with the body).
  if (Object.keys(f).length === 0) return null
  const { issues } = checkSpecIssues(f as Record<string, unknown>, 3)
  const first = issues[0]
  return first ? apiProblem(first, (f as Record<string, unknown>)[first.field]) : null
}

/** The alert policy a create/update sets: the web form's, else the API v3 body's (in `spec`). */
export function policyOf(flapping: FlapSettings | undefined, spec: CheckSpec): FlapSettings {
  if (flapping) return flapping
  const out: Record<string, unknown> = {}
  for (const field of POLICY_COLUMNS) if (spec[field] !== undefined) out[field] = spec[field]
  return out as FlapSettings
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
