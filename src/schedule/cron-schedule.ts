// Next run of a cron expression in a time zone: cronsim's answers (as Healthchecks gets them in
// get_grace_start and its validators), computed by croner. Owns the croner options, the union
// of patterns, the 50-year give-up and a small memo of compiled jobs; the grammar is
// cron-expression.ts.
import { Cron } from 'croner'
import { parseCron, toCronerPatterns } from './cron-expression.js'
import { canEvaluateIn, localYear } from './time-zone.js'

/** cronsim raises StopIteration once its search passes this many years after the start year. */
const GIVE_UP_AFTER_YEARS = 50
/** croner's year field ends at 9999. */
const LAST_YEAR = 9999
/** Healthchecks validates by evaluating once from 2000-01-01, naive (which is UTC for us). */
const VALIDATION_START = Date.UTC(2000, 0, 1)
const MINUTE = 60_000

/** Compiled croner jobs per zone, start year and expression; null marks one we refuse. */
const compiled = new Map<string, Cron[] | null>()
/** Worker loops evaluate the same few schedules again and again; user input must not grow this. */
const MAX_COMPILED = 1000

/**
 * First run of `expr` in `tz` strictly after the instant `after` (ms epoch), or null when the
 * expression or zone is invalid or nothing matches within cronsim's 50-year search.
 */
export function nextCronAfter(expr: string, tz: string, after: number): number | null {
  if (!Number.isFinite(after) || !canEvaluateIn(tz)) return null
  // cronsim truncates the seconds, steps one minute and searches from there; it gives up once
  // the search leaves the 50th local year after the year of that first minute.
  const startYear = localYear(Math.floor(after / MINUTE) * MINUTE + MINUTE, tz)
  const jobs = compile(expr, tz, startYear)
  if (jobs === null) return null

  let best: number | null = null
  for (const job of jobs) {
    // Runs fall on whole minutes, so the first run after `after` is also the first one at or
    // after cronsim's starting minute.
    const run = job.nextRun(new Date(after))?.getTime() ?? null
    if (run !== null && (best === null || run < best)) best = run
  }
  return best
}

/**
 * Healthchecks' cron validation (API `schedule` and the UI's validate_schedule): exactly 5
 * whitespace-separated fields that cronsim parses, with a match after 2000-01-01 00:00 naive.
 */
export function isValidCron(expr: string): boolean {
  return nextCronAfter(expr, 'UTC', VALIDATION_START) !== null
}

function compile(expr: string, tz: string, startYear: number): Cron[] | null {
  const key = `${tz}\n${startYear}\n${expr}`
  const cached = compiled.get(key)
  if (cached !== undefined) return cached

  const fields = startYear >= 1 && startYear <= LAST_YEAR ? parseCron(expr) : null
  // The 50-year limit goes into croner's year field, which also bounds croner's search: an
  // expression that never matches (`0 0 */100 * MON#4`) costs 51 years of search, not 1000.
  const years = `${startYear}-${Math.min(startYear + GIVE_UP_AFTER_YEARS, LAST_YEAR)}`
  const jobs =
    fields === null
      ? null
      : toCronerPatterns(fields).map(
          (pattern) =>
            new Cron(`${pattern} ${years}`, {
              timezone: tz,
              mode: '7-part',
              // AND when a day field starts with `*`, decided by the parser from the original text
              // (the rendered lists never contain `*`, so croner's own default would be OR).
              domAndDow: fields.dayAnd,
              // Lists and ranges count as fixed-time, as in Debian cron; see toCronerPatterns.
              fixedTimeRule: 'no-wildcard',
              // No callback is given, so nothing is ever scheduled; paused says so explicitly.
              paused: true,
            }),
        )

  if (compiled.size >= MAX_COMPILED) compiled.clear()
  compiled.set(key, jobs)
  return jobs
}
