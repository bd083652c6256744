/**
 * Turns unprocessed flips into notification rows, one flip per transaction, as Healthchecks'
 * process_one_flip + notify step 3: the flip is claimed with a CAS on `processed IS NULL`
 * (SKIP LOCKED on PostgreSQL), and in the same transaction one pending notification per selected
 * channel is inserted. The unique (flip_id, channel_id) index makes a second alert impossible.
 * Delivery happens later (deliver-notifications.ts), so a slow service never holds a flip.
 */
import type { Ctx } from '../context.js'
import type { Flip } from '../db/index.js'
import { newUuid } from '../tokens.js'
import { selectChannels } from './flip-channels.js'

export interface ProcessedFlip {
  flip: Flip
  /** Notifications queued for it. */
  queued: number
}

/** Processes the oldest unprocessed flip; null when there is none left to take. */
export async function processOneFlip(ctx: Ctx, now: number): Promise<ProcessedFlip | null> {
  return ctx.db.kysely.transaction().execute(async (trx) => {
    let oldest = trx
      .selectFrom('flips')
      .select('id')
      .where('processed', 'is', null)
      .orderBy('id')
      .limit(1)
    if (ctx.db.dialect === 'postgres') oldest = oldest.forUpdate().skipLocked()
    const flip = await trx
      .updateTable('flips')
      .set({ processed: now })
      .where('id', 'in', oldest)
      .where('processed', 'is', null)
      .returningAll()
      .executeTakeFirst()
    if (!flip) return null

    const channels = await trx
      .selectFrom('channels')
      .innerJoin('check_channels', 'check_channels.channel_id', 'channels.id')
      .select([
        'channels.id',
        'channels.kind',
        'channels.value',
        'channels.disabled',
        'channels.last_notify_duration_ms',
      ])
      .where('check_channels.check_id', '=', flip.check_id)
      .orderBy('channels.id')
      .execute()
    const selected = selectChannels(flip, channels)
    if (selected.length > 0) {
      await trx
        .insertInto('notifications')
        .values(
          selected.map((c) => ({
            code: newUuid(),
            check_id: flip.check_id,
            channel_id: c.id,
            flip_id: flip.id,
            check_status: flip.new_status,
            created: now,
            status: 'pending' as const,
            next_attempt_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['flip_id', 'channel_id']).doNothing())
        .execute()
    }
    return { flip, queued: selected.length }
  })
}

/** Processes flips until none is left (or `limit`); returns how many were processed. */
export async function processFlips(ctx: Ctx, now: number, limit = 1000): Promise<number> {
  let n = 0
  while (n < limit && (await processOneFlip(ctx, now))) n++
  return n
}
