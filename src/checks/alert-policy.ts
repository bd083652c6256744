/**
 * A check's alert policy beyond Healthchecks' API spec (Vigil extensions, API v3 only): flapping
 * protection (`alert_failures`, `alert_delay`), the failure threshold (`fail_threshold` of the
 * last `fail_window` runs), the recovery threshold (`recover_successes`) and the warning stage
 * (`warn_after`). The web form sets them as FlapSettings; API v3 create/update read them from
 * the body here. Also the warning deadline rule (`warnAtFor`). Pure: no database, no clock.
 */
import type { Check } from '../db/index.js'
import type { JsonSchema } from '../json-schema.js'

export const MAX_FAIL_WINDOW = 100
export const MAX_RECOVER_SUCCESSES = 100
export const MAX_WARN_AFTER = 31_536_000

/** The policy columns, as FlapSettings fields and API v3 JSON fields. */
export const POLICY_COLUMNS = [
  'alert_failures',
  'alert_delay',
  'fail_window',
  'fail_threshold',
  'recover_successes',
  'warn_after',
] as const

export type PolicyColumn = (typeof POLICY_COLUMNS)[number]
export type PolicySettings = Partial<Pick<Check, PolicyColumn>>

interface PolicyProblem {
  kind: 'invalid-field'
  field: string
  problem: string
}

const RANGES: Record<Exclude<PolicyColumn, 'alert_failures' | 'alert_delay'>, [number, number]> = {
  fail_window: [0, MAX_FAIL_WINDOW],
  fail_threshold: [0, MAX_FAIL_WINDOW],
  recover_successes: [1, MAX_RECOVER_SUCCESSES],
  warn_after: [1, MAX_WARN_AFTER],
}

/**
 * The policy fields of an API v3 request body: integers (warn_after may be null, which turns the
 * warning stage off). Ranges are checked by policyRangeError, combinations by policyConflict.
 */
export function parsePolicyBody(
  body: Record<string, unknown>,
): { ok: true; value: PolicySettings } | { ok: false; error: PolicyProblem } {
  const out: Record<string, number | null> = {}
  for (const field of POLICY_COLUMNS) {
    if (!Object.hasOwn(body, field)) continue
    const v = body[field]
    if (v === null && field === 'warn_after') out[field] = null
    else if (typeof v === 'number' && Number.isInteger(v)) out[field] = v
    else return { ok: false, error: { kind: 'invalid-field', field, problem: 'is not a number' } }
  }
  return { ok: true, value: out as PolicySettings }
}

/** The first out-of-range threshold or warning setting, or null. */
export function policyRangeError(f: PolicySettings): PolicyProblem | null {
  for (const [field, [min, max]] of Object.entries(RANGES) as [keyof typeof RANGES, number[]][]) {
    const v = f[field]
    if (v === undefined || v === null) continue
    if (!Number.isInteger(v) || v < min || v > max)
      return {
        kind: 'invalid-field',
        field,
        problem: `is out of range (allowed: ${min} to ${max}${field === 'warn_after' ? ' seconds, or null' : ''})`,
      }
  }
  return null
}

/** A failure threshold needs both numbers (or neither), and at most fail_window failures. */
export function policyConflict(
  c: Pick<Check, 'fail_window' | 'fail_threshold'>,
): PolicyProblem | null {
  if (c.fail_window > 0 !== c.fail_threshold > 0)
    return {
      kind: 'invalid-field',
      field: 'fail_threshold',
      problem: 'and fail_window must both be set (or both 0, which turns the threshold off)',
    }
  if (c.fail_threshold > c.fail_window)
    return {
      kind: 'invalid-field',
      field: 'fail_threshold',
      problem: `is larger than fail_window (${c.fail_window})`,
    }
  return null
}

/** The API v3 JSON fields (Vigil extensions). */
export function policyJson(c: Pick<Check, PolicyColumn>): Record<string, unknown> {
  return {
    alert_failures: c.alert_failures,
    alert_delay: c.alert_delay,
    fail_window: c.fail_window,
    fail_threshold: c.fail_threshold,
    recover_successes: c.recover_successes,
    warn_after: c.warn_after,
  }
}

/**
 * When the "late" warning is due: `warn_after` seconds before the check would go down (the grace
 * time's end, `alertAfter`), never earlier than the grace time's start (a larger warn_after warns
 * when the check turns late). null without a warning stage or a deadline. Instants are added in
 * real time, so a cron check's warning moves with its deadline across DST changes.
 */
export function warnAtFor(
  c: Pick<Check, 'warn_after' | 'grace'>,
  alertAfter: number | null,
): number | null {
  if (c.warn_after === null || c.warn_after === undefined || alertAfter === null) return null
  return alertAfter - Math.min(c.warn_after, c.grace) * 1000
}

/** JSON Schema of the request fields (OpenAPI, as Vigil extensions). */
export const POLICY_SCHEMA: Record<PolicyColumn, JsonSchema> = {
  alert_failures: {
    type: 'integer',
    minimum: 1,
    maximum: 100,
    description:
      'Vigil extension (flapping protection): consecutive failure signals before a failure-caused down alert; 1 = at once.',
  },
  alert_delay: {
    type: 'integer',
    minimum: 0,
    maximum: 86_400,
    description:
      'Vigil extension (flapping protection): seconds the check must stay down before the down alert; 0 = at once.',
  },
  fail_window: {
    type: 'integer',
    minimum: 0,
    maximum: MAX_FAIL_WINDOW,
    description:
      'Vigil extension (failure threshold): how many of the newest runs (success and fail pings; start, log and ign pings are not runs) are looked at; 0 = off.',
  },
  fail_threshold: {
    type: 'integer',
    minimum: 0,
    maximum: MAX_FAIL_WINDOW,
    description:
      'Vigil extension (failure threshold): a failure-caused down alerts only when at least this many of the last fail_window runs failed; set with fail_window, at most fail_window; 0 = off.',
  },
  recover_successes: {
    type: 'integer',
    minimum: 1,
    maximum: MAX_RECOVER_SUCCESSES,
    description:
      'Vigil extension (recovery threshold): successes in a row before the up alert (the status itself goes up on the first success); 1 = at once.',
  },
  warn_after: {
    type: ['integer', 'null'],
    minimum: 1,
    maximum: MAX_WARN_AFTER,
    description:
      'Vigil extension (warning stage): seconds before the grace time ends at which channels with notify_late get a "late" warning (values above grace warn when the grace time starts); null = no warning.',
  },
}

/**
 * The policy settings of a create/update: the web form's (given as `flapping`) or, without them,
 * the API v3 body's; API v1 and v2 leave the policy alone, as Healthchecks' API knows none of it.
 */
export function policySettingsOf(input: {
  flapping?: PolicySettings
  body: Record<string, unknown>
  version: 1 | 2 | 3
}): { ok: true; value: PolicySettings } | { ok: false; error: PolicyProblem } {
  if (input.flapping) return { ok: true, value: input.flapping }
  return input.version === 3 ? parsePolicyBody(input.body) : { ok: true, value: {} }
}
