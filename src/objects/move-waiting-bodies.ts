/**
 * Use case (worker): move bodies that waited in the database because the object store was down
 * into the bucket, under Healthchecks' key `<check uuid>/<enc(n)>`. Upload first, then a
 * conditional update (`body_waiting IS NOT NULL`), so a body is never dropped before its object
 * exists; two workers moving the same row write the same object, and the second update changes
 * nothing. Stops at the first failed upload: the store is still down, the next tick tries again.
 */
import type { Ctx } from '../context.js'
import { bodyStoreFor } from './body-store.js'
import { healthchecksObjectKey } from './object-keys.js'

export interface MovedBodies {
  moved: number
  /** True when an upload failed and moving stopped. */
  storeFailed: boolean
}

/** Moves up to `limit` waiting bodies, oldest first. Nothing to do without S3_BUCKET. */
export async function moveWaitingBodies(ctx: Ctx, input: { limit: number }): Promise<MovedBodies> {
  const store = bodyStoreFor(ctx.config)
  if (!store) return { moved: 0, storeFailed: false }
  const k = ctx.db.kysely
  const rows = await k
    .selectFrom('pings')
    .innerJoin('checks', 'checks.id', 'pings.check_id')
    .select(['pings.id', 'pings.n', 'pings.body', 'checks.code'])
    .where('pings.body_waiting', 'is not', null)
    .orderBy('pings.id')
    .limit(input.limit)
    .execute()
  let moved = 0
  for (const row of rows) {
    const body = row.body ? Buffer.from(row.body) : Buffer.alloc(0)
    const key = healthchecksObjectKey(row.code, row.n)
    try {
      await store.put(key, body)
    } catch (e) {
      ctx.log.warn({ err: e, bucket: store.bucket }, 'object storage still refuses ping bodies')
      return { moved, storeFailed: true }
    }
    const r = await k
      .updateTable('pings')
      .set({ body: null, object_key: key, object_size: body.length, body_waiting: null })
      .where('id', '=', row.id)
      .where('body_waiting', 'is not', null)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) === 1) {
      moved++
      continue
    }
    // Pruned meanwhile: its object must not stay behind. Moved by another worker: same key, keep it.
    const still = await k
      .selectFrom('pings')
      .select('id')
      .where('id', '=', row.id)
      .executeTakeFirst()
    if (!still) await store.delete([key])
  }
  return { moved, storeFailed: false }
}

/** How many bodies wait in the database for the object store (served by a partial index). */
export async function countWaitingBodies(ctx: Ctx): Promise<number> {
  const row = await ctx.db.kysely
    .selectFrom('pings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('body_waiting', 'is not', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
