/**
 * A check's display status as icon plus word (never colour alone), and the same facts as JSON
 * for the live-status script, so the server-rendered and the live-updated text always agree.
 */
import { type DisplayStatus, statusAt } from '../../checks/index.js'
import type { Check } from '../../db/index.js'
import { formatInstant } from '../time-format.js'
import { timeAgo } from './time-ago.js'

/** A glyph per status, so the status never depends on colour alone. */
export const STATUS_ICON: Record<DisplayStatus, string> = {
  new: '○',
  up: '✓',
  grace: '!',
  down: '✗',
  paused: '‖',
  started: '▸',
}

/** The word shown: Healthchecks calls the grace period "late". */
export const STATUS_LABEL: Record<DisplayStatus, string> = {
  new: 'new',
  up: 'up',
  grace: 'late',
  down: 'down',
  paused: 'paused',
  started: 'started',
}

export function StatusBadge({ status }: { status: DisplayStatus }) {
  return (
    <span class={`status status-${status}`}>
      <span class="status-icon" aria-hidden="true">
        {STATUS_ICON[status]}
      </span>{' '}
      <span class="status-label">{STATUS_LABEL[status]}</span>
    </span>
  )
}

/** "3 minutes ago" with the absolute time in the viewer's zone on hover. */
export function LastPing({
  lastPing,
  now,
  tz,
}: {
  lastPing: number | null
  now: number
  tz: string
}) {
  if (lastPing === null) return <span class="last-ping muted">never</span>
  return (
    <span class="last-ping" title={formatInstant(lastPing, tz)}>
      {timeAgo(lastPing, now)}
    </span>
  )
}

/** One check's entry in a live-status JSON answer. */
export interface LiveCheck {
  code: string
  status: DisplayStatus
  icon: string
  label: string
  lastPing: string
  lastPingTitle: string | null
}

export function liveCheck(check: Check, now: number, tz: string): LiveCheck {
  const status = statusAt(check, now)
  return {
    code: check.code,
    status,
    icon: STATUS_ICON[status],
    label: STATUS_LABEL[status],
    lastPing: check.last_ping === null ? 'never' : timeAgo(check.last_ping, now),
    lastPingTitle: check.last_ping === null ? null : formatInstant(check.last_ping, tz),
  }
}
