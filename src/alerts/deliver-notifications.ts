/**
 * Delivers queued notifications: claims due rows with a lease (conditional UPDATE; SKIP LOCKED
 * on PostgreSQL), calls the channel's integration, then records the outcome: sent, retried later
 * with backoff (timeouts, connection errors, 429, 5xx) or failed (other refusals, or too many
 * attempts), and the channel's last_notify, duration and last error, as Healthchecks'
 * Channel.notify does. Email notifications are handed to the mail outbox, which settles them.
 */
import type { Expression, ExpressionBuilder, SqlBool, Transaction } from 'kysely'
import type { Ctx } from '../context.js'
import {
  type Channel,
  type Check,
  claimLeased,
  type Database,
  type Flip,
  type GroupCommit,
  type Notification,
} from '../db/index.js'
import { type DeliveryResult, integrationFor, WARNING_STATUS } from '../integrations/index.js'
import { groupedDeliveryInput, settleGroupMembers } from './alert-group-delivery.js'
import {
  cutError,
  NOTIFY_LEASE_MS,
  NOTIFY_MAX_ATTEMPTS,
  notifyRetryDelayMs,
} from './delivery-retry.js'
import { testCheck, testFlip } from './test-notification.js'

/** `claimed_by` of a notification whose mail is in the outbox; such rows are never re-claimed. */
export const MAIL_OUTBOX_HOLDER = 'mail-outbox'

export type DeliveryOutcome = 'sent' | 'handed-off' | 'retrying' | 'failed' | 'lease-lost'

function isDue(now: number) {
  return (eb: ExpressionBuilder<Database, 'notifications'>): Expression<SqlBool> =>
    eb.or([
      eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
      // A worker died mid-delivery. Handed-off rows have no claimed_at and are not taken.
      eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<', now - NOTIFY_LEASE_MS)]),
    ])
}

export interface ClaimFairness {
  /** Most notifications of one channel in flight in this process. */
  perChannel: number
  /** Notifications in flight in this process, by channel id. */
  inFlight?: ReadonlyMap<number, number>
}

/**
 * Claims up to `limit` due notifications for `workerId`, round-robin across channels: the
 * candidates are ranked per channel (row_number over the channel's due rows) and taken rank by
 * rank, so a channel with 1,000 due alerts gets no more than any other, and a channel already at
 * `perChannel` in flight here (a hanging endpoint) gets none until one of its deliveries ends.
 */
export async function claimDueNotifications(
  ctx: Ctx,
  workerId: string,
  now: number,
  limit: number,
  fairness: ClaimFairness = { perChannel: limit },
): Promise<Notification[]> {
  if (limit <= 0) return []
  const inFlight = fairness.inFlight ?? new Map<number, number>()
  const saturated = [...inFlight].filter(([, n]) => n >= fairness.perChannel).map(([id]) => id)
  const k = ctx.db.kysely
  let ranked = k
    .selectFrom('notifications')
    .select((eb) => [
      'id',
      'channel_id',
      'next_attempt_at',
      eb.fn
        .agg<number>('row_number')
        .over((ob) => ob.partitionBy('channel_id').orderBy('next_attempt_at').orderBy('id'))
        .as('rank'),
    ])
    .where(isDue(now))
  if (saturated.length > 0) ranked = ranked.where('channel_id', 'not in', saturated)
  const candidates = await k
    .selectFrom(ranked.as('r'))
    .select(['r.id', 'r.channel_id'])
    .where('r.rank', '<=', fairness.perChannel)
    .orderBy('r.rank')
    .orderBy('r.next_attempt_at')
    .orderBy('r.id')
    .limit(limit * 2)
    .execute()
  const taken = new Map<number, number>()
  const ids: number[] = []
  for (const c of candidates) {
    if (ids.length >= limit) break
    const n = (inFlight.get(c.channel_id) ?? 0) + (taken.get(c.channel_id) ?? 0)
    if (n >= fairness.perChannel) continue
    taken.set(c.channel_id, (taken.get(c.channel_id) ?? 0) + 1)
    ids.push(Number(c.id))
  }
  return claimLeased(ctx.db, 'notifications', {
    due: isDue(now),
    ids,
    limit: ids.length,
    set: { status: 'sending', claimed_by: workerId, claimed_at: now, error: 'Sending' },
  })
}

