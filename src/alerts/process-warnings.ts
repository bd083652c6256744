/**
 * Turns queued warnings (warnings.ts) into notifications, once each: a batch of unprocessed
 * warnings is claimed with a compare-and-set on `processed IS NULL` (as process-flips.ts claims
 * flips; on PostgreSQL a second worker's update waits for the row lock and then matches
 * nothing), and in the same transaction one pending notification is inserted per enabled
 * channel of the check that opted in to warnings (`channels.notify_late`). The notification has
 * check_status 'warning', flip_id null and warning_id set; the unique (warning_id, channel_id)
 * index makes a second one impossible. Delivery is the usual outbox (deliver-notifications.ts).
 * A warning about a check that is snoozed or in a maintenance window (checks/check-hold.ts) is
 * processed without notifications: those promise silence, and a warning is only worth sending
 * when it is fresh. The incident services (integrations' `opensIncidents`) never get one, even
 * with notify_late set before they refused it: an incident a warning opened would stay open.
 */
import { holdMark } from '../checks/index.js'
import type { Ctx } from '../context.js'
import { incidentKinds, WARNING_STATUS } from '../integrations/index.js'
import { newUuid } from '../tokens.js'
import { signalNotificationsQueued } from './work-signal.js'

export const WARNINGS_BATCH = 100

/** Processes up to `limit` warnings; returns how many notifications were queued. */
export async function processWarnings(ctx: Ctx, now: number, limit = WARNINGS_BATCH) {
  const queued = await ctx.db.kysely.transaction().execute(async (trx) => {
    const oldest = trx
      .selectFrom('warnings')
      .select('id')
      .where('processed', 'is', null)
      .orderBy('id')
      .limit(limit)
    const claimed = await trx
      .updateTable('warnings')
      .set({ processed: now })
      .where('id', 'in', oldest)
      .where('processed', 'is', null)
      .returning(['id', 'check_id'])
      .execute()
    if (claimed.length === 0) return 0
    const checkIds = [...new Set(claimed.map((w) => w.check_id))]
    const held = new Set(
      (
        await trx
          .selectFrom('checks')
          .innerJoin('projects', 'projects.id', 'checks.project_id')
          .select([
            'checks.id',
            'checks.snoozed_until',
            'checks.maintenance',
            'projects.maintenance as project_maintenance',
          ])
          .where('checks.id', 'in', checkIds)
          .execute()
      )
        .filter((c) => holdMark(c, { maintenance: c.project_maintenance }, now) !== null)
        .map((c) => c.id),
    )
    const links = await trx
      .selectFrom('check_channels')
      .innerJoin('channels', 'channels.id', 'check_channels.channel_id')
      .select(['check_channels.check_id', 'channels.id'])
      .where('check_channels.check_id', 'in', checkIds)
      .where('channels.notify_late', '=', 1)
      .where('channels.disabled', '=', 0)
      .where('channels.kind', 'not in', incidentKinds())
      .orderBy('channels.id')
      .execute()
    const rows = claimed.flatMap((w) =>
      links
        .filter(() => !held.has(w.check_id))
        .filter((l) => l.check_id === w.check_id)
        .map((l) => ({
          code: newUuid(),
          check_id: w.check_id,
          channel_id: l.id,
          flip_id: null,
          warning_id: w.id,
          check_status: WARNING_STATUS,
          created: now,
          status: 'pending' as const,
          next_attempt_at: now,
        })),
    )
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('notifications')
        .values(rows.slice(i, i + 500))
        .execute()
    return rows.length
  })
  if (queued > 0) signalNotificationsQueued()
  return queued
}
