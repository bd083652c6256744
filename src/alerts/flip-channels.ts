/**
 * Pure: which channels a flip notifies. Mirrors Healthchecks' Flip.select_channels: nothing when
 * a new or paused check comes up (its first ping is no news), nothing for statuses other than
 * up/down; otherwise every enabled channel whose integration is not a no-op for the status.
 */
import type { Channel, Flip } from '../db/index.js'
import { integrationFor } from '../integrations/index.js'

/** True when the flip announces something: `down`, or `up` after `down`. */
export function isFlipNotifiable(flip: Pick<Flip, 'old_status' | 'new_status'>): boolean {
  if (flip.new_status === 'down') return true
  if (flip.new_status === 'up') return flip.old_status !== 'new' && flip.old_status !== 'paused'
  return false
}

/**
 * The channels to notify, fastest first (by last delivery time, never-used last), as Healthchecks
 * orders them. Channels of a kind this version cannot send are kept: their notification then
 * fails with a message that says so, which is better than silence.
 */
export function selectChannels<
  C extends Pick<Channel, 'kind' | 'value' | 'disabled' | 'last_notify_duration_ms'>,
>(flip: Pick<Flip, 'old_status' | 'new_status'>, channels: C[]): C[] {
  if (!isFlipNotifiable(flip)) return []
  const status = flip.new_status as 'up' | 'down'
  return channels
    .filter((c) => c.disabled === 0 && !integrationFor(c.kind)?.isNoop(c.value, status))
    .sort(
      (a, b) =>
        (a.last_notify_duration_ms ?? Number.POSITIVE_INFINITY) -
        (b.last_notify_duration_ms ?? Number.POSITIVE_INFINITY),
    )
}
