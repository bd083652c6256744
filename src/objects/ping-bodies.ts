/**
 * Which ping bodies live in object storage, and reading them back. With S3_BUCKET set, a body
 * longer than 100 bytes (Healthchecks' threshold) is uploaded before its ping's transaction, so
 * the ping is acknowledged only once the body is stored somewhere; if the store fails or times
 * out, the body goes into the database marked `body_waiting` and the worker moves it later
 * (move-waiting-bodies.ts). Smaller bodies, and every body without S3, stay in `pings.body`.
 * Unlike Healthchecks (upload after commit), a reader never sees a row whose object is missing.
 */
import type { Config } from '../config/index.js'
import type { Ctx } from '../context.js'
import { err, ok, type Result } from '../result.js'
import { bodyStoreFor } from './body-store.js'
import { healthchecksObjectKey, newObjectKey } from './object-keys.js'

/** Bodies longer than this many bytes go to object storage (Healthchecks: 100). */
export const OBJECT_BODY_THRESHOLD = 100
/** After a failed upload, bodies go straight to the database for this long (one timeout, not one per ping). */
export const STORE_BACKOFF_MS = 10_000

/** The body columns of a ping row. */
export interface PlacedBody {
  body: Buffer | null
  object_key: string | null
  object_size: number | null
  body_waiting: number | null
}

/**
 * True when this body should be uploaded: S3 is configured and the body is above the threshold.
 * Synchronous and cheap, so the ping path pays nothing for it otherwise.
 */
export function belongsInObjectStore(config: Config, body: Buffer | null | undefined): boolean {
  return config.s3 !== null && body != null && body.length > OBJECT_BODY_THRESHOLD
}

const backoffUntil = new WeakMap<object, number>()

/**
 * Uploads a body that belongsInObjectStore and returns the row's body columns: an object reference
 * when the upload succeeded, the body itself marked waiting when it did not. Never throws.
 */
export async function placePingBody(
  ctx: Ctx,
  body: Buffer,
  checkCode: string | null,
  now: number,
): Promise<PlacedBody> {
  const store = bodyStoreFor(ctx.config)
  const waiting: PlacedBody = { body, object_key: null, object_size: null, body_waiting: 1 }
  if (!store) return { body, object_key: null, object_size: null, body_waiting: null }
  if ((backoffUntil.get(store) ?? 0) > now) return waiting
  const key = newObjectKey(checkCode)
  try {
    await store.put(key, body)
    return { body: null, object_key: key, object_size: body.length, body_waiting: null }
  } catch (e) {
    backoffUntil.set(store, now + STORE_BACKOFF_MS)
    ctx.log.warn(
      { err: e, bucket: store.bucket },
      'object storage did not take a ping body; it is kept in the database and moved later',
    )
    return waiting
  }
}

/**
 * Removes an object uploaded for a ping that was then refused (unknown check, bad input). Best
 * effort: a failure is logged, never thrown. Only error answers wait for it.
 */
export async function discardPlacedBody(ctx: Ctx, placed: PlacedBody): Promise<void> {
  const store = bodyStoreFor(ctx.config)
  if (!store || placed.object_key === null) return
  try {
    await store.delete([placed.object_key])
  } catch (e) {
    ctx.log.warn({ err: e, key: placed.object_key }, 'could not delete an unused ping body object')
  }
}

/** The body columns a reader needs, and the ping's number and check for Healthchecks' keys. */
export interface StoredBodyRef {
  body: Buffer | null
  object_key: string | null
  object_size: number | null
  n: number
  checkCode: string
}

export type ReadBodyError = { kind: 'body-unavailable' }

/** The object key of a row whose body is in object storage, or null when it is in the database. */
export function objectKeyOf(row: Omit<StoredBodyRef, 'body'>): string | null {
  if (row.object_key !== null) return row.object_key
  return row.object_size !== null && row.object_size > 0
    ? healthchecksObjectKey(row.checkCode, row.n)
    : null
}

/**
 * The ping's body wherever it is: null when it has none (or its object is gone), an error when
 * the object store cannot be read now (configured off, down or timed out).
 */
export async function readPingBody(
  ctx: Ctx,
  row: StoredBodyRef,
): Promise<Result<Buffer | null, ReadBodyError>> {
  const key = objectKeyOf(row)
  if (key === null) return ok(row.body && row.body.length > 0 ? Buffer.from(row.body) : null)
  const store = bodyStoreFor(ctx.config)
  if (!store) return err({ kind: 'body-unavailable' })
  try {
    const bytes = await store.get(key)
    return ok(bytes && bytes.length > 0 ? bytes : null)
  } catch (e) {
    ctx.log.warn({ err: e, key }, 'could not read a ping body from object storage')
    return err({ kind: 'body-unavailable' })
  }
}
