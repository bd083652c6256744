/**
 * Use cases of a project's team (spec TEAM-1…3): invite (the member is added at once, as in
 * Healthchecks; an invitation goes through the outbox when mail can go, else the inviter gets a
 * one-time sign-in link to hand over), remove, change role, and the project's 2FA policy. Owners
 * and managers run the team; only the owner sets the policy. Ownership transfer (TEAM-4) is in
 * transfer-ownership.ts.
 */

import { createUser, findUserByEmail, normalizeEmail } from '../accounts/create-user.js'
import { loadFactors } from '../accounts/factors.js'
import { recordRateLimitBlock } from '../accounts/rate-limit-audit.js'
import { hasSecondFactor } from '../accounts/reauth-methods.js'
import { type RequestMeta, recordSecurityEvent } from '../accounts/security-events.js'
import type { Ctx } from '../context.js'
import type { MemberRole, Project, User } from '../db/index.js'
import { mailStatus } from '../doctor/mail-status.js'
import { enqueueMail } from '../mail/index.js'
import { err, ok, type Result } from '../result.js'
import { newToken, sha256Hex } from '../tokens.js'
import { canManageTeam, projectAccess } from './project-access.js'

/** RL-I1: invitations per inviter per 24 hours (Healthchecks' parity). */
export const INVITES_PER_DAY = 20
/** An invitation's sign-in link lasts a week (a copied link may wait for its reader). */
export const INVITE_LINK_TTL_MS = 7 * 24 * 3_600_000
const DAY_MS = 24 * 3_600_000

export const ROLE_NAMES: Record<MemberRole, string> = {
  w: 'Member',
  r: 'Read-only',
  m: 'Manager',
}

export function isMemberRole(v: string): v is MemberRole {
  return v === 'w' || v === 'r' || v === 'm'
}

export type TeamError =
  | { kind: 'forbidden' }
  | { kind: 'invalid-email' }
  | { kind: 'already-member' }
  | { kind: 'rate-limited' }
  | { kind: 'member-not-found' }
  | { kind: 'owner-needs-2fa' }

export interface Invited {
  member: User
  /** The invitation was queued for mail. */
  emailed: boolean
  /** When it could not be: a one-time sign-in link for the inviter to hand over (TEAM-2). */
  link: string | null
}

async function issueInviteLink(ctx: Ctx, user: User, now: number): Promise<string> {
  const token = newToken()
  await ctx.db.kysely
    .insertInto('login_links')
    .values({
      id: sha256Hex(token),
      user_id: user.id,
      created: now,
      expires: now + INVITE_LINK_TTL_MS,
    })
    .execute()
  return `${ctx.config.siteRoot}/login/link?token=${token}`
}

