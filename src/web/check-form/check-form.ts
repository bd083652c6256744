/**
 * The add/edit check form as data: its fields as the page shows them, reading them from a form
 * post, turning them into the management API's check body (so the UI saves through the same
 * use cases as the API) and validating that body with the API's CheckSpec schema, with the
 * form's own message per field (form-messages.ts), and the preview of the next expected pings in
 * the check's zone and in the viewer's. What is the form's own: reading numbers in its units,
 * the slug made from the name, the choice of cron or OnCalendar, and its limits on tags and
 * descriptions. Mirrors Healthchecks' name, timeout and filtering forms (hc/front/forms.py). Pure.
 */
import {
  CheckSpecSchema,
  canonicalTimeZone,
  checkSpecIssues,
  type FlapSettings,
  slugify,
} from '../../checks/index.js'
import type { Check } from '../../db/index.js'
import {
  guessKind,
  isValidSchedule,
  isValidTimeZone,
  nextRuns,
  type Schedule,
} from '../../schedule/index.js'
import { formatDuration, formatInstant } from '../time-format.js'
import { formMessage, WHOLE_NUMBER } from './form-messages.js'
import {
  type InsightFormValues,
  insightFormBody,
  insightFormFromBody,
  insightFormFromCheck,
  NEW_INSIGHT_FORM,
} from './insight-form.js'
import { maintenanceText, parseMaintenanceText } from './maintenance-field.js'
import {
  DEFAULT_POLICY_VALUES,
  type PolicyFormValues,
  policyPairError,
  policySettingsFromForm,
  policyValuesFromCheck,
  readPolicyFields,
} from './policy-fields.js'

export const PREVIEW_RUNS = 5
/** The longest schedule expression the API takes. */
const MAX_EXPRESSION = (CheckSpecSchema.properties.schedule as unknown as { maxLength: number })
  .maxLength

export type Unit = 'minutes' | 'hours' | 'days'
export const UNIT_SECONDS: Record<Unit, number> = { minutes: 60, hours: 3600, days: 86_400 }
export type FormKind = 'simple' | 'cron' | 'oncalendar'

/** What the form shows: every value as typed. */
export interface CheckFormValues extends InsightFormValues, PolicyFormValues {
  name: string
  slug: string
  tags: string
  desc: string
  kind: FormKind
  timeout_value: string
  timeout_unit: Unit
  grace_value: string
  grace_unit: Unit
  schedule: string
  tz: string
  methods: '' | 'POST'
  start_kw: string
  success_kw: string
  failure_kw: string
  filter_subject: boolean
  filter_body: boolean
  filter_http_body: boolean
  filter_default_fail: boolean
  manual_resume: boolean
  /** Flapping protection: consecutive failures before alerting (1..100). */
  alert_failures: string
  /** Flapping protection: minutes a check stays down before alerting (0..1440). */
  alert_delay: string
  /** Run-time limit (checks/run-time.ts): minutes, '' = unset. */
  max_runtime: string
  /** Run-time limit: seconds, '' = unset. */
  min_runtime: string
  /** UUIDs of the checks it depends on (issue 14); the picker's ticked boxes. */
  depends_on: string[]
  /** Maintenance windows, one per line (maintenance-field.tsx). */
  maintenance: string
}

export type FormErrors = Partial<Record<keyof CheckFormValues, string>>

/** The largest unit that divides the seconds exactly, so "1 day" is shown as 1 days, not 1440 min. */
export function splitSeconds(seconds: number): { value: string; unit: Unit } {
  for (const unit of ['days', 'hours', 'minutes'] as const) {
    if (seconds % UNIT_SECONDS[unit] === 0) {
      return { value: String(seconds / UNIT_SECONDS[unit]), unit }
    }
  }
  return { value: String(Math.round((seconds / 60) * 100) / 100), unit: 'minutes' }
}

