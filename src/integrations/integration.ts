/**
 * What every channel kind provides: a no-op rule per status and a delivery function. The worker
 * (alerts/) owns claiming, retries and bookkeeping; an integration only renders and sends once.
 * Mirrors Healthchecks' Transport (is_noop, notify raising TransportError(message, permanent)).
 */
import type { Ctx } from '../context.js'
import type { Channel, Check, Flip, Notification } from '../db/index.js'

/** Status a notification announces. */
export type AlertStatus = 'up' | 'down'

export interface DeliveryInput {
  channel: Channel
  check: Check
  /** null for test notifications (not sent by the worker yet). */
  flip: Flip | null
  notification: Notification
}

export type DeliveryResult =
  /**
   * Delivered. `handedOff` means another queue (the mail outbox) now owns the notification and
   * will mark it sent or failed itself.
   */
  | { ok: true; handedOff?: 'mail-outbox' }
  /**
   * Not delivered. Permanent errors (the service refused this request for good) are not retried;
   * `disableChannel` also switches the channel off, as Healthchecks does for e.g. Slack 404s.
   */
  | { ok: false; error: string; permanent: boolean; disableChannel?: boolean }

export interface Integration {
  kind: string
  /** True when the channel's configuration says not to send anything for this status. */
  isNoop(value: string, status: AlertStatus): boolean
  deliver(ctx: Ctx, input: DeliveryInput): Promise<DeliveryResult>
}
