/**
 * The check form's failure threshold, recovery threshold and warning stage fields (Vigil's alert
 * policy, checks/alert-policy.ts): their form values, reading and validation. The form speaks
 * whole minutes for the warning (the column is seconds); an empty field is the default (off).
 */
import type { Check } from '../../db/index.js'

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

/** Validates into `errors`; returns the settings (meaningful only when no error was added). */
export function validatePolicyFields(
  v: PolicyFormValues,
  errors: Partial<Record<keyof PolicyFormValues, string>>,
): Pick<Check, 'fail_window' | 'fail_threshold' | 'recover_successes' | 'warn_after'> {
  const window = whole(v.fail_window, 0)
  const threshold = whole(v.fail_threshold, 0)
  const recover = whole(v.recover_successes, 1)
  const warnMinutes = whole(v.warn_after, 0)
  if (!(window >= 0 && window <= 100)) errors.fail_window = 'Enter a whole number from 0 to 100.'
  if (!(threshold >= 0 && threshold <= 100))
    errors.fail_threshold = 'Enter a whole number from 0 to 100.'
  else if (window > 0 !== threshold > 0)
    errors.fail_threshold = 'Fill in both numbers (or neither, which turns this off).'
  else if (threshold > window) errors.fail_threshold = `At most ${window}, the runs looked at.`
  if (!(recover >= 1 && recover <= 100))
    errors.recover_successes = 'Enter a whole number from 1 to 100.'
  if (!(warnMinutes >= 0 && warnMinutes <= 525_600))
    errors.warn_after = 'Enter a whole number of minutes, or leave it empty for no warning.'
  return {
    fail_window: window,
    fail_threshold: threshold,
    recover_successes: recover,
    warn_after: warnMinutes > 0 ? warnMinutes * 60 : null,
  }
}
