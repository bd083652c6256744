/**
 * Turns unprocessed flips into notification rows, as Healthchecks' process_one_flip + notify
 * step 3 but in batches: up to FLIPS_PER_COMMIT flips are claimed with one CAS on
 * `processed IS NULL` (SKIP LOCKED on PostgreSQL), their checks and channels read with one query
 * each, and in the same transaction one pending notification per selected channel is inserted.
 * The unique (flip_id, channel_id) index makes a second alert impossible. Every processed flip
 * also updates the owner's nag date (update_next_nag_dates), once per project per batch.
 * The alert gates (alert-gates.ts: flapping protection and the other alert policies) may hold a
 * flip back (`recheck_at`) or suppress it; an up flip that ends a down nobody was told about is
 * suppressed too. Delivery happens later (deliver-notifications.ts).
 */
import type { Insertable, Kysely } from 'kysely'
import { updateNextNagDates } from '../checks/index.js'
import type { Ctx } from '../context.js'
import { type Channel, type Check, type Database, type Flip, lockForUpdate } from '../db/index.js'
import { newUuid } from '../tokens.js'
import { decideGates, type GateDecision } from './alert-gates.js'
import { groupNewNotifications } from './alert-groups.js'
import { releaseHeldChildren } from './dependency-gate.js'
import { STILL_DOWN_REASON } from './fail-threshold.js'
import { selectChannels } from './flip-channels.js'
import { nextRepeatAt } from './repeat-rule.js'
import { signalNotificationsQueued } from './work-signal.js'

export interface ProcessedFlip {
  flip: Flip
  /** Notifications queued for it. */
  queued: number
  /** 'held': left unprocessed until `recheck_at`; 'suppressed': processed without alerts. */
  outcome: 'notified' | 'held' | 'suppressed'
}

type Trx = Kysely<Database>

/** Why a held down flip is suppressed when its check comes back up. */
const BACK_UP_WHILE_HELD = 'back up before the alert was sent'

/**
 * For an up flip: was the down before it never announced (held, or suppressed)? A held one is
 * suppressed now; if another worker is processing it, PostgreSQL's row lock makes us wait for it.
 */
async function endsUnannouncedDown(trx: Trx, flip: Flip, now: number): Promise<boolean> {
  const prev = await trx
    .selectFrom('flips')
    .select(['id', 'new_status', 'processed', 'suppressed', 'held_reason'])
    .where('check_id', '=', flip.check_id)
    .where('id', '<', flip.id)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (prev?.new_status !== 'down') return false
  if (prev.processed !== null)
    return prev.suppressed === 1 && prev.held_reason !== STILL_DOWN_REASON
  const r = await trx
    .updateTable('flips')
    .set({ processed: now, suppressed: 1, recheck_at: null, held_reason: BACK_UP_WHILE_HELD })
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
  const [processed] = await ctx.db.kysely
    .transaction()
    .execute((trx) => processFlipBatch(ctx, trx, now, 1))
  if (processed && processed.queued > 0) signalNotificationsQueued()
  return processed ?? null
}

/** Flips processed in one transaction by processFlips: one commit (fsync) per batch in a burst. */
export const FLIPS_PER_COMMIT = 50

/** The channel columns flip processing reads. */
type FlipChannel = Pick<
  Channel,
  'id' | 'kind' | 'value' | 'disabled' | 'last_notify_duration_ms' | 'repeat_every' | 'repeat_max'
> & { check_id: number }

/**
 * Claims up to `limit` due unprocessed flips, oldest first: a CAS on `processed IS NULL` (SKIP
 * LOCKED on PostgreSQL, so concurrent workers take disjoint flips). Sorted by id, as RETURNING
 * promises no order.
 */
async function claimFlips(ctx: Ctx, trx: Trx, now: number, limit: number): Promise<Flip[]> {
  const oldest = lockForUpdate(
    ctx.db,
    trx
      .selectFrom('flips')
      .select('id')
      .where('processed', 'is', null)
      // A held-back flip waits for its recheck time.
      .where((eb) => eb.or([eb('recheck_at', 'is', null), eb('recheck_at', '<=', now)]))
      .orderBy('id')
      .limit(limit),
    { skipLocked: true },
  )
  const flips = await trx
    .updateTable('flips')
    .set({ processed: now, recheck_at: null })
    .where('id', 'in', oldest)
    .where('processed', 'is', null)
    .returningAll()
    .execute()
  return flips.sort((a, b) => a.id - b.id)
}

/** The claimed flips' checks and their channels, two queries for the whole batch. */
async function loadTargets(trx: Trx, flips: Flip[]) {
  const ids = [...new Set(flips.map((f) => f.check_id))]
  const checks = new Map<number, Check>()
  const channels = new Map<number, FlipChannel[]>()
  for (const id of ids) channels.set(id, [])
  const rows = await trx.selectFrom('checks').selectAll().where('id', 'in', ids).execute()
  for (const c of rows) checks.set(c.id, c)
  const links = await trx
    .selectFrom('channels')
    .innerJoin('check_channels', 'check_channels.channel_id', 'channels.id')
    .select([
      'check_channels.check_id',
      'channels.id',
      'channels.kind',
      'channels.value',
      'channels.disabled',
      'channels.last_notify_duration_ms',
      'channels.repeat_every',
      'channels.repeat_max',
    ])
    .where('check_channels.check_id', 'in', ids)
    .orderBy('channels.id')
    .execute()
  for (const l of links) channels.get(l.check_id)?.push(l)
  return { checks, channels }
}

