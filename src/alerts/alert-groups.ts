/**
 * Grouped alerts (issue 14 §6), the queueing half: before process-flips.ts inserts a batch's
 * notification rows, each row of a channel that already sent ALERT_GROUP_MIN alerts within
 * ALERT_GROUP_WINDOW either starts a group (it becomes the carrier: sent once the window has
 * passed) or joins the channel's group still collecting. A joined row is handed to its carrier
 * as a mail is handed to the outbox (`status` sending, `claimed_by` GROUP_HOLDER, no
 * `claimed_at`), so the sender never claims it alone; the carrier's delivery settles it
 * (alert-group-delivery.ts). Rows stay one per flip and channel, so delivery history is unchanged.
 *
 * Latency: the first ALERT_GROUP_MIN alerts of a channel within the window leave at once; later
 * ones wait at most one window. Exactly-once: joining happens in the flip transaction and only
 * while the carrier is pending and untried, with the carrier locked (PostgreSQL), so the sender
 * claims it either before the join (the row then starts a new group) or after its commit (it
 * sees the member). Healthchecks sends every alert on its own.
 */
import type { Insertable, Kysely } from 'kysely'
import type { Ctx } from '../context.js'
import { type Database, lockForUpdate } from '../db/index.js'
import { decideGrouping, type GroupSettings, windowStart } from './alert-group-rule.js'

/** `claimed_by` of a notification whose message its group's carrier sends. */
export const GROUP_HOLDER = 'alert-group'

/** The `error` a grouped row shows until its carrier is sent. */
export const GROUP_WAITING = 'Waiting to be sent in a grouped message'

type NewNotification = Insertable<Database['notifications']>

export function groupSettings(ctx: Pick<Ctx, 'config'>): GroupSettings {
  return { min: ctx.config.alertGroupMin, windowMs: ctx.config.alertGroupWindowMs }
}

/** Per channel: alerts created within the window, and the code of a group still collecting. */
async function channelState(
  ctx: Ctx,
  trx: Kysely<Database>,
  channelIds: number[],
  settings: GroupSettings,
  now: number,
) {
  const counts = new Map<number, number>()
  const open = new Map<number, string>()
  const rows = await trx
    .selectFrom('notifications')
    .select((eb) => ['channel_id', eb.fn.countAll<number | string>().as('n')])
    .where('channel_id', 'in', channelIds)
    .where('created', '>=', windowStart(settings, now))
    .where('repeat_n', '=', 0)
    .where('check_id', 'is not', null)
    .groupBy('channel_id')
    .execute()
  for (const r of rows) counts.set(Number(r.channel_id), Number(r.n))
  const candidates = [...counts].filter(([, n]) => n >= settings.min).map(([id]) => id)
  if (candidates.length === 0) return { counts, open }
  // Locked so the sender's claim of a carrier waits for this transaction (see the header).
  const leads = await lockForUpdate(
    ctx.db,
    trx
      .selectFrom('notifications')
      .select(['channel_id', 'code'])
      .where('channel_id', 'in', candidates)
      .where('status', '=', 'pending')
      .where('attempts', '=', 0)
      .where((eb) => eb('group_code', '=', eb.ref('code')))
      .orderBy('id'),
  ).execute()
  for (const l of leads) if (!open.has(Number(l.channel_id))) open.set(Number(l.channel_id), l.code)
  return { counts, open }
}

/**
 * Marks `rows` (one flip batch's new notifications, in flip order) as single, carrier or member.
 * Does nothing when grouping is off (ALERT_GROUP_MIN=0), so the default costs no query.
 */
export async function groupNewNotifications(
  ctx: Ctx,
  trx: Kysely<Database>,
  rows: NewNotification[],
  now: number,
): Promise<void> {
  const settings = groupSettings(ctx)
  if (settings.min <= 0 || rows.length === 0) return
  const channelIds = [...new Set(rows.map((r) => Number(r.channel_id)))]
  const { counts, open } = await channelState(ctx, trx, channelIds, settings, now)
  for (const row of rows) {
    // Every row of one multi-row INSERT names the same columns (SQLite has no DEFAULT there).
    Object.assign(row, { group_code: null, claimed_by: null, claimed_at: null, error: '' })
    const channelId = Number(row.channel_id)
    const recent = counts.get(channelId) ?? 0
    const d = decideGrouping(settings, recent, open.get(channelId) ?? null, now)
    counts.set(channelId, recent + 1)
    if (d.kind === 'lead') {
      row.group_code = row.code
      row.next_attempt_at = d.sendAt
      open.set(channelId, row.code)
    } else if (d.kind === 'join') {
      row.group_code = d.leadCode
      row.status = 'sending'
      row.claimed_by = GROUP_HOLDER
      row.claimed_at = null
      row.error = GROUP_WAITING
    }
  }
}

/**
 * Alerts whose carrier is gone (its check was deleted within the window, which deletes its
 * notifications) are released to be sent on their own; without this they would wait forever.
 * Reads only rows in `sending` (the due index); run by the worker while grouping is on.
 */
export async function releaseOrphanedMembers(ctx: Ctx): Promise<number> {
  if (groupSettings(ctx).min <= 0) return 0
  const r = await ctx.db.kysely
    .updateTable('notifications')
    .set({ status: 'pending', claimed_by: null, claimed_at: null, error: '', group_code: null })
    .where('status', '=', 'sending')
    .where('claimed_by', '=', GROUP_HOLDER)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('notifications as carrier')
            .select('carrier.id')
            .whereRef('carrier.code', '=', 'notifications.group_code'),
        ),
      ),
    )
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}
