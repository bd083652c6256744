/**
 * Token buckets in the database, as Healthchecks' TokenBucket.authorize: a bucket holds up to one
 * token, refills fully in `refillMs`, and each request takes 1/capacity; a request that would
 * take it below zero is refused and not counted. Unlike Healthchecks (which tolerates races), the
 * read and write happen in one transaction with the row locked, so several processes share a
 * limit exactly. Used by the channel kinds (Telegram, Signal, Pushover, ntfy) and by accounts.
 */
import { type Db, lockForUpdate } from '../db/index.js'

export interface BucketRule {
  /** Requests allowed per `refillMs` window. */
  capacity: number
  /** Time for an empty bucket to fill up again, ms. */
  refillMs: number
}

/** Tokens after refilling for `elapsedMs` and taking one request; negative = refuse. Pure. */
export function drawToken(tokens: number, elapsedMs: number, rule: BucketRule): number {
  const refilled = Math.min(1, tokens + Math.max(0, elapsedMs) / rule.refillMs)
  return refilled - 1 / rule.capacity
}

/** True when the request fits within the bucket `value` (and takes its token). */
export async function authorizeBucket(
  db: Db,
  value: string,
  rule: BucketRule,
  now: number,
): Promise<boolean> {
  return (await takeBucketToken(db, value, rule, now)).allowed
}

export type BucketVerdict = { allowed: true } | { allowed: false; retryAfterMs: number }

/** Ms until a bucket holding `tokens` (after refilling) has one request's worth again. Pure. */
export function bucketWaitMs(tokens: number, rule: BucketRule): number {
  return Math.max(0, Math.ceil((1 / rule.capacity - tokens) * rule.refillMs))
}

/** As authorizeBucket, and when refused, how long until a request would fit (for Retry-After). */
export async function takeBucketToken(
  db: Db,
  value: string,
  rule: BucketRule,
  now: number,
): Promise<BucketVerdict> {
  return db.kysely.transaction().execute(async (trx): Promise<BucketVerdict> => {
    await trx
      .insertInto('token_buckets')
      .values({ value, tokens: 1, updated: now })
      .onConflict((oc) => oc.column('value').doNothing())
      .execute()
    const row = await lockForUpdate(
      db,
      trx.selectFrom('token_buckets').selectAll().where('value', '=', value),
    ).executeTakeFirstOrThrow()
    // Floating-point dust (6 × 1/6 is not exactly 1) must not refuse the last allowed request.
    const left = drawToken(row.tokens, now - row.updated, rule)
    if (left < -1e-9)
      return { allowed: false, retryAfterMs: bucketWaitMs(left + 1 / rule.capacity, rule) }
    await trx
      .updateTable('token_buckets')
      .set({ tokens: Math.max(0, left), updated: now })
      .where('value', '=', value)
      .execute()
    return { allowed: true }
  })
}

/** Deletes buckets untouched since `before` (Healthchecks' prunetokenbucket keeps one day). */
export async function pruneTokenBuckets(db: Db, before: number): Promise<number> {
  const r = await db.kysely
    .deleteFrom('token_buckets')
    .where('updated', '<', before)
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}