type NewNotification = Insertable<Database['notifications']>

/** Rows per notifications INSERT: 8 columns each stays well under both parameter limits. */
const NOTIFICATIONS_PER_INSERT = 500

async function insertNotifications(trx: Trx, rows: NewNotification[]): Promise<void> {
  for (let i = 0; i < rows.length; i += NOTIFICATIONS_PER_INSERT) {
    await trx
      .insertInto('notifications')
      .values(rows.slice(i, i + NOTIFICATIONS_PER_INSERT))
      .onConflict((oc) => oc.columns(['flip_id', 'channel_id', 'repeat_n']).doNothing())
      .execute()
  }
}

/**
 * Decides one claimed flip: held back (flapping), suppressed, or notified (its notification rows
 * are appended to `out`, for the caller to insert). Projects whose nag dates need recalculating
 * are added to `nagProjects`: the dates depend on which checks are down, which processing a flip
 * does not change, so the caller recalculates once per project per transaction.
 */
async function decideFlip(
  trx: Trx,
  flip: Flip,
  check: Check | undefined,
  channels: FlipChannel[],
  now: number,
  out: { notifications: NewNotification[]; nagProjects: Set<number>; released: number },
): Promise<ProcessedFlip> {
  if (!check) return { flip, queued: 0, outcome: 'suppressed' }
  let decision: GateDecision
  if (flip.new_status === 'up' && (await endsUnannouncedDown(trx, flip, now)))
    decision = { kind: 'suppress', reason: 'the down before it was never announced' }
  else decision = await decideGates({ trx, flip, check, now })
  if (decision.kind === 'hold') {
    const held = { processed: null, recheck_at: decision.recheckAt, held_reason: decision.reason }
    await trx.updateTable('flips').set(held).where('id', '=', flip.id).execute()
    return { flip: { ...flip, ...held }, queued: 0, outcome: 'held' }
  }
  // A parent's recovery: its children held by the dependency gate are decided again now.
  if (flip.new_status === 'up') out.released += await releaseHeldChildren(trx, check, now)
  // Healthchecks recalculates nag dates for every processed flip, alerting or not.
  out.nagProjects.add(check.project_id)
  if (decision.kind === 'suppress') {
    const suppressed = { suppressed: 1 as const, held_reason: decision.reason }
    await trx.updateTable('flips').set(suppressed).where('id', '=', flip.id).execute()
    return { flip: { ...flip, ...suppressed }, queued: 0, outcome: 'suppressed' }
  }
  const selected = selectChannels(flip, channels)
  for (const c of selected)
    out.notifications.push({
      code: newUuid(),
      check_id: flip.check_id,
      channel_id: c.id,
      flip_id: flip.id,
      check_status: flip.new_status,
      created: now,
      status: 'pending',
      next_attempt_at: now,
      repeat_at: nextRepeatAt(c, flip.new_status, 0, now),
    })
  return { flip, queued: selected.length, outcome: 'notified' }
}

/**
 * Claims up to `limit` flips and processes them in `trx`: the checks and channels are read once
 * for the batch, the notifications inserted together, the nag dates recalculated once per project.
 */
async function processFlipBatch(
  ctx: Ctx,
  trx: Trx,
  now: number,
  limit: number,
  released = { count: 0 },
): Promise<ProcessedFlip[]> {
  const flips = await claimFlips(ctx, trx, now, limit)
  if (flips.length === 0) return []
  const { checks, channels } = await loadTargets(trx, flips)
  const out = {
    notifications: [] as NewNotification[],
    nagProjects: new Set<number>(),
    released: 0,
  }
  const processed: ProcessedFlip[] = []
  for (const flip of flips)
    processed.push(
      await decideFlip(
        trx,
        flip,
        checks.get(flip.check_id),
        channels.get(flip.check_id) ?? [],
        now,
        out,
      ),
    )
  await groupNewNotifications(ctx, trx, out.notifications, now)
  await insertNotifications(trx, out.notifications)
  for (const projectId of out.nagProjects) await updateNextNagDates(trx, projectId, now)
  released.count += out.released
  return processed
}

/** Processes due flips until none is left (or `limit`); returns how many were taken. */
export async function processFlips(ctx: Ctx, now: number, limit = 1000): Promise<number> {
  let n = 0
  while (n < limit) {
    const released = { count: 0 }
    const batch = await ctx.db.kysely.transaction().execute(async (trx) => {
      const take = Math.min(FLIPS_PER_COMMIT, limit - n)
      const processed = await processFlipBatch(ctx, trx, now, take, released)
      return { taken: processed.length, queued: processed.reduce((q, p) => q + p.queued, 0) }
    })
    n += batch.taken
    // Committed: this process's sender may claim them now rather than at its next poll.
    if (batch.queued > 0) signalNotificationsQueued()
    // Held children a recovered parent released are due now: decide them in this call.
    if (batch.taken < FLIPS_PER_COMMIT && released.count === 0) break
  }
  return n
}
