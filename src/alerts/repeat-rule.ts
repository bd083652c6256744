/**
 * Pure: when a channel repeats a down notification (issue 14 §7). A channel with `repeat_every`
 * seconds > 0 sends the down alert again every that many seconds while the check stays down, at
 * most `repeat_max` times; repeat n (1, 2 …) is due `every` after the one before it was queued.
 * Healthchecks has only the account-wide email reminder ("nag"); this works on any channel.
 */

export interface RepeatSettings {
  /** Seconds between repeats; 0 = no repeats. */
  repeat_every: number
  /** Most repeats of one down notification. */
  repeat_max: number
}

/**
 * When the repeat after notification `repeatN` (0 = the flip's own alert) is due, if any: only
 * for down notifications of a channel with repeats on, and only while fewer than `repeat_max`
 * repeats have been queued. `queuedAt` is when notification `repeatN` was queued.
 */
export function nextRepeatAt(
  settings: RepeatSettings,
  status: string,
  repeatN: number,
  queuedAt: number,
): number | null {
  if (status !== 'down' || settings.repeat_every <= 0) return null
  if (repeatN >= settings.repeat_max) return null
  return queuedAt + settings.repeat_every * 1000
}

/** What a due repeat finds: its channel's settings now, and whether the check is still down. */
export interface RepeatState {
  /** null when the channel was deleted. */
  channel: (RepeatSettings & { disabled: number }) | null
  /** The check is down and this notification's flip is still its latest one. */
  stillDown: boolean
  /** Which notification of the chain is due to be repeated (0 = the flip's own alert). */
  repeatN: number
}

/**
 * Pure: a due repeat is queued (`repeat`) or the chain ends (`stop`): the check recovered (or
 * went down again, which starts its own chain), the channel was deleted, disabled or its
 * repeats switched off, or the maximum was reached (lowered since it was planned).
 */
export function repeatVerdict(s: RepeatState): 'repeat' | 'stop' {
  if (!s.stillDown || s.channel === null || s.channel.disabled !== 0) return 'stop'
  if (s.channel.repeat_every <= 0 || s.repeatN >= s.channel.repeat_max) return 'stop'
  return 'repeat'
}
