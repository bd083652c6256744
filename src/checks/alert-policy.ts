/**
 * A check's alert policy beyond Healthchecks' API spec (Vigil extensions, API v3 only): flapping
 * protection (`alert_failures`, `alert_delay`), the failure threshold (`fail_threshold` of the
 * last `fail_window` runs), the recovery threshold (`recover_successes`) and the warning stage
 * (`warn_after`). Their part of the CheckSpec schema (check-input.ts validates API v3 bodies and
 * the web form's FlapSettings through it), the rule it cannot say (`policyConflict`) and the
 * warning deadline rule (`warnAtFor`). Pure: no database, no clock.
 */
import Type from 'typebox'
import type { Check } from '../db/index.js'

export const MAX_ALERT_FAILURES = 100
export const MAX_ALERT_DELAY = 86_400
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

const int = (minimum: number, maximum: number, description: string) =>
  Type.Optional(Type.Integer({ minimum, maximum, description }))

/**
 * The policy fields of CheckSpecSchema (check-input.ts), API v3 only. Ranges are the schema's;
 * check-input.ts words their errors ("is out of range (allowed: …)").
 */
export const POLICY_PROPERTIES = {
  alert_failures: int(
    1,
    MAX_ALERT_FAILURES,
    'Vigil extension (flapping protection): consecutive failure signals before a failure-caused down alert; 1 = at once.',
  ),
  alert_delay: int(
    0,
    MAX_ALERT_DELAY,
    'Vigil extension (flapping protection): seconds the check must stay down before the down alert; 0 = at once.',
  ),
  fail_window: int(
    0,
    MAX_FAIL_WINDOW,
    'Vigil extension (failure threshold): how many of the newest runs (success and fail pings; start, log and ign pings are not runs) are looked at; 0 = off.',
  ),
  fail_threshold: int(
    0,
    MAX_FAIL_WINDOW,
    'Vigil extension (failure threshold): a failure-caused down alerts only when at least this many of the last fail_window runs failed; set with fail_window, at most fail_window; 0 = off.',
  ),
  recover_successes: int(
    1,
    MAX_RECOVER_SUCCESSES,
    'Vigil extension (recovery threshold): successes in a row before the up alert (the status itself goes up on the first success); 1 = at once.',
  ),
  warn_after: Type.Optional(
    // One `type` list rather than anyOf, so the OpenAPI document reads as it did.
    Type.Unsafe<number | null>({
      type: ['integer', 'null'],
      minimum: 1,
      maximum: MAX_WARN_AFTER,
      description:
        'Vigil extension (warning stage): seconds before the grace time ends at which channels with notify_late get a "late" warning (values above grace warn when the grace time starts); null = no warning.',
    }),
  ),
}
