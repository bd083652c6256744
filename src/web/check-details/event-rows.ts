/**
 * One row of a check's event log as plain data: cells made of text, bold text and links. The
 * details page, the full log page and the live-refresh JSON all render from it, so a row added
 * by the browser script reads exactly like one the server rendered. Pure: the zone is a parameter.
 * Also the live-refresh cursor: the newest ping, flip and notification ids a page has shown.
 */
import type { CheckEvent, ListedPing, PingExtras } from '../../checks/index.js'
import type { Flip } from '../../db/index.js'
import { formatInstant, formatRunTime } from '../time-format.js'

export type CellPart = string | { strong: string } | { href: string; text: string }

export interface EventCell {
  parts: CellPart[]
  class?: string
  colSpan?: number
}

export interface EventRowData {
  /** Unique in a check's log, e.g. `ping-12`. */
  key: string
  class: string
  cells: EventCell[]
}

const PING_KIND: Record<ListedPing['kind'], string> = {
  success: 'OK',
  fail: 'Failure',
  start: 'Started',
  log: 'Log',
  ign: 'Ignored',
  progress: 'Progress',
}

/** Vigil's run-time flip reasons (checks/run-time.ts) in the log's short words. */
const RUN_TIME_NOTES: Record<string, string> = {
  runtime: ' (ran too long)',
  no_start: ' (did not start)',
  too_fast: ' (finished too fast)',
}

function runTimeFlipNote(reason: string): string {
  return RUN_TIME_NOTES[reason] ?? ''
}

/**
 * What an alert gate did with a flip's notifications (flips.held_reason, alerts/alert-gates.ts):
 * '' when no gate held it. Suppressed: never sent; unprocessed: still held; else held, then let go.
 */
export function heldNote(f: Pick<Flip, 'held_reason' | 'suppressed' | 'processed'>): string {
  if (!f.held_reason) return ''
  if (f.suppressed === 1) return ` – alert suppressed: ${f.held_reason}`
  if (f.processed === null) return ` – alert held: ${f.held_reason}`
  return ` – alert was held: ${f.held_reason}`
}

function pingLabel(ping: ListedPing, extras: PingExtras | undefined): string {
  const exit = extras?.exitstatus
  if (exit !== null && exit !== undefined) return `${PING_KIND[ping.kind]} (exit status ${exit})`
  return PING_KIND[ping.kind]
}

export function eventKey(e: CheckEvent): string {
  if (e.type === 'ping') return `ping-${e.ping.id}`
  if (e.type === 'flip') return `flip-${e.flip.id}`
  return `notification-${e.notification.id}`
}

export function eventRow(
  e: CheckEvent,
  checkCode: string,
  extras: Map<number, PingExtras>,
  tz: string,
): EventRowData {
  const when: EventCell = { parts: [formatInstant(e.created, tz)] }
  const key = eventKey(e)
  if (e.type === 'flip') {
    const f = e.flip
    const reason =
      f.reason === 'timeout'
        ? ' (no ping in time)'
        : f.reason === 'fail'
          ? ' (failure reported)'
          : runTimeFlipNote(f.reason)
    const held = heldNote(f)
    return {
      key,
      class: 'event-flip',
      cells: [
        when,
        {
          colSpan: 5,
          parts: [
            'Status changed from ',
            { strong: f.old_status },
            ' to ',
            { strong: f.new_status },
            ...(reason ? [reason] : []),
            ...(held ? [held] : []),
          ],
        },
      ],
    }
  }
  if (e.type === 'notification') {
    const n = e.notification
    const error = n.error && n.status !== 'sent' ? ` – ${n.error}` : ''
    return {
      key,
      class: 'event-notification',
      cells: [
        when,
        {
          colSpan: 5,
          parts: [
            `Sent a “${n.check_status}” notification via ${n.channelName || n.channelKind} (${n.channelKind}): ${n.status}${error}`,
          ],
        },
      ],
    }
  }
  const p = e.ping
  const x = extras.get(p.id)
  return {
    key,
    class: `event-ping ping-${p.kind}`,
    cells: [
      when,
      {
        parts: [
          { href: `/checks/${checkCode}/pings/${p.n}/`, text: `#${p.n}` },
          ` ${pingLabel(p, x)}`,
        ],
      },
      { parts: [p.durationMs === null ? '' : formatRunTime(p.durationMs)] },
      {
        class: 'col-ip',
        parts: [
          `${p.scheme.toUpperCase()} ${p.method} ${p.remote_addr ? `from ${p.remote_addr}` : ''}`,
        ],
      },
      { class: 'col-ua', parts: [p.ua.slice(0, 120)] },
      { class: 'body-preview', parts: [x?.preview ?? ''] },
    ],
  }
}

/** The newest ids a page has shown; the live script asks for events after them. */
export interface EventCursor {
  ping: number
  flip: number
  notification: number
}

export function cursorOf(events: CheckEvent[], before: EventCursor = ZERO_CURSOR): EventCursor {
  const c = { ...before }
  for (const e of events) {
    if (e.type === 'ping') c.ping = Math.max(c.ping, e.ping.id)
    else if (e.type === 'flip') c.flip = Math.max(c.flip, e.flip.id)
    else c.notification = Math.max(c.notification, e.notification.id)
  }
  return c
}

export const ZERO_CURSOR: EventCursor = { ping: 0, flip: 0, notification: 0 }

/** `12-3-0`: ping, flip and notification ids. */
export function formatCursor(c: EventCursor): string {
  return `${c.ping}-${c.flip}-${c.notification}`
}

export function parseCursor(raw: unknown): EventCursor | null {
  if (typeof raw !== 'string') return null
  const m = /^(\d{1,15})-(\d{1,15})-(\d{1,15})$/.exec(raw)
  if (!m) return null
  return { ping: Number(m[1]), flip: Number(m[2]), notification: Number(m[3]) }
}

/** Events newer than the cursor. */
export function eventsAfter(events: CheckEvent[], c: EventCursor): CheckEvent[] {
  return events.filter((e) =>
    e.type === 'ping'
      ? e.ping.id > c.ping
      : e.type === 'flip'
        ? e.flip.id > c.flip
        : e.notification.id > c.notification,
  )
}