export async function inviteMember(
  ctx: Ctx,
  input: {
    project: Project
    inviter: User
    email: string
    role: MemberRole
    meta: RequestMeta
  },
): Promise<Result<Invited, TeamError>> {
  const now = ctx.clock.now()
  const { project, inviter } = input
  if (!canManageTeam(await projectAccess(ctx, inviter.id, project.code)))
    return err({ kind: 'forbidden' })
  const recent = await ctx.db.kysely
    .selectFrom('members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('invited_by', '=', inviter.id)
    .where('created', '>', now - DAY_MS)
    .executeTakeFirstOrThrow()
  if (Number(recent.n) >= INVITES_PER_DAY) {
    const block = { rule: 'RL-I1', key: `invite:${inviter.id}`, windowMs: DAY_MS }
    await recordRateLimitBlock(ctx, { ...block, subjectUserId: inviter.id, ip: input.meta.ip }, now)
    return err({ kind: 'rate-limited' })
  }

  const email = normalizeEmail(input.email)
  let member = await findUserByEmail(ctx, email)
  if (!member) {
    const created = await createUser(ctx, { email, password: null })
    if (!created.ok) return err({ kind: 'invalid-email' })
    member = created.value
  }
  if (member.id === project.owner_id) return err({ kind: 'already-member' })
  const exists = await ctx.db.kysely
    .selectFrom('members')
    .select('id')
    .where('project_id', '=', project.id)
    .where('user_id', '=', member.id)
    .executeTakeFirst()
  if (exists) return err({ kind: 'already-member' })

  await ctx.db.kysely
    .insertInto('members')
    .values({
      project_id: project.id,
      user_id: member.id,
      role: input.role,
      created: now,
      invited_by: inviter.id,
    })
    .execute()
  await recordSecurityEvent(
    ctx,
    {
      type: 'member.invited',
      actorUserId: inviter.id,
      subjectUserId: member.id,
      projectId: project.id,
      meta: input.meta,
      details: { role: input.role },
    },
    now,
  )
  const status = await mailStatus(ctx)
  const link = await issueInviteLink(ctx, member, now)
  if (status === 'unconfigured' || status === 'degraded')
    return ok({ member, emailed: false, link })
  await enqueueMail(
    ctx.db,
    {
      to: member.email,
      subject: `You have been added to ${project.name} on ${ctx.config.siteName}`,
      text: [
        `${inviter.email} added you to the project "${project.name}" on ${ctx.config.siteName}.`,
        '',
        'Sign in with this link (it works once, within 7 days):',
        link,
        '',
        `Later, sign in at ${ctx.config.siteRoot}/login`,
      ].join('\n'),
    },
    now,
  )
  return ok({ member, emailed: true, link: null })
}

export interface MemberRow {
  userId: number
  email: string
  role: MemberRole
  /** TEAM-3: shown to owners and managers. */
  twoFactor: boolean
}

export async function listMembers(ctx: Ctx, project: Project): Promise<MemberRow[]> {
  const rows = await ctx.db.kysely
    .selectFrom('members')
    .innerJoin('users', 'users.id', 'members.user_id')
    .select(['users.id', 'users.email', 'users.password_hash', 'members.role'])
    .where('members.project_id', '=', project.id)
    .orderBy('users.email')
    .execute()
  return Promise.all(
    rows.map(async (r) => ({
      userId: r.id,
      email: r.email,
      role: r.role,
      twoFactor: hasSecondFactor(
        await loadFactors(ctx, { id: r.id, password_hash: r.password_hash }),
      ),
    })),
  )
}

export async function removeMember(
  ctx: Ctx,
  input: { project: Project; actor: User; userId: number; meta: RequestMeta },
): Promise<Result<void, TeamError>> {
  const { project, actor } = input
  // Anyone may leave; removing others takes an owner or manager.
  if (actor.id !== input.userId && !canManageTeam(await projectAccess(ctx, actor.id, project.code)))
    return err({ kind: 'forbidden' })
  const r = await ctx.db.kysely
    .deleteFrom('members')
    .where('project_id', '=', project.id)
    .where('user_id', '=', input.userId)
    .executeTakeFirst()
  if (Number(r.numDeletedRows) === 0) return err({ kind: 'member-not-found' })
  await recordSecurityEvent(
    ctx,
    {
      type: 'member.removed',
      actorUserId: actor.id,
      subjectUserId: input.userId,
      projectId: project.id,
      meta: input.meta,
    },
    ctx.clock.now(),
  )
  return ok(undefined)
}

export async function changeMemberRole(
  ctx: Ctx,
  input: { project: Project; actor: User; userId: number; role: MemberRole; meta: RequestMeta },
): Promise<Result<void, TeamError>> {
  const { project, actor } = input
  if (!canManageTeam(await projectAccess(ctx, actor.id, project.code)))
    return err({ kind: 'forbidden' })
  const r = await ctx.db.kysely
    .updateTable('members')
    .set({ role: input.role })
    .where('project_id', '=', project.id)
    .where('user_id', '=', input.userId)
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) === 0) return err({ kind: 'member-not-found' })
  await recordSecurityEvent(
    ctx,
    {
      type: 'member.role_changed',
      actorUserId: actor.id,
      subjectUserId: input.userId,
      projectId: project.id,
      meta: input.meta,
      details: { role: input.role },
    },
    ctx.clock.now(),
  )
  return ok(undefined)
}

/**
 * TEAM-3: only the owner changes the policy (the route demands sudo; class D to turn it off),
 * and only with 2FA of their own.
 */
export async function setProjectTwoFactor(
  ctx: Ctx,
  input: { project: Project; actor: User; required: boolean; meta: RequestMeta },
): Promise<Result<void, TeamError>> {
  const { project, actor } = input
  if (project.owner_id !== actor.id) return err({ kind: 'forbidden' })
  if (input.required && !hasSecondFactor(await loadFactors(ctx, actor)))
    return err({ kind: 'owner-needs-2fa' })
  await ctx.db.kysely
    .updateTable('projects')
    .set({ require_2fa: input.required ? 1 : 0 })
    .where('id', '=', project.id)
    .execute()
  await recordSecurityEvent(
    ctx,
    {
      type: 'project.2fa_policy_changed',
      actorUserId: actor.id,
      subjectUserId: actor.id,
      projectId: project.id,
      meta: input.meta,
      details: { required: input.required },
    },
    ctx.clock.now(),
  )
  return ok(undefined)
}
