/**
 * Ownership transfer (spec TEAM-4, Healthchecks' TransferForm / accept / cancel / reject): the
 * owner asks a member to take the project over (the route demands sudo); the notice goes
 * through the outbox when mail can go, else the recipient finds it on Project Settings; the
 * recipient accepts or rejects, the owner may cancel. On accept the old owner stays on as a
 * regular (`w`) member, as in Healthchecks. Unlike Healthchecks, requests expire
 * (PROJECT_TRANSFER_TTL_DAYS, default 14). Every step is audited; the transfer is an NT-1 notice.
 */

import type { Kysely } from 'kysely'
import { notifySecurityChange, type RequestMeta, recordSecurityEvent } from '../accounts/index.js'
import type { Ctx } from '../context.js'
import { type Database, type Project, type User, withTransaction } from '../db/index.js'
import { enqueueMail, mailStatus } from '../mail/index.js'
import { err, ok, type Result } from '../result.js'

const DAY_MS = 86_400_000

export type TransferError =
  | { kind: 'forbidden' }
  | { kind: 'not-a-member' }
  | { kind: 'no-request' }

export interface PendingTransfer {
  userId: number
  email: string
  requestedAt: number
  expiresAt: number
}

function ttlMs(ctx: Ctx): number {
  return ctx.config.accounts.projectTransferTtlDays * DAY_MS
}

/** The open (unexpired) request of the project, if any. */
export async function pendingTransfer(
  ctx: Ctx,
  project: Project,
  now: number,
): Promise<PendingTransfer | null> {
  const row = await ctx.db.kysely
    .selectFrom('members')
    .innerJoin('users', 'users.id', 'members.user_id')
    .select(['users.id', 'users.email', 'members.transfer_requested'])
    .where('members.project_id', '=', project.id)
    .where('members.transfer_requested', '>', now - ttlMs(ctx))
    .orderBy('members.transfer_requested', 'desc')
    .executeTakeFirst()
  if (!row || row.transfer_requested === null) return null
  return {
    userId: row.id,
    email: row.email,
    requestedAt: row.transfer_requested,
    expiresAt: row.transfer_requested + ttlMs(ctx),
  }
}

/** Clears the project's open request (at most one is open). */
async function clearTransferRequest(trx: Kysely<Database>, projectId: number): Promise<void> {
  await trx
    .updateTable('members')
    .set({ transfer_requested: null })
    .where('project_id', '=', projectId)
    .execute()
}

/** Audits one step of a transfer (`project.transfer_<step>`) in the step's transaction. */
async function auditTransfer(
  t: Ctx,
  type: string,
  step: { project: Project; actor: User; subjectUserId: number; meta?: RequestMeta },
  now: number,
): Promise<void> {
  await recordSecurityEvent(
    t,
    {
      type,
      actorUserId: step.actor.id,
      subjectUserId: step.subjectUserId,
      projectId: step.project.id,
      meta: step.meta,
    },
    now,
  )
}

export interface TransferRequested {
  recipient: { id: number; email: string }
  /** The notice was queued for mail; false: they will only see it on Project Settings. */
  emailed: boolean
}

