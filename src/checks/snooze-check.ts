/**
 * Use cases: snooze a check (API, details page, ping URL), end a snooze, snooze every check of a
 * project that carries some tags. Each change is written with a row in `snoozes` (the history on
 * the details page) and releases the check's held flips (`recheck_at` = now), so the alert gates
 * decide them again at the next worker tick: a snooze ended early lets a held down alert go at once,
 * a changed snooze re-holds it until the new end.
 */
import type { Kysely } from 'kysely'
import type { Ctx } from '../context.js'
import { type Check, type Database, lockForUpdate, type Snooze } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { channelCodesOf } from './check-channels.js'
import type { InvalidField } from './check-input.js'
import { type CheckWithChannels, type FindCheckError, withLockedCheck } from './find-check.js'
import { hasAllTags, parseMinutes, parseSnoozeRequest, snoozeEnd, tagWords } from './snooze.js'

export type SnoozeSource = 'api' | 'web' | 'ping'

type Trx = Kysely<Database>

/** Held (unprocessed, waiting) flips of the checks are due now. */
export async function releaseHeldFlips(trx: Trx, checkIds: number[], now: number): Promise<void> {
  if (checkIds.length === 0) return
  await trx
    .updateTable('flips')
    .set({ recheck_at: now })
    .where('check_id', 'in', checkIds)
    .where('processed', 'is', null)
    .where('recheck_at', '>', now)
    .execute()
}

async function applySnooze(
  trx: Trx,
  check: Check,
  s: { until: number; reason: string; source: SnoozeSource },
  now: number,
): Promise<Check> {
  // A snooze replacing a running one closes that one's history row.
  if (snoozeEnd(check, now) !== null) await closeHistory(trx, check.id, now)
  await trx
    .insertInto('snoozes')
    .values({
      check_id: check.id,
      created: now,
      until: s.until,
      reason: s.reason,
      source: s.source,
    })
    .execute()
  await releaseHeldFlips(trx, [check.id], now)
  return trx
    .updateTable('checks')
    .set({ snoozed_until: s.until, snooze_reason: s.reason })
    .where('id', '=', check.id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

async function closeHistory(trx: Trx, checkId: number, now: number): Promise<void> {
  await trx
    .updateTable('snoozes')
    .set({ ended: now })
    .where('check_id', '=', checkId)
    .where('ended', 'is', null)
    .where('until', '>', now)
    .execute()
}

/** Snoozes one check of the project for `body` (`minutes` or `until`, optional `reason`). */
export async function snoozeCheck(
  ctx: Ctx,
  input: { projectId: number; code: string; body: Record<string, unknown>; source: SnoozeSource },
): Promise<Result<CheckWithChannels, FindCheckError | InvalidField>> {
  return withLockedCheck(ctx, input, async (trx, check, now) => {
    const req = parseSnoozeRequest(input.body, now)
    if (!req.ok) return req
    const saved = await applySnooze(trx, check, { ...req.value, source: input.source }, now)
    return ok({ check: saved, channelCodes: await channelCodesOf(trx, saved.id) })
  })
}

/** Ends the check's snooze (nothing to do when it is not snoozed); held flips are due at once. */
export async function endSnooze(
  ctx: Ctx,
  input: { projectId: number; code: string },
): Promise<Result<CheckWithChannels, FindCheckError>> {
  return withLockedCheck(ctx, input, async (trx, found, now) => {
    let check = found
    if (check.snoozed_until !== null) {
      await closeHistory(trx, check.id, now)
      await releaseHeldFlips(trx, [check.id], now)
      check = await trx
        .updateTable('checks')
        .set({ snoozed_until: null, snooze_reason: '' })
        .where('id', '=', check.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    }
    return ok({ check, channelCodes: await channelCodesOf(trx, check.id) })
  })
}

export interface ProjectSnooze {
  until: number
  /** UUIDs of the snoozed checks, in id order. */
  codes: string[]
}

/** Snoozes every check of the project carrying all of `body.tags` (none given: every check). */
export async function snoozeProjectChecks(
  ctx: Ctx,
  input: { projectId: number; body: Record<string, unknown> },
): Promise<Result<ProjectSnooze, InvalidField>> {
  const now = ctx.clock.now()
  const tags = input.body.tags ?? ''
  if (typeof tags !== 'string')
    return err({ kind: 'invalid-field', field: 'tags', problem: 'is not a string' })
  const req = parseSnoozeRequest(input.body, now)
  if (!req.ok) return req
  const wanted = tagWords(tags)
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const rows = await lockForUpdate(
      ctx.db,
      trx.selectFrom('checks').selectAll().where('project_id', '=', input.projectId).orderBy('id'),
    ).execute()
    const codes: string[] = []
    for (const check of rows.filter((c) => hasAllTags(c.tags, wanted))) {
      await applySnooze(trx, check, { ...req.value, source: 'api' }, now)
      codes.push(check.code)
    }
    return ok({ until: req.value.until, codes })
  })
}

export type PingSnoozeError = { kind: 'not-found' } | { kind: 'ambiguous-slug' } | InvalidField

/**
 * Snoozes the check a ping URL names (`/ping/<uuid>/snooze?minutes=N`, or the slug form) for
 * `minutes` (a query text; default 60): knowing the ping URL is enough, as for pinging.
 */
export async function snoozeByPing(
  ctx: Ctx,
  input: { target: { code: string } | { pingKey: string; slug: string }; minutes: string | null },
): Promise<Result<{ until: number }, PingSnoozeError>> {
  const now = ctx.clock.now()
  const text = input.minutes ?? '60'
  const m = parseMinutes(/^[0-9]{1,9}$/.test(text) ? Number(text) : text, now)
  if (!m.ok) return m
  return ctx.db.kysely.transaction().execute(async (trx) => {
    let q = trx.selectFrom('checks').selectAll('checks')
    const t = input.target
    if ('code' in t) q = q.where('checks.code', '=', t.code)
    else
      q = q
        .innerJoin('projects', 'projects.id', 'checks.project_id')
        .where('projects.ping_key', '=', t.pingKey)
        .where('checks.slug', '=', t.slug)
    const rows = await lockForUpdate(ctx.db, q.limit(2)).execute()
    if (rows.length === 0) return err({ kind: 'not-found' as const })
    if (rows.length > 1) return err({ kind: 'ambiguous-slug' as const })
    await applySnooze(
      trx,
      rows[0],
      { until: m.value, reason: 'snoozed by its ping URL', source: 'ping' },
      now,
    )
    return ok({ until: m.value })
  })
}

/** The check's newest snoozes, newest first (details page). */
export function listSnoozes(db: Kysely<Database>, checkId: number, limit = 10): Promise<Snooze[]> {
  return db
    .selectFrom('snoozes')
    .selectAll()
    .where('check_id', '=', checkId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}
