/**
 * Use case: redeem an invitation's sign-up link (issue #11 F1). The link names an address, a
 * project and a role, never a user: it creates a *new* account for that address with the password
 * chosen here, adds it to the project and signs it in without sudo (a link is a bearer token,
 * sessions.ts TOKEN_AMR). Once the address has an account, by whatever route, the link signs no
 * one in: that person logs in their own way and is invited again (then added directly).
 * Healthchecks' invitation links instead log in the account the invitation created.
 */

import type { PasswordProblem } from '../accounts/index.js'
import {
  createUser,
  findUserByEmail,
  type RequestMeta,
  recordSecurityEvent,
  type Session,
  startLoginSession,
} from '../accounts/index.js'
import type { Ctx } from '../context.js'
import type { Project, User } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { sha256Hex } from '../tokens.js'

const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/

export type InvitationError =
  | { kind: 'link-invalid' }
  /** The address has an account now: the link opens nothing. */
  | { kind: 'account-exists' }
  | PasswordProblem

export interface InvitationInfo {
  email: string
  project: Pick<Project, 'name'>
}

async function findInvitation(ctx: Ctx, token: string, now: number) {
  if (!TOKEN_RE.test(token)) return null
  const row = await ctx.db.kysely
    .selectFrom('invitation_signups')
    .innerJoin('projects', 'projects.id', 'invitation_signups.project_id')
    .selectAll('invitation_signups')
    .select('projects.name as project_name')
    .where('invitation_signups.id', '=', sha256Hex(token))
    .executeTakeFirst()
  return row && row.expires > now ? row : null
}

/** What the sign-up page shows for a link: the address and project, or why it cannot be used. */
export async function describeInvitation(
  ctx: Ctx,
  token: string,
): Promise<Result<InvitationInfo, InvitationError>> {
  const row = await findInvitation(ctx, token, ctx.clock.now())
  if (!row) return err({ kind: 'link-invalid' })
  if (await findUserByEmail(ctx, row.email)) return err({ kind: 'account-exists' })
  return ok({ email: row.email, project: { name: row.project_name } })
}

export interface InvitationAccepted {
  user: User
  project: Pick<Project, 'code' | 'name'>
  session: Session
  /** For the session cookie only. */
  token: string
}

export async function acceptInvitation(
  ctx: Ctx,
  input: { token: string; password: string; meta: RequestMeta },
): Promise<Result<InvitationAccepted, InvitationError>> {
  const now = ctx.clock.now()
  const row = await findInvitation(ctx, input.token, now)
  if (!row) return err({ kind: 'link-invalid' })
  // The unique index on users.email makes this the check that counts: an address that has an
  // account (made before or concurrently) gets nothing from the link.
  const created = await createUser(ctx, { email: row.email, password: input.password })
  if (!created.ok) {
    if (created.error.kind === 'email-taken') return err({ kind: 'account-exists' })
    if (created.error.kind === 'invalid-email') return err({ kind: 'link-invalid' })
    // A refused password keeps the link, so the person can choose another.
    return err(created.error)
  }
  const user = created.value
  // Single use: read and delete in one statement; losing this race undoes the account.
  const used = await ctx.db.kysely
    .deleteFrom('invitation_signups')
    .where('id', '=', row.id)
    .returning('id')
    .executeTakeFirst()
  if (!used) {
    await ctx.db.kysely.deleteFrom('users').where('id', '=', user.id).execute()
    return err({ kind: 'link-invalid' })
  }
  // A link shown to the inviter proves nothing about the address; a mailed one does.
  const verified = row.mailed === 1 ? 1 : 0
  await ctx.db.kysely
    .updateTable('users')
    .set({ email_verified: verified })
    .where('id', '=', user.id)
    .execute()
  await ctx.db.kysely
    .insertInto('members')
    .values({
      project_id: row.project_id,
      user_id: user.id,
      role: row.role,
      created: now,
      invited_by: row.invited_by,
    })
    .execute()
  const project = await ctx.db.kysely
    .selectFrom('projects')
    .select(['code', 'name'])
    .where('id', '=', row.project_id)
    .executeTakeFirstOrThrow()
  await recordSecurityEvent(
    ctx,
    {
      type: 'account.created',
      actorUserId: user.id,
      subjectUserId: user.id,
      projectId: row.project_id,
      meta: input.meta,
      details: { invitation: true, invited_by: row.invited_by },
    },
    now,
  )
  // A link is a bearer token: the session starts without sudo (sessions.ts TOKEN_AMR).
  const s = await startLoginSession(
    ctx,
    user,
    { amr: ['link'], meta: input.meta, details: { method: 'invitation' } },
    now,
  )
  return ok({ user: { ...user, email_verified: verified }, project, ...s })
}