/** A new check: daily, an hour of grace; cron and OnCalendar default to the viewer's zone. */
export function defaultFormValues(viewerTz: string): CheckFormValues {
  return {
    name: '',
    slug: '',
    tags: '',
    desc: '',
    kind: 'simple',
    timeout_value: '1',
    timeout_unit: 'days',
    grace_value: '1',
    grace_unit: 'hours',
    schedule: '0 5 * * *',
    tz: viewerTz,
    methods: '',
    start_kw: '',
    success_kw: '',
    failure_kw: '',
    filter_subject: false,
    filter_body: false,
    filter_http_body: false,
    filter_default_fail: false,
    manual_resume: false,
    alert_failures: '1',
    alert_delay: '0',
    max_runtime: '',
    min_runtime: '',
    ...NEW_INSIGHT_FORM,
    depends_on: [],
    maintenance: '',
    ...DEFAULT_POLICY_VALUES,
  }
}

export function formValuesFromCheck(check: Check): CheckFormValues {
  const timeout = splitSeconds(check.timeout)
  const grace = splitSeconds(check.grace)
  return {
    name: check.name,
    slug: check.slug,
    tags: check.tags,
    desc: check.desc,
    kind: check.kind,
    timeout_value: timeout.value,
    timeout_unit: timeout.unit,
    grace_value: grace.value,
    grace_unit: grace.unit,
    schedule: check.kind === 'simple' ? '0 5 * * *' : check.schedule,
    tz: check.tz,
    methods: check.methods === 'POST' ? 'POST' : '',
    start_kw: check.start_kw,
    success_kw: check.success_kw,
    failure_kw: check.failure_kw,
    filter_subject: check.filter_subject === 1,
    filter_body: check.filter_body === 1,
    filter_http_body: check.filter_http_body === 1,
    filter_default_fail: check.filter_default_fail === 1,
    manual_resume: check.manual_resume === 1,
    alert_failures: String(check.alert_failures),
    // The form speaks whole minutes (the column is seconds).
    alert_delay: String(Math.round(check.alert_delay / 60)),
    ...runTimeFormValues(check),
    ...insightFormFromCheck(check),
    // Not a column: the edit route fills it in (dependsOnOf).
    depends_on: [],
    maintenance: maintenanceText(check.maintenance),
    ...policyValuesFromCheck(check),
  }
}

function text(body: Record<string, unknown>, name: string): string {
  const v = body[name]
  return typeof v === 'string' ? v : ''
}

function unit(v: string, fallback: Unit): Unit {
  return v === 'minutes' || v === 'hours' || v === 'days' ? v : fallback
}

/** The values a form post carries (missing or repeated fields read as empty). */
export function readCheckForm(raw: unknown): CheckFormValues {
  const body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const kind = text(body, 'kind')
  return {
    name: text(body, 'name'),
    slug: text(body, 'slug'),
    tags: text(body, 'tags'),
    desc: text(body, 'desc'),
    kind: kind === 'cron' || kind === 'oncalendar' ? kind : 'simple',
    timeout_value: text(body, 'timeout_value').trim(),
    timeout_unit: unit(text(body, 'timeout_unit'), 'days'),
    grace_value: text(body, 'grace_value').trim(),
    grace_unit: unit(text(body, 'grace_unit'), 'hours'),
    schedule: text(body, 'schedule').replace(/\r\n?/g, '\n').trim(),
    tz: text(body, 'tz').trim(),
    methods: text(body, 'methods') === 'POST' ? 'POST' : '',
    start_kw: text(body, 'start_kw'),
    success_kw: text(body, 'success_kw'),
    failure_kw: text(body, 'failure_kw'),
    filter_subject: text(body, 'filter_subject') === '1',
    filter_body: text(body, 'filter_body') === '1',
    filter_http_body: text(body, 'filter_http_body') === '1',
    filter_default_fail: text(body, 'filter_default_fail') === '1',
    manual_resume: text(body, 'manual_resume') === '1',
    alert_failures: text(body, 'alert_failures').trim(),
    alert_delay: text(body, 'alert_delay').trim(),
    max_runtime: text(body, 'max_runtime').trim(),
    min_runtime: text(body, 'min_runtime').trim(),
    ...insightFormFromBody(body),
    depends_on: [body.depends_on].flat().filter((c): c is string => typeof c === 'string'),
    maintenance: text(body, 'maintenance').replace(/\r\n?/g, '\n').trim(),
    ...readPolicyFields((name) => text(body, name)),
  }
}

/** Python-like length: code points, as the API's limits count. */
function length(s: string): number {
  return [...s].length
}

