/**
 * Learned duration bounds (Healthchecks #236, #994, #1080, #712): from a check's last completed
 * runs (start → success) a robust band, median ± 3 robust spreads (1.4826 × MAD, floored), one per
 * weekday when the history shows a weekly pattern. Healthchecks has no equivalent. Pure: runs and
 * zones come in as values; nothing here reads the clock or the database.
 */
import { wallTimeOf } from '../schedule/index.js'

/** A completed run: when it started (ms epoch) and how long it took (ms). */
export interface Run {
  start: number
  durationMs: number
}

/** A band of usual durations, in ms. */
export interface Band {
  median: number
  lo: number
  hi: number
  /** Runs it was learned from. */
  count: number
}

export interface Baseline {
  /** True when the history shows a weekly pattern (see `hasWeeklyPattern`): bands per weekday. */
  weekly: boolean
  overall: Band
  /** Per weekday of the run's start in the check's zone, 0 = Sunday; null = too few runs. */
  days: Array<Band | null>
}

/** Fewer completed runs than this: no baseline, nothing is judged. */
export const MIN_RUNS = 20
/** The newest runs a baseline is learned from (20 weeks of a daily job). */
export const WINDOW_RUNS = 140
/** A weekday needs this many runs for a band of its own. */
export const MIN_WEEKDAY_RUNS = 3
/** Half-width of a band in robust spreads. */
export const BAND_SPREADS = 3
/** A spread is never narrower than this share of the median … */
const MIN_SPREAD_SHARE = 0.05
/** … nor than one second, so identical run times still leave a sensible band. */
const MIN_SPREAD_MS = 1_000

function median(sorted: number[]): number {
  const n = sorted.length
  const mid = Math.floor(n / 2)
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** The robust spread of durations: 1.4826 × MAD (σ for normal data), floored. */
function spreadOf(values: number[]): { median: number; spread: number } {
  const sorted = [...values].sort((a, b) => a - b)
  const m = median(sorted)
  const mad = median(sorted.map((v) => Math.abs(v - m)).sort((a, b) => a - b))
  return { median: m, spread: Math.max(1.4826 * mad, MIN_SPREAD_SHARE * m, MIN_SPREAD_MS) }
}

/** The band of a set of durations (at least one). */
export function bandOf(durations: number[]): Band {
  const { median: m, spread } = spreadOf(durations)
  return {
    median: m,
    lo: Math.max(0, m - BAND_SPREADS * spread),
    hi: m + BAND_SPREADS * spread,
    count: durations.length,
  }
}

/** Weekday (0 = Sunday) of an instant in a zone. */
export function weekdayOf(ms: number, tz: string): number {
  return new Date(wallTimeOf(ms, tz)).getUTCDay()
}

function byWeekday(runs: Run[], tz: string): number[][] {
  const days: number[][] = [[], [], [], [], [], [], []]
  for (const r of runs) days[weekdayOf(r.start, tz)].push(r.durationMs)
  return days
}

/**
 * A history shows a weekly pattern when at least two weekdays have MIN_WEEKDAY_RUNS runs each
 * and the medians of two of those weekdays lie more than BAND_SPREADS typical spreads apart,
 * the typical spread being the median of those weekdays' own robust spreads: one weekday's usual
 * run would then fall outside another weekday's band. Needs MIN_RUNS runs in all.
 */
export function hasWeeklyPattern(runs: Run[], tz: string): boolean {
  if (runs.length < MIN_RUNS) return false
  const stats = byWeekday(runs, tz)
    .filter((d) => d.length >= MIN_WEEKDAY_RUNS)
    .map(spreadOf)
  if (stats.length < 2) return false
  const medians = stats.map((s) => s.median)
  const typical = median(stats.map((s) => s.spread).sort((a, b) => a - b))
  return Math.max(...medians) - Math.min(...medians) > BAND_SPREADS * typical
}

/**
 * The baseline of the newest WINDOW_RUNS of `runs` (any order), or null with fewer than MIN_RUNS.
 * Outliers barely move it: median and MAD ignore up to half the runs being wild.
 */
export function learnBaseline(runs: Run[], tz: string): Baseline | null {
  if (runs.length < MIN_RUNS) return null
  const recent = [...runs].sort((a, b) => a.start - b.start).slice(-WINDOW_RUNS)
  const weekly = hasWeeklyPattern(recent, tz)
  const days = weekly
    ? byWeekday(recent, tz).map((d) => (d.length >= MIN_WEEKDAY_RUNS ? bandOf(d) : null))
    : [null, null, null, null, null, null, null]
  return { weekly, overall: bandOf(recent.map((r) => r.durationMs)), days }
}

/** The band a run starting at `start` is judged by (null: not judged). */
export function bandFor(b: Baseline, start: number, tz: string): Band | null {
  return b.weekly ? b.days[weekdayOf(start, tz)] : b.overall
}

/** Whether a run lies outside its band; false when there is no band for it. */
export function isUnusualDuration(b: Baseline | null, run: Run, tz: string): boolean {
  if (b === null) return false
  const band = bandFor(b, run.start, tz)
  return band !== null && (run.durationMs < band.lo || run.durationMs > band.hi)
}

/** "1 h 5 min", "4 min 10 s", "12 s": short and human. */
export function formatSpan(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const m = Math.floor(s / 60)
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`
  const h = Math.floor(m / 60)
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`
}

/** "ran 41 min; usually 3 min–5 min (median 4 min)". */
export function unusualDurationText(run: Run, band: Band): string {
  return `ran ${formatSpan(run.durationMs)}; usually ${formatSpan(band.lo)}–${formatSpan(band.hi)} (median ${formatSpan(band.median)})`
}
