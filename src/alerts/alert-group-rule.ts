/**
 * Pure: does a new alert go out on its own, start a grouped message, or join one (issue 14 §6)?
 * Per channel (a channel belongs to one project, so channel = channel + project): the first
 * `min` alerts within `windowMs` go out at once, as they always did; from the next one on, alerts
 * are collected under one carrier notification that waits `windowMs` and is then sent as one
 * message. No Healthchecks equivalent: it sends every alert on its own.
 */

export interface GroupSettings {
  /** Alerts a channel sends on their own within the window; 0 = grouping off. */
  min: number
  windowMs: number
}

export type GroupDecision =
  /** Sent at once, on its own. */
  | { kind: 'single' }
  /** Carries a new group: sent at `sendAt` with every alert that joined it meanwhile. */
  | { kind: 'lead'; sendAt: number }
  /** Joins the group that `leadCode` carries (not yet sent). */
  | { kind: 'join'; leadCode: string }

/**
 * `recent`: the channel's alerts created within the window before this one (`created` >
 * now − window; one exactly a window old no longer counts). `openLead`: the code of the channel's
 * group still collecting (pending, never tried), if any.
 */
export function decideGrouping(
  settings: GroupSettings,
  recent: number,
  openLead: string | null,
  now: number,
): GroupDecision {
  if (settings.min <= 0) return { kind: 'single' }
  if (openLead !== null) return { kind: 'join', leadCode: openLead }
  if (recent < settings.min) return { kind: 'single' }
  return { kind: 'lead', sendAt: now + settings.windowMs }
}

/** The oldest `created` that still counts as recent at `now`. */
export function windowStart(settings: GroupSettings, now: number): number {
  return now - settings.windowMs + 1
}