/** Whole seconds of an amount in a unit (its range is the schema's), or the sentence. */
function seconds(value: string, u: Unit, what: string): number | string {
  if (!/^\d+(\.\d+)?$/.test(value)) return `Enter the ${what} as a number.`
  return Math.round(Number(value) * UNIT_SECONDS[u])
}

/** The period (simple checks' timeout) in seconds, with the schema's range in the form's words. */
function periodSeconds(value: string, u: Unit): number | string {
  const s = seconds(value, u, 'period')
  if (typeof s === 'string') return s
  const issue = checkSpecIssues({ timeout: s }).issues[0]
  return issue ? (formMessage(issue)?.message ?? '') : s
}

export interface ScheduleInput {
  kind: FormKind
  timeout_value: string
  timeout_unit: Unit
  schedule: string
  tz: string
}

/** The schedule the form describes, or a message for the field that is wrong. */
export function formSchedule(
  v: ScheduleInput,
):
  | { ok: true; schedule: Schedule; timeout?: number }
  | { ok: false; field: keyof CheckFormValues; error: string } {
  if (v.kind === 'simple') {
    const t = periodSeconds(v.timeout_value, v.timeout_unit)
    if (typeof t === 'string') return { ok: false, field: 'timeout_value', error: t }
    return { ok: true, schedule: { kind: 'simple', timeout: t }, timeout: t }
  }
  const tz = canonicalTimeZone(v.tz)
  if (!isValidTimeZone(tz)) {
    return {
      ok: false,
      field: 'tz',
      error: 'Choose a time zone from the list, such as Europe/Berlin or UTC.',
    }
  }
  const expr = v.schedule
  if (expr === '') return { ok: false, field: 'schedule', error: 'Enter an expression.' }
  if (length(expr) > MAX_EXPRESSION)
    return {
      ok: false,
      field: 'schedule',
      error: `The expression is too long (at most ${MAX_EXPRESSION} characters).`,
    }
  if (v.kind === 'cron' && guessKind(expr) !== 'cron') {
    return {
      ok: false,
      field: 'schedule',
      error:
        'A cron expression has exactly five fields: minute, hour, day of month, month and day of week.',
    }
  }
  if (v.kind === 'oncalendar' && guessKind(expr) !== 'oncalendar') {
    return {
      ok: false,
      field: 'schedule',
      error: 'This has five fields, like a cron expression: choose Cron instead of OnCalendar.',
    }
  }
  const schedule: Schedule = { kind: v.kind, schedule: expr, tz }
  if (!isValidSchedule(schedule)) {
    return {
      ok: false,
      field: 'schedule',
      error:
        v.kind === 'cron'
          ? 'This is not a valid cron expression, or it never matches.'
          : 'This is not a valid OnCalendar expression, or it never matches.',
    }
  }
  return { ok: true, schedule }
}

/**
 * The check body for the API use cases (version 3 semantics: the slug is never derived from the
 * name there, so the form does it for new checks), or the form's errors: first what the form
 * reads itself (numbers in its units, the schedule), then the body and the flapping settings
 * through the API's CheckSpec schema, each problem worded for the field that shows it.
 */
