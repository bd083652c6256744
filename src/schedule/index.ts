// The public surface of schedule/: pure "when is the next ping expected" for simple, cron and
// OnCalendar checks, Healthchecks' schedule and time zone validation.
// Other features import from here only.
export { isValidCron } from './cron-schedule.js'
export { isValidOnCalendar } from './oncalendar-schedule.js'
export {
  guessKind,
  isValidSchedule,
  nextAfter,
  nextRuns,
  type Schedule,
  type ScheduleColumns,
  scheduleOf,
} from './schedule.js'
export { canEvaluateIn, isValidTimeZone, wallTimeOf } from './time-zone.js'