/** What a delivery reads besides the notification: its channel, check and flip (null = gone). */
export interface DeliveryTarget {
  channel: Channel | null
  check: Check | null
  flip: Flip | null
}

/**
 * The channels, checks and flips of claimed notifications, three queries for the whole claim
 * instead of three per delivery (delivery-sender.ts). Keyed by notification id.
 */
export async function loadDeliveryTargets(
  ctx: Ctx,
  claimed: Notification[],
): Promise<Map<number, DeliveryTarget>> {
  const k = ctx.db.kysely
  const ids = (values: (number | null)[]) =>
    [...new Set(values.filter((v): v is number => v !== null))].map(Number)
  const channelIds = ids(claimed.map((n) => n.channel_id))
  const checkIds = ids(claimed.map((n) => n.check_id))
  const flipIds = ids(claimed.map((n) => n.flip_id))
  const channels = new Map<number, Channel>()
  const checks = new Map<number, Check>()
  const flips = new Map<number, Flip>()
  if (channelIds.length > 0)
    for (const c of await k
      .selectFrom('channels')
      .selectAll()
      .where('id', 'in', channelIds)
      .execute())
      channels.set(Number(c.id), c)
  if (checkIds.length > 0)
    for (const c of await k.selectFrom('checks').selectAll().where('id', 'in', checkIds).execute())
      checks.set(Number(c.id), c)
  if (flipIds.length > 0)
    for (const f of await k.selectFrom('flips').selectAll().where('id', 'in', flipIds).execute())
      flips.set(Number(f.id), f)
  const out = new Map<number, DeliveryTarget>()
  for (const n of claimed)
    out.set(n.id, {
      channel: channels.get(Number(n.channel_id)) ?? null,
      check: n.check_id === null ? null : (checks.get(Number(n.check_id)) ?? null),
      flip: n.flip_id === null ? null : (flips.get(Number(n.flip_id)) ?? null),
    })
  return out
}

async function loadDeliveryTarget(ctx: Ctx, n: Notification): Promise<DeliveryTarget> {
  return (await loadDeliveryTargets(ctx, [n])).get(n.id) as DeliveryTarget
}

async function attempt(ctx: Ctx, n: Notification, target: DeliveryTarget): Promise<DeliveryResult> {
  const { channel } = target
  if (!channel) return { ok: false, error: 'The channel no longer exists', permanent: true }
  // check_id NULL = a test notification: a dummy check and flip stand in (test-notification.ts).
  const check = n.check_id === null ? testCheck(channel, n) : target.check
  if (!check) return { ok: false, error: 'The check no longer exists', permanent: true }
  const flip = n.check_id === null ? testFlip(n) : n.flip_id === null ? null : target.flip
  const integration = integrationFor(channel.kind)
  if (!integration) {
    return {
      ok: false,
      error: `This version of Vigil cannot send ${channel.kind} notifications`,
      permanent: true,
    }
  }
  // Queued before process-warnings.ts left the incident services out: never open an incident
  // that no recovery would close.
  if (n.check_status === WARNING_STATUS && integration.opensIncidents)
    return { ok: false, error: `Warnings are not sent to ${integration.label}`, permanent: true }
  try {
    const input = { channel, check, flip, notification: n }
    return await integration.deliver(ctx, await groupedDeliveryInput(ctx, integration, input))
  } catch (e) {
    // An integration bug or a database hiccup: worth another try, and visible meanwhile.
    ctx.log.error({ err: e, notification: n.code }, 'delivery threw')
    return { ok: false, error: `Unexpected error: ${(e as Error).message}`, permanent: false }
  }
}

