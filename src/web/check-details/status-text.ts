/**
 * Why a check has its status, in a sentence with instants in the viewer's zone: "Last ping 5
 * minutes ago. The next one is expected at …, with grace until …". Pure: `now` is a parameter.
 * Mirrors the "Current status" texts of Healthchecks' details page.
 */
import { graceStart, runDeadline, statusAt } from '../../checks/index.js'
import type { Check } from '../../db/index.js'
import { timeAgo } from '../dashboard/time-ago.js'
import { formatInstant } from '../time-format.js'

export function statusExplanation(check: Check, now: number, tz: string): string[] {
  const at = (ms: number) => formatInstant(ms, tz)
  const lines: string[] = []
  const status = statusAt(check, now)
  const last =
    check.last_ping === null
      ? null
      : `The last ping arrived ${timeAgo(check.last_ping, now)} (${at(check.last_ping)}).`
  switch (status) {
    case 'new':
      lines.push('This check has not received a ping yet. Monitoring starts with the first ping.')
      break
    case 'paused':
      lines.push(
        check.manual_resume
          ? 'This check is paused and ignores pings until you resume it.'
          : 'This check is paused: no alerts are sent. The next ping resumes monitoring.',
      )
      break
    case 'up':
    case 'grace': {
      if (last) lines.push(last)
      const start = graceStart(check, false)
      if (start !== null) {
        const end = start + check.grace * 1000
        lines.push(
          status === 'up'
            ? `The next ping is expected at ${at(start)}, with grace until ${at(end)}.`
            : `It is late: a ping was expected at ${at(start)}. The check goes down at ${at(end)} unless a ping arrives.`,
        )
      }
      break
    }
    case 'down': {
      if (last) lines.push(last)
      const start = check.last_ping === null ? null : graceStart({ ...check, status: 'up' }, false)
      const runEnd = runDeadline(check)
      if (runEnd !== null && now >= runEnd) {
        lines.push(
          `A run started at ${at(check.last_start as number)} did not finish within its maximum run time (ran too long).`,
        )
      } else if (check.last_start !== null && now >= check.last_start + check.grace * 1000) {
        lines.push(`A run started at ${at(check.last_start)} did not finish within the grace time.`)
      } else if (start !== null && start + check.grace * 1000 <= now) {
        lines.push(
          `It is down: a ping was expected at ${at(start)}, and the grace time ended at ${at(start + check.grace * 1000)}.`,
        )
      } else {
        lines.push('It is down: the last run reported a failure, or a ping was missed.')
      }
      break
    }
  }
  if (check.last_start !== null && status !== 'down') {
    // With max_runtime the run's own deadline (moved on by progress pings) applies, not grace.
    const end = runDeadline(check) ?? check.last_start + check.grace * 1000
    lines.push(`A run started ${timeAgo(check.last_start, now)} and must finish by ${at(end)}.`)
  }
  return lines
}
