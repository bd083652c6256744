/**
 * The warning rules of one worker pass over a check's new pings: unusual duration (a completed
 * run outside the learned band), new source (an address or network not seen for N days), two
 * sources (two sources ping within one period) and too often (a second success within one
 * period). Returns the findings and the check's next learned state (recent runs, last sighting
 * of each source). Pure: pings, state and settings come in as values.
 */
import type { Schedule } from '../schedule/index.js'
import {
  bandFor,
  isUnusualDuration,
  learnBaseline,
  type Run,
  unusualDurationText,
  WINDOW_RUNS,
} from './duration-baseline.js'
import { PeriodJudge } from './period.js'
import { type SourceScope, sourceKey } from './ping-source.js'

const DAY_MS = 86_400_000
/** Healthchecks' MAX_DURATION: a start older than this does not pair with a finish. */
const MAX_DURATION_MS = 72 * 3_600_000
/** Most sources a check remembers; the longest-unseen is forgotten first. */
export const MAX_SOURCES = 200

export type InsightKind = 'unusual_duration' | 'new_source' | 'two_sources' | 'too_often'

export interface InsightSettings {
  unusualDuration: boolean
  /** 0 = off; else warn about a source not seen in this many days. */
  newSourceDays: number
  sourceScope: SourceScope
  twoSources: boolean
  tooOften: boolean
  schedule: Schedule
  /** Zone for weekdays (the check's tz; UTC for simple checks). */
  tz: string
}

export interface InsightPing {
  n: number
  created: number
  kind: 'success' | 'start' | 'fail' | 'log' | 'ign' | 'progress'
  remote_addr: string | null
  rid: string | null
}

/** What a check has learned, kept between passes (checks.insight_state as JSON). */
export interface InsightState {
  /** Recent completed runs as [start, duration ms], oldest first, at most WINDOW_RUNS. */
  runs: Array<[number, number]>
  /** Source key → last time a ping came from it. */
  sources: Record<string, number>
}

export interface Finding {
  kind: InsightKind
  detail: string
  /** The ping that caused it. */
  at: number
}

export const EMPTY_STATE: InsightState = { runs: [], sources: {} }

/** The stored JSON text as state; anything unreadable is a fresh start. */
export function parseInsightState(text: string): InsightState {
  try {
    const v = JSON.parse(text) as Partial<InsightState> | null
    if (!v || typeof v !== 'object') return EMPTY_STATE
    const runs = Array.isArray(v.runs)
      ? v.runs.filter((r) => Array.isArray(r) && r.length === 2 && r.every(Number.isFinite))
      : []
    const sources = v.sources && typeof v.sources === 'object' ? v.sources : {}
    return { runs, sources }
  } catch {
    return EMPTY_STATE
  }
}

/** The learned runs as Run values. */
export function stateRuns(state: InsightState): Run[] {
  return state.runs.map(([start, durationMs]) => ({ start, durationMs }))
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z')
const isRunPing = (k: InsightPing['kind']): boolean =>
  k === 'start' || k === 'success' || k === 'fail'

/**
 * Applies the rules to `fresh` (the pings since the last pass, oldest first) with `earlier` (the
 * pings just before them, oldest first) as context for pairing and periods.
 */
export function detectInsights(
  settings: InsightSettings,
  state: InsightState,
  earlier: InsightPing[],
  fresh: InsightPing[],
): { findings: Finding[]; state: InsightState } {
  const findings: Finding[] = []
  const runs = [...state.runs]
  const sources = { ...state.sources }
  const judge = new PeriodJudge(settings.schedule)
  const scopeKey = (p: InsightPing) => sourceKey(p.remote_addr, settings.sourceScope)
  const starts = new Map<string | null, number | null>()
  const pair = (p: InsightPing): number | null => {
    let d: number | null = null
    if (p.kind === 'start') starts.set(p.rid, p.created)
    else if (p.kind === 'success' || p.kind === 'fail') {
      const s = starts.get(p.rid) ?? null
      if (s !== null && p.created - s < MAX_DURATION_MS) d = p.created - s
      starts.set(p.rid, null)
    }
    return d
  }
  for (const p of earlier) pair(p)
  const seen: InsightPing[] = [...earlier]

  for (const p of fresh) {
    const d = pair(p)
    if (p.kind === 'success' && d !== null) {
      const run: Run = { start: p.created - d, durationMs: d }
      const baseline = learnBaseline(stateRuns({ runs, sources }), settings.tz)
      if (settings.unusualDuration && baseline && isUnusualDuration(baseline, run, settings.tz)) {
        const band = bandFor(baseline, run.start, settings.tz)
        if (band)
          findings.push({
            kind: 'unusual_duration',
            detail: unusualDurationText(run, band),
            at: p.created,
          })
      }
      runs.push([run.start, run.durationMs])
      if (runs.length > WINDOW_RUNS) runs.splice(0, runs.length - WINDOW_RUNS)
    }

    const key = p.kind === 'ign' ? null : scopeKey(p)
    if (key !== null) {
      const last = sources[key]
      const known = last !== undefined && p.created - last <= settings.newSourceDays * DAY_MS
      if (settings.newSourceDays > 0 && !known && Object.keys(sources).length > 0) {
        findings.push({
          kind: 'new_source',
          detail: `ping from ${key}, not seen in the last ${settings.newSourceDays} days`,
          at: p.created,
        })
      }
      sources[key] = Math.max(last ?? 0, p.created)
    }

    // Periods are contiguous: walking back, the first ping outside p's period ends the list.
    const inPeriod: InsightPing[] = []
    for (let i = seen.length - 1; i >= 0 && judge.samePeriod(seen[i].created, p.created); i--) {
      inPeriod.push(seen[i])
    }
    if (settings.twoSources && key !== null && isRunPing(p.kind)) {
      const keys = new Set(
        inPeriod
          .filter((q) => isRunPing(q.kind))
          .map(scopeKey)
          .filter((k) => k !== null),
      )
      if (keys.size === 1 && !keys.has(key)) {
        findings.push({
          kind: 'two_sources',
          detail: `pings from ${[...keys][0]} and ${key} within one period: two hosts may run this job`,
          at: p.created,
        })
      }
    }
    if (settings.tooOften && p.kind === 'success') {
      const before = inPeriod.filter((q) => q.kind === 'success')
      if (before.length === 1) {
        findings.push({
          kind: 'too_often',
          detail: `successful pings at ${iso(before[0].created)} and ${iso(p.created)} within one period (expected one)`,
          at: p.created,
        })
      }
    }
    seen.push(p)
  }
  return { findings, state: { runs, sources: capSources(sources) } }
}

function capSources(sources: Record<string, number>): Record<string, number> {
  const entries = Object.entries(sources)
  if (entries.length <= MAX_SOURCES) return sources
  entries.sort((a, b) => b[1] - a[1])
  return Object.fromEntries(entries.slice(0, MAX_SOURCES))
}