/** Delivers one claimed notification and records the outcome. */
export async function deliverNotification(
  ctx: Ctx,
  workerId: string,
  n: Notification,
  /** Shares the outcome's commit with other deliveries ending now (delivery-sender.ts). */
  commit?: GroupCommit,
  /** Its channel, check and flip when already read for the whole claim (loadDeliveryTargets). */
  target?: DeliveryTarget,
): Promise<DeliveryOutcome> {
  const started = ctx.clock.now()
  const result = await attempt(ctx, n, target ?? (await loadDeliveryTarget(ctx, n)))
  const finished = ctx.clock.now()
  const attempts = n.attempts + 1
  // The outcome and the channel's last_notify in one commit: one fsync per delivery, not two.
  const record = async (k: Transaction<Database>): Promise<DeliveryOutcome> => {
    // Only the lease holder records; if the lease was taken over meanwhile, the new holder will.
    const mine = k
      .updateTable('notifications')
      .where('id', '=', n.id)
      .where('status', '=', 'sending')
      .where('claimed_by', '=', workerId)

    let outcome: DeliveryOutcome
    let lastError = ''
    if (result.ok && result.handedOff) {
      // The mail sender settles it; a NULL claimed_at keeps it from being re-claimed as stale.
      const r = await mine
        .set({ attempts, claimed_by: MAIL_OUTBOX_HOLDER, claimed_at: null })
        .executeTakeFirst()
      outcome = Number(r.numUpdatedRows) > 0 ? 'handed-off' : 'lease-lost'
    } else if (result.ok) {
      const r = await mine
        .set({
          status: 'sent',
          sent_at: finished,
          error: '',
          attempts,
          claimed_by: null,
          claimed_at: null,
        })
        .executeTakeFirst()
      outcome = Number(r.numUpdatedRows) > 0 ? 'sent' : 'lease-lost'
    } else {
      lastError = cutError(result.error)
      // A test notification is tried once (as Healthchecks): the person waiting wants the answer.
      const giveUp = result.permanent || attempts >= NOTIFY_MAX_ATTEMPTS || n.check_id === null
      const r = await mine
        .set(
          giveUp
            ? { status: 'failed', error: lastError, attempts, claimed_by: null, claimed_at: null }
            : {
                status: 'pending',
                error: lastError,
                attempts,
                next_attempt_at: finished + notifyRetryDelayMs(attempts),
                claimed_by: null,
                claimed_at: null,
              },
        )
        .executeTakeFirst()
      outcome = Number(r.numUpdatedRows) === 0 ? 'lease-lost' : giveUp ? 'failed' : 'retrying'
      ctx.log.warn(
        { notification: n.code, attempts, error: lastError, outcome },
        'notification not delivered',
      )
    }
    await settleGroupMembers(k, n, outcome, finished, lastError)
    await k
      .updateTable('channels')
      .set({
        last_notify: started,
        last_notify_duration_ms: finished - started,
        last_error: lastError,
        ...(!result.ok && result.disableChannel ? { disabled: 1 } : {}),
      })
      .where('id', '=', n.channel_id)
      .execute()
    return outcome
  }
  return commit ? commit.run(record) : ctx.db.kysely.transaction().execute(record)
}

/** Claims and delivers due notifications concurrently (at most `limit` at once) and waits for them. */
export async function deliverDueNotifications(
  ctx: Ctx,
  options: { workerId: string; limit?: number },
): Promise<DeliveryOutcome[]> {
  const claimed = await claimDueNotifications(
    ctx,
    options.workerId,
    ctx.clock.now(),
    options.limit ?? 8,
  )
  return Promise.all(claimed.map((n) => deliverNotification(ctx, options.workerId, n)))
}
