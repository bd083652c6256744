/**
 * Use case behind `POST /api/vN/notifications/<uuid>/status`, Healthchecks' `notification_status`
 * view: a delivery report for a notification sent in the last hour. Twilio's `MessageStatus`
 * failed/undelivered and `CallStatus` failed, or a generic `error` (with `mark_disabled`), become
 * the notification's error and the channel's last_error. Other reports (queued, sent, delivered)
 * change nothing, as in Healthchecks. Unknown or older notifications are ignored, never refused.
 */
import type { Ctx } from '../context.js'
import { recordFailedDelivery } from './failed-delivery.js'

/** How old a notification may be for its status report to count. */
export const STATUS_REPORT_MAX_AGE_MS = 3_600_000

export type DeliveryStatusOutcome = 'ignored' | 'no-error' | 'recorded'

/** The error a report carries and whether it also switches the channel off, or null. */
export function reportedError(
  fields: URLSearchParams,
): { error: string; markDisabled: boolean } | null {
  let error: string | null = null
  let markDisabled = false
  const generic = fields.get('error')
  if (generic) {
    error = generic.slice(0, 200)
    markDisabled = Boolean(fields.get('mark_disabled'))
  }
  const messageStatus = fields.get('MessageStatus')
  if (messageStatus === 'failed' || messageStatus === 'undelivered')
    error = `Delivery failed (status=${messageStatus}).`
  if (fields.get('CallStatus') === 'failed') error = 'Delivery failed (status=failed).'
  return error ? { error, markDisabled } : null
}

export async function recordDeliveryStatus(
  ctx: Ctx,
  input: { code: string; fields: URLSearchParams },
): Promise<DeliveryStatusOutcome> {
  const now = ctx.clock.now()
  const n = await ctx.db.kysely
    .selectFrom('notifications')
    .select(['id', 'channel_id'])
    .where('code', '=', input.code)
    .where('created', '>', now - STATUS_REPORT_MAX_AGE_MS)
    .executeTakeFirst()
  if (!n) return 'ignored'
  const report = reportedError(input.fields)
  if (!report) return 'no-error'
  await recordFailedDelivery(ctx.db, n, report.error, report.markDisabled)
  return 'recorded'
}
