/**
 * Turns unprocessed flips into notification rows, one flip per transaction, as Healthchecks'
 * process_one_flip + notify step 3: the flip is claimed with a CAS on `processed IS NULL`
 * (SKIP LOCKED on PostgreSQL), and in the same transaction one pending notification per selected
 * channel is inserted. The unique (flip_id, channel_id) index makes a second alert impossible.
 * Every processed flip also updates the owner's nag date (update_next_nag_dates). Flapping
 * protection (flap-guard.ts) may hold a down flip back (`recheck_at`) or suppress it and the up
 * flip that ends it. Delivery happens later (deliver-notifications.ts).
 */
import type { Kysely } from 'kysely'
import { updateNextNagDates } from '../checks/index.js'
import type { Ctx } from '../context.js'
import type { Database, Flip, PingKind } from '../db/index.js'
import { newUuid } from '../tokens.js'
import { decideDownFlip, hasFlapProtection } from './flap-guard.js'
import { selectChannels } from './flip-channels.js'
import { signalNotificationsQueued } from './work-signal.js'

export interface ProcessedFlip {
  flip: Flip
  /** Notifications queued for it. */
  queued: number
  /** 'held': left unprocessed until `recheck_at`; 'suppressed': processed without alerts. */
  outcome: 'notified' | 'held' | 'suppressed'
}

type Trx = Kysely<Database>

/** The newest success/fail ping kinds of a check, newest first. */
async function recentOutcomes(trx: Trx, checkId: number, n: number): Promise<PingKind[]> {
  const rows = await trx
    .selectFrom('pings')
    .select('kind')
    .where('check_id', '=', checkId)
    .where('kind', 'in', ['success', 'fail'])
    .orderBy('created', 'desc')
    .orderBy('id', 'desc')
    .limit(n)
    .execute()
  return rows.map((r) => r.kind)
}

/**
 * For an up flip: was the down before it never announced (held, or suppressed)? A held one is
 * suppressed now; if another worker is processing it, PostgreSQL's row lock makes us wait for it.
 */
async function endsUnannouncedDown(trx: Trx, flip: Flip, now: number): Promise<boolean> {
  const prev = await trx
    .selectFrom('flips')
    .select(['id', 'new_status', 'processed', 'suppressed'])
    .where('check_id', '=', flip.check_id)
    .where('id', '<', flip.id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (prev?.new_status !== 'down') return false
  if (prev.processed !== null) return prev.suppressed === 1
  const r = await trx
    .updateTable('flips')
    .set({ processed: now, suppressed: 1, recheck_at: null })
    .where('id', '=', prev.id)
    .where('processed', 'is', null)
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) > 0) return true
  const again = await trx
    .selectFrom('flips')
    .select('suppressed')
    .where('id', '=', prev.id)
    .executeTakeFirst()
  return again?.suppressed === 1
}

/** Processes the oldest due unprocessed flip; null when there is none left to take. */
export async function processOneFlip(ctx: Ctx, now: number): Promise<ProcessedFlip | null> {
  return ctx.db.kysely.transaction().execute((trx) => processOneFlipIn(ctx, trx, now))
}

/** Flips processed in one transaction by processFlips: one commit (fsync) per batch in a burst. */
export const FLIPS_PER_COMMIT = 50

/**
 * `nagProjects`: when given, the projects whose nag dates need recalculating are collected there
 * (processFlips does it once per project per transaction: the dates depend on which checks are
 * down, which processing a flip does not change) instead of after every flip.
 */
async function processOneFlipIn(
  ctx: Ctx,
  trx: Trx,
  now: number,
  nagProjects?: Set<number>,
): Promise<ProcessedFlip | null> {
  const updateNags = (projectId: number) =>
    nagProjects ? nagProjects.add(projectId) : updateNextNagDates(trx, projectId, now)
  {
    let oldest = trx
      .selectFrom('flips')
      .select('id')
      .where('processed', 'is', null)
      // A held-back flip waits for its recheck time.
      .where((eb) => eb.or([eb('recheck_at', 'is', null), eb('recheck_at', '<=', now)]))
      .orderBy('id')
      .limit(1)
    if (ctx.db.dialect === 'postgres') oldest = oldest.forUpdate().skipLocked()
    const flip = await trx
      .updateTable('flips')
      .set({ processed: now, recheck_at: null })
      .where('id', 'in', oldest)
      .where('processed', 'is', null)
      .returningAll()
      .executeTakeFirst()
    if (!flip) return null

    const check = await trx
      .selectFrom('checks')
      .selectAll()
      .where('id', '=', flip.check_id)
      .executeTakeFirst()
    if (!check) return { flip, queued: 0, outcome: 'suppressed' as const }

    let outcome: ProcessedFlip['outcome'] = 'notified'
    if (flip.new_status === 'down' && hasFlapProtection(check)) {
      const outcomes = await recentOutcomes(trx, check.id, Math.max(1, check.alert_failures))
      const decision = decideDownFlip(flip, check, outcomes, now)
      if (decision.kind === 'hold') {
        await trx
          .updateTable('flips')
          .set({ processed: null, recheck_at: decision.recheckAt })
          .where('id', '=', flip.id)
          .execute()
        return {
          flip: { ...flip, processed: null, recheck_at: decision.recheckAt },
          queued: 0,
          outcome: 'held' as const,
        }
      }
      if (decision.kind === 'suppress') outcome = 'suppressed'
    } else if (flip.new_status === 'up' && (await endsUnannouncedDown(trx, flip, now))) {
      outcome = 'suppressed'
    }
    if (outcome === 'suppressed') {
      await trx.updateTable('flips').set({ suppressed: 1 }).where('id', '=', flip.id).execute()
      await updateNags(check.project_id)
      return { flip: { ...flip, suppressed: 1 }, queued: 0, outcome }
    }

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
    // Healthchecks recalculates nag dates for every processed flip, alerting or not.
    await updateNags(check.project_id)
    return { flip, queued: selected.length, outcome }
  }
}

/** Processes due flips until none is left (or `limit`); returns how many were taken. */
export async function processFlips(ctx: Ctx, now: number, limit = 1000): Promise<number> {
  let n = 0
  while (n < limit) {
    const batch = await ctx.db.kysely.transaction().execute(async (trx) => {
      let taken = 0
      let queued = 0
      const nagProjects = new Set<number>()
      while (taken < FLIPS_PER_COMMIT && n + taken < limit) {
        const processed = await processOneFlipIn(ctx, trx, now, nagProjects)
        if (!processed) break
        taken++
        queued += processed.queued
      }
      for (const projectId of nagProjects) await updateNextNagDates(trx, projectId, now)
      return { taken, queued }
    })
    n += batch.taken
    // Committed: this process's sender may claim them now rather than at its next poll.
    if (batch.queued > 0) signalNotificationsQueued()
    if (batch.taken < FLIPS_PER_COMMIT) break
  }
  return n
}