export async function requestTransfer(
  ctx: Ctx,
  input: { project: Project; actor: User; email: string; meta?: RequestMeta },
): Promise<Result<TransferRequested, TransferError>> {
  const { project, actor } = input
  if (project.owner_id !== actor.id) return err({ kind: 'forbidden' })
  // No member's address holds NUL, and PostgreSQL fails a comparison with one.
  if (input.email.includes('\u0000')) return err({ kind: 'not-a-member' })
  const now = ctx.clock.now()
  const recipient = await ctx.db.kysely
    .selectFrom('members')
    .innerJoin('users', 'users.id', 'members.user_id')
    .select(['users.id', 'users.email'])
    .where('members.project_id', '=', project.id)
    .where('users.email', '=', input.email.trim().toLowerCase())
    .executeTakeFirst()
  if (!recipient) return err({ kind: 'not-a-member' })
  await withTransaction(ctx, async (t, trx) => {
    // One open request per project: an earlier one is replaced, as in Healthchecks.
    await clearTransferRequest(trx, project.id)
    await trx
      .updateTable('members')
      .set({ transfer_requested: now })
      .where('project_id', '=', project.id)
      .where('user_id', '=', recipient.id)
      .execute()
    await auditTransfer(
      t,
      'project.transfer_requested',
      { project, actor, subjectUserId: recipient.id, meta: input.meta },
      now,
    )
  })
  const status = await mailStatus(ctx)
  if (status === 'unconfigured' || status === 'degraded') return ok({ recipient, emailed: false })
  const settings = `${ctx.config.siteRoot}/projects/${project.code}/settings/`
  await enqueueMail(
    ctx.db,
    {
      to: recipient.email,
      subject: 'Ownership Transfer Request',
      text: [
        `${actor.email} would like to transfer the ownership of the project "${project.name}" on ${ctx.config.siteName} to you.`,
        '',
        `Accept or reject the request in Project Settings within ${ctx.config.accounts.projectTransferTtlDays} days:`,
        settings,
      ].join('\n'),
    },
    now,
  )
  return ok({ recipient, emailed: true })
}

/** Clears the open request: the owner cancels, or the recipient rejects. */
export async function withdrawTransfer(
  ctx: Ctx,
  input: { project: Project; actor: User; meta?: RequestMeta },
): Promise<Result<'cancelled' | 'rejected', TransferError>> {
  const { project, actor } = input
  const now = ctx.clock.now()
  const pending = await pendingTransfer(ctx, project, now)
  if (!pending) return err({ kind: 'no-request' })
  const how =
    actor.id === project.owner_id ? 'cancelled' : actor.id === pending.userId ? 'rejected' : null
  if (!how) return err({ kind: 'forbidden' })
  await withTransaction(ctx, async (t, trx) => {
    await clearTransferRequest(trx, project.id)
    await auditTransfer(
      t,
      `project.transfer_${how}`,
      { project, actor, subjectUserId: pending.userId, meta: input.meta },
      now,
    )
  })
  return ok(how)
}

/** The recipient takes the project over; the old owner becomes a regular member. */
export async function acceptTransfer(
  ctx: Ctx,
  input: { project: Project; actor: User; meta?: RequestMeta },
): Promise<Result<void, TransferError>> {
  const { project, actor } = input
  const now = ctx.clock.now()
  const pending = await pendingTransfer(ctx, project, now)
  if (!pending || pending.userId !== actor.id) return err({ kind: 'no-request' })
  const done = await withTransaction(ctx, async (t, trx) => {
    // Claim the request: a second accept (or a cancel that got there first) finds nothing.
    const claimed = await trx
      .deleteFrom('members')
      .where('project_id', '=', project.id)
      .where('user_id', '=', actor.id)
      .where('transfer_requested', '=', pending.requestedAt)
      .executeTakeFirst()
    if (Number(claimed.numDeletedRows) === 0) return false
    const moved = await trx
      .updateTable('projects')
      .set({ owner_id: actor.id })
      .where('id', '=', project.id)
      .where('owner_id', '=', project.owner_id)
      .executeTakeFirst()
    if (Number(moved.numUpdatedRows) === 0) throw new Error('project owner changed mid-transfer')
    await clearTransferRequest(trx, project.id)
    await trx
      .insertInto('members')
      .values({
        project_id: project.id,
        user_id: project.owner_id,
        role: 'w',
        created: now,
        invited_by: actor.id,
      })
      .execute()
    await auditTransfer(
      t,
      'project.transfer_accepted',
      { project, actor, subjectUserId: project.owner_id, meta: input.meta },
      now,
    )
    return true
  })
  if (!done) return err({ kind: 'no-request' })
  const oldOwner = await ctx.db.kysely
    .selectFrom('users')
    .select('email')
    .where('id', '=', project.owner_id)
    .executeTakeFirst()
  const change = `The ownership of the project "${project.name}" was transferred from ${oldOwner?.email ?? 'its owner'} to ${actor.email}.`
  if (oldOwner) await notifySecurityChange(ctx, oldOwner.email, change, now)
  await notifySecurityChange(ctx, actor.email, change, now)
  return ok(undefined)
}