export function checkFormBody(
  v: CheckFormValues,
  options: { creating: boolean },
):
  | { ok: true; body: Record<string, unknown>; flapping: FlapSettings }
  | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {}
  const slug = v.slug.trim() === '' && options.creating ? slugify(v.name) : v.slug.trim()
  const tags = v.tags
    .split(/\s+/)
    .filter((t) => t !== '')
    .join(' ')
  const grace = seconds(v.grace_value, v.grace_unit, 'grace time')
  if (typeof grace === 'string') errors.grace_value = grace
  const schedule = formSchedule(v)
  if (!schedule.ok) errors[schedule.field] = schedule.error
  // Empty means the default: alert at once.
  const failures = /^\d*$/.test(v.alert_failures) ? Number(v.alert_failures || 1) : undefined
  if (failures === undefined) errors.alert_failures = WHOLE_NUMBER.alert_failures
  const delayMinutes = /^\d*$/.test(v.alert_delay) ? Number(v.alert_delay || 0) : undefined
  if (delayMinutes === undefined) errors.alert_delay = WHOLE_NUMBER.alert_delay
  const windows = parseMaintenanceText(v.maintenance)
  if (!windows.ok) errors.maintenance = windows.error
  const body: Record<string, unknown> = {
    name: v.name,
    slug,
    tags,
    desc: v.desc,
    ...(typeof grace === 'number' ? { grace } : {}),
    methods: v.methods,
    start_kw: v.start_kw,
    success_kw: v.success_kw,
    failure_kw: v.failure_kw,
    filter_subject: v.filter_subject,
    filter_body: v.filter_body,
    filter_http_body: v.filter_http_body,
    filter_default_fail: v.filter_default_fail,
    manual_resume: v.manual_resume,
    ...runTimeFormLimits(v, errors),
    ...insightFormBody(v, errors),
    depends_on: v.depends_on,
    ...(windows.ok ? { maintenance: windows.windows } : {}),
  }
  if (schedule.ok && schedule.schedule.kind === 'simple') body.timeout = schedule.timeout
  else if (schedule.ok && schedule.schedule.kind !== 'simple') {
    body.schedule = schedule.schedule.schedule
    body.tz = schedule.schedule.tz
  }
  const flapping: FlapSettings = {
    ...(failures === undefined ? {} : { alert_failures: failures }),
    ...(delayMinutes === undefined ? {} : { alert_delay: delayMinutes * 60 }),
    ...policySettingsFromForm(v, errors),
  }
  for (const issue of [...checkSpecIssues(body).issues, ...checkSpecIssues(flapping).issues]) {
    const m = formMessage(issue)
    if (m && errors[m.field] === undefined) errors[m.field] = m.message
  }
  // The form's own limits, beyond the API's (Healthchecks' form and its tags column).
  if (errors.tags === undefined && length(tags) > 500)
    errors.tags = 'Too many tags (at most 500 characters).'
  if (errors.desc === undefined && length(v.desc) > 10_000)
    errors.desc = 'The description is too long (at most 10,000 characters).'
  policyPairError(v, errors)
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, body, flapping }
}

/** The run-time fields as the form shows them: max in minutes, min in seconds, '' for unset. */
function runTimeFormValues(check: Check): Pick<CheckFormValues, 'max_runtime' | 'min_runtime'> {
  const max = check.max_runtime
  return {
    max_runtime: max === null ? '' : String(Math.round((max / 60) * 100) / 100),
    min_runtime: check.min_runtime === null ? '' : String(check.min_runtime),
  }
}

/** The API values of the run-time fields (null = unset); unreadable numbers go into `errors`. */
function runTimeFormLimits(
  v: Pick<CheckFormValues, 'max_runtime' | 'min_runtime'>,
  errors: FormErrors,
): { max_runtime?: number | null; min_runtime?: number | null } {
  const out: { max_runtime?: number | null; min_runtime?: number | null } = {}
  const max = v.max_runtime === '' ? null : seconds(v.max_runtime, 'minutes', 'maximum run time')
  if (typeof max === 'string') errors.max_runtime = max
  else out.max_runtime = max
  if (v.min_runtime === '') out.min_runtime = null
  else if (/^\d+$/.test(v.min_runtime)) out.min_runtime = Number(v.min_runtime)
  else errors.min_runtime = WHOLE_NUMBER.min_runtime
  return out
}

export type SchedulePreview =
  | {
      ok: true
      /** What the schedule means in words. */
      summary: string
      checkZoneName: string
      viewerZoneName: string
      runs: { at: number; checkZone: string; viewerZone: string }[]
    }
  | { ok: false; error: string }

/** The next expected pings after `now` (for a period: as if a ping arrived now). */
export function schedulePreview(v: ScheduleInput, viewerTz: string, now: number): SchedulePreview {
  const s = formSchedule(v)
  if (!s.ok) return { ok: false, error: s.error }
  const checkZone = s.schedule.kind === 'simple' ? viewerTz : s.schedule.tz
  const runs = nextRuns(s.schedule, now, PREVIEW_RUNS).map((at) => ({
    at,
    checkZone: formatInstant(at, checkZone),
    viewerZone: formatInstant(at, viewerTz),
  }))
  const summary =
    s.schedule.kind === 'simple'
      ? `A ping is expected every ${formatDuration(s.schedule.timeout)} after the previous one; if one arrived now:`
      : `Expected at these times in ${s.schedule.tz}:`
  return { ok: true, summary, checkZoneName: checkZone, viewerZoneName: viewerTz, runs }
}
