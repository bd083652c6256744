/**
 * Repeat notifications (issue 14 §7): a channel with `repeat_every` sends a down alert again
 * every that many seconds while the check stays down, at most `repeat_max` times. Each down
 * notification of such a channel carries `repeat_at`, when its repeat is due (repeat-rule.ts);
 * this step reads only rows whose time has come (a partial index on `repeat_at`), so its cost
 * follows the due repeats, not the number of down checks. A due row is claimed by clearing its
 * `repeat_at` (SKIP LOCKED on PostgreSQL), and the repeat is a new row of the same outbox with
 * `repeat_n` + 1 (unique with flip and channel), in the same transaction: exactly once.
 * The chain stops when the check is no longer down on that flip; while an alert gate (snooze,
 * maintenance, a down parent … alert-gates.ts) holds or suppresses the flip, repeats are skipped.
 * Healthchecks has only the account-wide email reminder ("nag"), which Vigil keeps as well.
 */
import type { Kysely } from 'kysely'
import type { Ctx } from '../context.js'
import { type Channel, type Check, type Database, type Flip, lockForUpdate } from '../db/index.js'
import { newUuid } from '../tokens.js'
import { ALERT_GATES, type AlertGate, decideGates } from './alert-gates.js'
import { nextRepeatAt, repeatVerdict } from './repeat-rule.js'
import { signalNotificationsQueued } from './work-signal.js'

/** Due repeats decided in one transaction. */
export const REPEATS_PER_COMMIT = 100

type Trx = Kysely<Database>

interface DueRow {
  id: number
  check_id: number | null
  flip_id: number | null
  channel_id: number
  repeat_n: number
}

/** Claims up to `limit` due rows by clearing their `repeat_at`. */
async function claimDue(ctx: Ctx, trx: Trx, now: number, limit: number): Promise<DueRow[]> {
  const due = lockForUpdate(
    ctx.db,
    trx
      .selectFrom('notifications')
      .select('id')
      .where('repeat_at', '<=', now)
      .orderBy('repeat_at')
      .limit(limit),
    { skipLocked: true },
  )
  const rows = await trx
    .updateTable('notifications')
    .set({ repeat_at: null })
    .where('id', 'in', due)
    .where('repeat_at', '<=', now)
    .returning(['id', 'check_id', 'flip_id', 'channel_id', 'repeat_n'])
    .execute()
  return rows.sort((a, b) => a.id - b.id)
}

async function byId<T extends { id: number }>(rows: Promise<T[]>): Promise<Map<number, T>> {
  return new Map((await rows).map((r) => [Number(r.id), r]))
}

/** The checks, flips and channels of the due rows, and each check's latest flip id. */
async function loadState(trx: Trx, due: DueRow[]) {
  const ids = (vs: (number | null)[]) => [
    ...new Set(vs.filter((v): v is number => v !== null).map(Number)),
    -1,
  ]
  const checkIds = ids(due.map((d) => d.check_id))
  const checks = await byId<Check>(
    trx.selectFrom('checks').selectAll().where('id', 'in', checkIds).execute(),
  )
  const flips = await byId<Flip>(
    trx
      .selectFrom('flips')
      .selectAll()
      .where('id', 'in', ids(due.map((d) => d.flip_id)))
      .execute(),
  )
  const channels = await byId<Channel>(
    trx
      .selectFrom('channels')
      .selectAll()
      .where('id', 'in', ids(due.map((d) => d.channel_id)))
      .execute(),
  )
  const latest = new Map<number, number>()
  for (const r of await trx
    .selectFrom('flips')
    .select((eb) => ['check_id', eb.fn.max('id').as('id')])
    .where('check_id', 'in', checkIds)
    .groupBy('check_id')
    .execute())
    latest.set(Number(r.check_id), Number(r.id))
  return { checks, flips, channels, latest }
}

/** What happened to one due row. */
export type RepeatOutcome = 'queued' | 'stopped' | 'held' | 'skipped'

async function decideOne(
  trx: Trx,
  d: DueRow,
  state: Awaited<ReturnType<typeof loadState>>,
  now: number,
  gates: readonly AlertGate[],
): Promise<RepeatOutcome> {
  const check = d.check_id === null ? undefined : state.checks.get(Number(d.check_id))
  const flip = d.flip_id === null ? undefined : state.flips.get(Number(d.flip_id))
  const channel = state.channels.get(Number(d.channel_id)) ?? null
  const stillDown =
    check !== undefined &&
    flip !== undefined &&
    check.status === 'down' &&
    state.latest.get(Number(check.id)) === Number(flip.id)
  if (repeatVerdict({ channel, stillDown, repeatN: d.repeat_n }) === 'stop') return 'stopped'
  if (!check || !flip || !channel) return 'stopped'
  // Snooze, maintenance, a down parent …: no repeat while a gate would not let the alert out.
  const gate = await decideGates({ trx, flip, check, now }, gates)
  if (gate.kind !== 'alert') {
    const later = gate.kind === 'hold' ? gate.recheckAt : now + channel.repeat_every * 1000
    await trx
      .updateTable('notifications')
      .set({ repeat_at: later })
      .where('id', '=', d.id)
      .execute()
    return gate.kind === 'hold' ? 'held' : 'skipped'
  }
  const n = d.repeat_n + 1
  await trx
    .insertInto('notifications')
    .values({
      code: newUuid(),
      check_id: check.id,
      channel_id: channel.id,
      flip_id: flip.id,
      check_status: 'down',
      created: now,
      status: 'pending',
      next_attempt_at: now,
      repeat_n: n,
      repeat_at: nextRepeatAt(channel, 'down', n, now),
    })
    .onConflict((oc) => oc.columns(['flip_id', 'channel_id', 'repeat_n']).doNothing())
    .execute()
  return 'queued'
}

/** Decides the repeats due at `now` (at most `limit`); returns what happened to each. */
export async function queueDueRepeats(
  ctx: Ctx,
  now: number,
  options: { limit?: number; gates?: readonly AlertGate[] } = {},
): Promise<RepeatOutcome[]> {
  const limit = options.limit ?? 1000
  const gates = options.gates ?? ALERT_GATES
  const all: RepeatOutcome[] = []
  // Most ticks have nothing due: one indexed read instead of a write transaction each time.
  const anyDue = await ctx.db.kysely
    .selectFrom('notifications')
    .select('id')
    .where('repeat_at', '<=', now)
    .limit(1)
    .executeTakeFirst()
  if (!anyDue) return all
  while (all.length < limit) {
    const outcomes = await ctx.db.kysely.transaction().execute(async (trx) => {
      const due = await claimDue(ctx, trx, now, Math.min(REPEATS_PER_COMMIT, limit - all.length))
      if (due.length === 0) return []
      const state = await loadState(trx, due)
      const out: RepeatOutcome[] = []
      for (const d of due) out.push(await decideOne(trx, d, state, now, gates))
      return out
    })
    all.push(...outcomes)
    // Committed: this process's sender may send them now rather than at its next poll.
    if (outcomes.includes('queued')) signalNotificationsQueued()
    if (outcomes.length < REPEATS_PER_COMMIT) break
  }
  return all
}
