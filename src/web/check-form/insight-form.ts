/**
 * The run-insight part of the check form (issue 15 items 3–5): its values, how they come from a
 * check and a submitted form, and the API fields they become (ranges: the shared CheckSpec schema,
 * worded by form-messages.ts). Pure.
 */
import type { Check } from '../../db/index.js'
import { WHOLE_NUMBER } from './form-messages.js'

export interface InsightFormValues {
  unusual_duration_warning: boolean
  /** Days; '' or '0' = off. */
  new_source_days: string
  source_scope: 'address' | 'network'
  two_sources_warning: boolean
  too_often_warning: boolean
}

export const NEW_INSIGHT_FORM: InsightFormValues = {
  unusual_duration_warning: false,
  new_source_days: '0',
  source_scope: 'address',
  two_sources_warning: false,
  too_often_warning: false,
}

export function insightFormFromCheck(check: Check): InsightFormValues {
  return {
    unusual_duration_warning: check.insight_duration === 1,
    new_source_days: String(check.insight_new_source_days),
    source_scope: check.insight_source_scope === 'network' ? 'network' : 'address',
    two_sources_warning: check.insight_two_sources === 1,
    too_often_warning: check.insight_too_often === 1,
  }
}

export function insightFormFromBody(body: Record<string, unknown>): InsightFormValues {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '')
  return {
    unusual_duration_warning: text('unusual_duration_warning') === '1',
    new_source_days: text('new_source_days').trim(),
    source_scope: text('source_scope') === 'network' ? 'network' : 'address',
    two_sources_warning: text('two_sources_warning') === '1',
    too_often_warning: text('too_often_warning') === '1',
  }
}

/** The API fields; a number of days that is not a whole number is an error instead. */
export function insightFormBody(
  v: InsightFormValues,
  errors: Partial<Record<'new_source_days', string>>,
): Record<string, unknown> {
  const days = /^\d*$/.test(v.new_source_days) ? Number(v.new_source_days) : undefined
  if (days === undefined) errors.new_source_days = WHOLE_NUMBER.new_source_days
  return {
    unusual_duration_warning: v.unusual_duration_warning,
    ...(days === undefined ? {} : { new_source_days: days }),
    source_scope: v.source_scope,
    two_sources_warning: v.two_sources_warning,
    too_often_warning: v.too_often_warning,
  }
}
