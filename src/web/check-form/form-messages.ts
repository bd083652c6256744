/**
 * The check form's words for the problems the shared CheckSpec schema finds (checks/check-input.ts
 * validates the body the form builds, as it validates the API's): which form field shows each and
 * the sentence, in the form's units (minutes, days). The API words the same problems as
 * Healthchecks does. Problems the form cannot cause (a wrong JSON type) have no words here: the
 * use case refuses them with the API's message. Pure.
 */
import {
  type CheckSpecField,
  CheckSpecSchema,
  MAX_ALERT_DELAY,
  MAX_ALERT_FAILURES,
  type SpecIssue,
} from '../../checks/index.js'
import type { CheckFormValues } from './check-form.js'

type Words = (issue: SpecIssue) => string

const limits = (field: CheckSpecField) =>
  CheckSpecSchema.properties[field] as unknown as { minimum: number; maximum: number }

/** The sentences a field shows for text that is not a number as well as for one out of range. */
export const WHOLE_NUMBER = {
  alert_failures: `Enter a whole number from 1 to ${MAX_ALERT_FAILURES}.`,
  alert_delay: `Enter a whole number of minutes from 0 to ${MAX_ALERT_DELAY / 60}.`,
  min_runtime: `Enter a whole number of seconds from ${limits('min_runtime').minimum} to ${limits('min_runtime').maximum}.`,
  new_source_days: `Enter a whole number of days from 0 to ${limits('new_source_days').maximum}.`,
  fail_window: `Enter a whole number from 0 to ${limits('fail_window').maximum}.`,
  fail_threshold: `Enter a whole number from 0 to ${limits('fail_threshold').maximum}.`,
  recover_successes: `Enter a whole number from 1 to ${limits('recover_successes').maximum}.`,
  warn_after: 'Enter a whole number of minutes, or leave it empty for no warning.',
} as const

const UNSTORABLE = 'This contains a character that cannot be stored.'

const tooLong =
  (sentence: string): Words =>
  (i) =>
    i.rule === 'nul' ? UNSTORABLE : sentence

/** timeout, grace and max_runtime: whole seconds from one minute to 365 days. */
const duration =
  (what: string): Words =>
  (i) =>
    i.rule === 'maximum'
      ? `The ${what} must be at most 365 days.`
      : `The ${what} must be at least 1 minute.`

const KEYWORDS = tooLong('Too long (at most 200 characters).')
const whole = (field: keyof typeof WHOLE_NUMBER): [keyof CheckFormValues, Words] => [
  field,
  () => WHOLE_NUMBER[field],
]

/** Where and how the form shows a problem of each API field it sets. */
const FORM_WORDS: Partial<Record<CheckSpecField, [keyof CheckFormValues, Words]>> = {
  name: ['name', tooLong('The name is too long (at most 100 characters).')],
  // The characters first, then the length (a NUL fails the pattern too).
  slug: [
    'slug',
    (i) =>
      i.rule === 'maxLength' && !i.also?.includes('pattern')
        ? 'The slug is too long (at most 100 characters).'
        : 'Use only lowercase letters, digits, hyphens and underscores.',
  ],
  tags: ['tags', tooLong(UNSTORABLE)],
  desc: ['desc', tooLong(UNSTORABLE)],
  start_kw: ['start_kw', KEYWORDS],
  success_kw: ['success_kw', KEYWORDS],
  failure_kw: ['failure_kw', KEYWORDS],
  timeout: ['timeout_value', duration('period')],
  grace: ['grace_value', duration('grace time')],
  max_runtime: ['max_runtime', duration('maximum run time')],
  min_runtime: [
    'min_runtime',
    (i) =>
      i.rule === 'order'
        ? 'The minimum run time must be shorter than the maximum run time.'
        : WHOLE_NUMBER.min_runtime,
  ],
  new_source_days: whole('new_source_days'),
  alert_failures: whole('alert_failures'),
  alert_delay: whole('alert_delay'),
  fail_window: whole('fail_window'),
  fail_threshold: whole('fail_threshold'),
  recover_successes: whole('recover_successes'),
  warn_after: whole('warn_after'),
}

/** The form field and sentence of a problem, or null when the form has no words for it. */
export function formMessage(
  issue: SpecIssue,
): { field: keyof CheckFormValues; message: string } | null {
  const words = FORM_WORDS[issue.field]
  return words ? { field: words[0], message: words[1](issue) } : null
}
