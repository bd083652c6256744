/**
 * Use case: record a ping (HTTP, or email from the SMTP server). In one transaction: find and lock the check (auto-provisioning a
 * slug check with `create`), validate exit status and run id in Healthchecks' order, apply the
 * ping's effect, insert the flip and the ping row. Answers only after the commit; prunes every
 * 100th ping. With S3_BUCKET, a large body is uploaded first, outside the batch (objects/).
 * Mirrors Healthchecks' `ping`/`ping_by_slug` views and `Check.ping` (spec §2.4, §3).
 */
import { signalFlipsQueued } from '../alerts/index.js'
import type { Ctx } from '../context.js'
import type { PingKind } from '../db/index.js'
import {
  belongsInObjectStore,
  deletePrunableObjects,
  discardPlacedBody,
  type PlacedBody,
  placePingBody,
} from '../objects/index.js'
import { err, ok, type Result } from '../result.js'
import { newUuid } from '../tokens.js'
import type { ClientInfo } from './client-info.js'
import { decideAction, decideEmailAction, type EmailPingFacts } from './ping-action.js'
import { pingEffect } from './ping-effect.js'
import { type PingCheck, type PingTx, pingStoreFor } from './ping-store.js'
import { isValidExitStatus, parseRid, type UrlAction } from './ping-url.js'

export interface RecordPingInput {
  /** The check's UUID, or the project's ping key and the check's slug (`create` = `?create=1`). */
  target: { code: string } | { pingKey: string; slug: string; create: boolean }
  action: UrlAction
  /** From `/<exit-status>` URLs; > 255 is refused after the check lookup. */
  exitstatus: number | null
  /** The raw `rid` query value, or null when absent. */
  rid: string | null
  client: ClientInfo
  /**
   * Set for email pings: the message's subject and text, classified by the check's email filters
   * (`filter_subject`, `filter_body`) instead of its HTTP rules (`methods`, `filter_http_body`).
   */
  email?: EmailPingFacts
}

export interface RecordedPing {
  /** True when `create` made the check. */
  created: boolean
  /** The ping's sequence number in its check (the check's new n_pings). */
  n: number
  kind: PingKind
  checkId: number
}

export type RecordPingError =
  | { kind: 'not-found' }
  | { kind: 'ambiguous-slug' }
  | { kind: 'invalid-exit-status' }
  | { kind: 'invalid-rid' }
  /** The database failed or is unreachable: nothing was recorded, the client should retry. */
  | { kind: 'database-unavailable' }

/** Every how many pings of a check its history is pruned (Healthchecks: every 100th). */
export const PRUNE_EVERY = 100

type Found = Result<
  { check: PingCheck; created: boolean },
  { kind: 'not-found' } | { kind: 'ambiguous-slug' }
>

/** Finds and locks the check; with `create`, provisions a missing slug check within 2 × check_limit. */
async function lockTarget(
  tx: PingTx,
  target: RecordPingInput['target'],
  now: number,
): Promise<Found> {
  if ('code' in target) {
    const check = await tx.lockCheckByCode(target.code)
    return check ? ok({ check, created: false }) : err({ kind: 'not-found' })
  }
  let found = await tx.lockCheckBySlug(target.pingKey, target.slug)
  if (found === undefined && target.create) {
    const project = await tx.lockProjectByPingKey(target.pingKey)
    if (!project) return err({ kind: 'not-found' })
    // Another ping may have provisioned it while this one waited for the project lock.
    found = await tx.lockCheckBySlug(target.pingKey, target.slug)
    if (found === undefined) {
      // Auto-provisioning may go past the owner's check limit, up to twice it (Healthchecks).
      if ((await tx.countChecksOwnedBy(project.owner_id)) >= 2 * project.check_limit) {
        return err({ kind: 'not-found' })
      }
      const check = await tx.insertCheck({
        code: newUuid(),
        badge_key: newUuid(),
        project_id: project.id,
        name: target.slug,
        slug: target.slug,
        created: now,
      })
      await tx.assignAllChannels(check.id, project.id)
      return ok({ check, created: true })
    }
  }
  if (found === 'ambiguous') return err({ kind: 'ambiguous-slug' })
  return found ? ok({ check: found, created: false }) : err({ kind: 'not-found' })
}

