/**
 * "Within one period" for the too-often and two-sources rules. Cron and OnCalendar checks: two
 * instants share a period when no scheduled time falls in (a, b], i.e. the next scheduled time
 * after each is the same, so a job scheduled `0 3 * * *` that pings at 03:00 and 03:05 pinged
 * twice in one period, across DST changes too (src/schedule/ does the wall-clock arithmetic).
 * Simple checks have no fixed boundaries: two instants share a period when they are less than
 * half the period apart, which tolerates a job's usual jitter. Pure.
 */
import { nextAfter, type Schedule } from '../schedule/index.js'

/** Memoises nextAfter for the instants of one detection pass. */
export class PeriodJudge {
  private readonly next = new Map<number, number | null>()
  constructor(readonly schedule: Schedule) {}

  private nextOf(t: number): number | null {
    let v = this.next.get(t)
    if (v === undefined) {
      v = nextAfter(this.schedule, t)
      this.next.set(t, v)
    }
    return v
  }

  /** Whether `earlier` (≤ `later`) and `later` fall in one period of the schedule. */
  samePeriod(earlier: number, later: number): boolean {
    if (earlier > later) return this.samePeriod(later, earlier)
    if (this.schedule.kind === 'simple') return later - earlier < this.schedule.timeout * 500
    const a = this.nextOf(earlier)
    return a !== null && a === this.nextOf(later)
  }
}

/** Whether two instants fall in one period of `schedule` (see the module header). */
export function samePeriod(schedule: Schedule, a: number, b: number): boolean {
  return new PeriodJudge(schedule).samePeriod(a, b)
}
