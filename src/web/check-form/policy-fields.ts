/**
 * The check form's failure threshold, recovery threshold and warning stage fields (Vigil's alert
 * policy, checks/alert-policy.ts): their form values, reading them and turning them into the
 * policy settings (ranges: the shared CheckSpec schema, worded by form-messages.ts; the failure
 * threshold's pair rule in the form's words). The form speaks whole minutes for the warning (the
 * column is seconds); an empty field is the default (off).
 */
import type { Check } from '../../db/index.js'
import { WHOLE_NUMBER } from './form-messages.js'

export interface PolicyFormValues {
  fail_window: string
  fail_threshold: string
  recover_successes: string
  /** Minutes before the grace time ends; '' = no warning stage. */
  warn_after: string
}

export const DEFAULT_POLICY_VALUES: PolicyFormValues = {
  fail_window: '',
  fail_threshold: '',
  recover_successes: '1',
  warn_after: '',
}

export function policyValuesFromCheck(check: Check): PolicyFormValues {
  return {
    fail_window: check.fail_window > 0 ? String(check.fail_window) : '',
    fail_threshold: check.fail_threshold > 0 ? String(check.fail_threshold) : '',
    recover_successes: String(check.recover_successes),
    warn_after:
      check.warn_after === null ? '' : String(Math.max(1, Math.round(check.warn_after / 60))),
  }
}

export function readPolicyFields(text: (name: string) => string): PolicyFormValues {
  return {
    fail_window: text('fail_window').trim(),
    fail_threshold: text('fail_threshold').trim(),
    recover_successes: text('recover_successes').trim(),
    warn_after: text('warn_after').trim(),
  }
}

const whole = (s: string, dflt: number) =>
  s === '' ? dflt : /^\d+$/.test(s) ? Number(s) : Number.NaN

type PolicyErrors = Partial<Record<keyof PolicyFormValues, string>>

/**
 * The settings of the fields that are whole numbers; the others get their sentence in `errors`.
 * Ranges are the schema's (checked with the rest of the check's settings).
 */
export function policySettingsFromForm(
  v: PolicyFormValues,
  errors: PolicyErrors,
): Partial<Pick<Check, 'fail_window' | 'fail_threshold' | 'recover_successes' | 'warn_after'>> {
  const window = whole(v.fail_window, 0)
  const threshold = whole(v.fail_threshold, 0)
  const recover = whole(v.recover_successes, 1)
  const warnMinutes = whole(v.warn_after, 0)
  const out: ReturnType<typeof policySettingsFromForm> = {}
  for (const [field, n] of [
    ['fail_window', window],
    ['fail_threshold', threshold],
    ['recover_successes', recover],
  ] as const) {
    if (Number.isNaN(n)) errors[field] = WHOLE_NUMBER[field]
    else out[field] = n
  }
  if (Number.isNaN(warnMinutes)) errors.warn_after = WHOLE_NUMBER.warn_after
  else out.warn_after = warnMinutes > 0 ? warnMinutes * 60 : null
  return out
}

/**
 * The failure threshold's pair rule (alert-policy.ts's policyConflict) in the form's words, for a
 * threshold that is otherwise fine; an unreadable window counts as not set.
 */
export function policyPairError(v: PolicyFormValues, errors: PolicyErrors): void {
  if (errors.fail_threshold !== undefined) return
  const window = whole(v.fail_window, 0)
  const threshold = whole(v.fail_threshold, 0)
  if (window > 0 !== threshold > 0)
    errors.fail_threshold = 'Fill in both numbers (or neither, which turns this off).'
  else if (threshold > window) errors.fail_threshold = `At most ${window}, the runs looked at.`
}