/** The whole ping inside the store's transaction. An error returned after provisioning still commits the new check. */
async function applyPing(
  ctx: Ctx,
  tx: PingTx,
  input: RecordPingInput,
  placed: PlacedBody | null,
  onFlip: () => void,
): Promise<Result<RecordedPing, RecordPingError>> {
  // Read under the lock, as Healthchecks freezes `now` inside its transaction: concurrent pings
  // of one check then get increasing times in commit order.
  const now = ctx.clock.now()
  const found = await lockTarget(tx, input.target, now)
  if (!found.ok) return found
  const { check, created } = found.value
  if (!isValidExitStatus(input.exitstatus)) return err({ kind: 'invalid-exit-status' })
  const { client } = input
  const action = input.email
    ? decideEmailAction(check, input.email)
    : decideAction(check, {
        action: input.action,
        exitstatus: input.exitstatus,
        method: client.method,
        body: client.body,
      })
  const rid = parseRid(input.rid)
  if (rid === undefined) return err({ kind: 'invalid-rid' })

  const effect = pingEffect(check, { action, rid, body: client.body, now })
  if (effect.flip) {
    await tx.insertFlip({ check_id: check.id, created: now, ...effect.flip })
    onFlip()
  }
  const row = {
    created: now,
    kind: effect.kind,
    scheme: client.scheme,
    remote_addr: client.remoteAddr,
    method: client.method,
    ua: client.ua,
    body: client.body,
    exitstatus: input.exitstatus,
    rid,
  }
  // A placed body replaces `body` with its object reference (or marks it waiting).
  const n = await tx.writePing(check.id, effect.update, placed ? { ...row, ...placed } : row)
  return ok({ created, n, kind: effect.kind, checkId: check.id })
}

/**
 * Prunes through the store; with object storage, the objects of the pruned pings are deleted
 * first and pruning is bounded to the pings whose objects are gone.
 */
async function pruneStoredHistory(ctx: Ctx, checkId: number): Promise<void> {
  const upTo = ctx.config.s3 ? await deletePrunableObjects(ctx, checkId) : undefined
  await pingStoreFor(ctx.db).prune({ checkId, now: ctx.clock.now(), upTo })
}

export async function recordPing(
  ctx: Ctx,
  input: RecordPingInput,
): Promise<Result<RecordedPing, RecordPingError>> {
  let result: Result<RecordedPing, RecordPingError>
  let flipped = false
  // A large body goes to object storage before the batch (which must not wait on the network),
  // so the ping is answered only once its body is stored: in the bucket or, failing that, in
  // the row. Nothing of this runs without S3_BUCKET.
  const body = input.client.body
  const placed =
    body && belongsInObjectStore(ctx.config, body)
      ? await placePingBody(
          ctx,
          body,
          'code' in input.target ? input.target.code : null,
          ctx.clock.now(),
        )
      : null
  try {
    result = await pingStoreFor(ctx.db).run(
      (tx) =>
        applyPing(ctx, tx, input, placed, () => {
          flipped = true
        }),
      'code' in input.target ? input.target : undefined,
    )
  } catch (e) {
    // An uploaded body stays: when a COMMIT fails its outcome is unknown, and the row, if it was
    // written after all, must find its object (an orphan costs less than a lost body).
    ctx.log.error({ err: e, objectKey: placed?.object_key }, 'ping not recorded: database error')
    return err({ kind: 'database-unavailable' })
  }
  // Refused before anything was written (unknown check, bad exit status or run id).
  if (!result.ok && placed) await discardPlacedBody(ctx, placed)
  // Committed: a worker in this process turns the flip into notifications now, not at its poll.
  if (flipped) signalFlipsQueued()
  if (result.ok && result.value.n % PRUNE_EVERY === 0) {
    // The ping is committed and will be acknowledged; a failed prune is retried at the next 100th.
    try {
      await pruneStoredHistory(ctx, result.value.checkId)
    } catch (e) {
      ctx.log.warn({ err: e, checkId: result.value.checkId }, 'pruning ping history failed')
    }
  }
  return result
}
