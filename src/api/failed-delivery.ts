/**
 * Records that a notification the worker saw go out did not arrive (a Twilio status report, a
 * bounce): its error, `failed` if it was `sent`, and the channel's last_error; a permanent
 * failure may also disable the channel. As Healthchecks' notification_status and bounces views.
 */
import type { Db } from '../db/index.js'

export async function recordFailedDelivery(
  db: Db,
  notification: { id: number; channel_id: number },
  error: string,
  disableChannel: boolean,
): Promise<void> {
  const k = db.kysely
  await k.updateTable('notifications').set({ error }).where('id', '=', notification.id).execute()
  await k
    .updateTable('notifications')
    .set({ status: 'failed' })
    .where('id', '=', notification.id)
    .where('status', '=', 'sent')
    .execute()
  await k
    .updateTable('channels')
    .set({ last_error: error, ...(disableChannel ? { disabled: 1 } : {}) })
    .where('id', '=', notification.channel_id)
    .execute()
}
