/**
 * The check fields of run insight (issue 15 items 3–5, src/insight/), a Vigil extension of the
 * management API and the check form: their part of the CheckSpec schema (check-input.ts validates
 * and words the errors), how a spec changes the columns (switching any on starts the worker's look at new pings from
 * now) and the API v3 JSON. Pure.
 */
import Type, { type Static } from 'typebox'
import type { Check } from '../db/index.js'
import { SOURCE_SCOPES } from '../insight/index.js'

export const MAX_NEW_SOURCE_DAYS = 365

const EXT = { 'x-vigil-extension': true }

const bool = (description: string) => Type.Optional(Type.Boolean({ description, ...EXT }))

/** The fields of CheckSpecSchema (check-input.ts), after Healthchecks' own; absent = unchanged. */
export const INSIGHT_PROPERTIES = {
  unusual_duration_warning: bool(
    'Warn (unusual_duration) when a run lies outside the band learned from ≥ 20 runs.',
  ),
  new_source_days: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: MAX_NEW_SOURCE_DAYS,
      description:
        'Warn (new_source) when a ping comes from a source not seen in this many days; 0 = off.',
      ...EXT,
    }),
  ),
  source_scope: Type.Optional(
    Type.Enum([...SOURCE_SCOPES], {
      description:
        'What counts as one ping source: the address, or its network (/24 IPv4, /64 IPv6).',
      ...EXT,
    }),
  ),
  two_sources_warning: bool('Warn (two_sources) when two sources ping within one period.'),
  too_often_warning: bool('Warn (too_often) about a second success within one period.'),
}

/** The API fields, as validated; absent = unchanged. */
export type InsightSpec = Static<ReturnType<typeof Type.Object<typeof INSIGHT_PROPERTIES>>>

export type InsightColumns = Pick<
  Check,
  | 'insight_duration'
  | 'insight_new_source_days'
  | 'insight_source_scope'
  | 'insight_two_sources'
  | 'insight_too_often'
  | 'insight_on'
  | 'insight_n'
  | 'n_pings'
>

const flag = (b: boolean): number => (b ? 1 : 0)

/** The columns a spec changes (only those that differ). */
export function insightChanges(check: InsightColumns, spec: InsightSpec): Partial<Check> {
  const next = {
    insight_duration: spec.unusual_duration_warning,
    insight_new_source_days: spec.new_source_days,
    insight_source_scope: spec.source_scope,
    insight_two_sources: spec.two_sources_warning,
    insight_too_often: spec.too_often_warning,
  }
  const merged = {
    insight_duration:
      next.insight_duration === undefined ? check.insight_duration : flag(next.insight_duration),
    insight_new_source_days: next.insight_new_source_days ?? check.insight_new_source_days,
    insight_source_scope: next.insight_source_scope ?? check.insight_source_scope,
    insight_two_sources:
      next.insight_two_sources === undefined
        ? check.insight_two_sources
        : flag(next.insight_two_sources),
    insight_too_often:
      next.insight_too_often === undefined ? check.insight_too_often : flag(next.insight_too_often),
  }
  const on = flag(
    merged.insight_duration === 1 ||
      merged.insight_new_source_days > 0 ||
      merged.insight_two_sources === 1 ||
      merged.insight_too_often === 1,
  )
  const changes: Partial<Check> = {}
  for (const [key, v] of Object.entries(merged) as Array<[keyof typeof merged, never]>) {
    if (v !== check[key]) (changes as Record<string, unknown>)[key] = v
  }
  if (on !== check.insight_on) {
    changes.insight_on = on
    // Switched on: the worker starts with the pings that arrive from now on.
    if (on === 1) changes.insight_n = check.n_pings
  }
  return changes
}

/** The fields in API v3 JSON. */
export function insightJson(check: InsightColumns): Record<string, unknown> {
  return {
    unusual_duration_warning: check.insight_duration === 1,
    new_source_days: check.insight_new_source_days,
    source_scope: check.insight_source_scope,
    two_sources_warning: check.insight_two_sources === 1,
    too_often_warning: check.insight_too_often === 1,
  }
}

/** The insight columns of a new check: all off. */
export const NEW_INSIGHT_COLUMNS: InsightColumns = {
  insight_duration: 0,
  insight_new_source_days: 0,
  insight_source_scope: 'address',
  insight_two_sources: 0,
  insight_too_often: 0,
  insight_on: 0,
  insight_n: 0,
  n_pings: 0,
}
