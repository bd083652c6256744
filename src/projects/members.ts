/**
 * Use cases of a project's team (spec TEAM-1…3): invite (an existing account is added at once, as
 * in Healthchecks, and only told by mail; a new address gets a sign-up link, mailed when mail can
 * go, else shown to the inviter to hand over; never a sign-in link: issue #11 F1), remove, change
 * role, and the project's 2FA policy. Owners
 * and managers run the team; only the owner sets the policy. Ownership transfer (TEAM-4) is in
 * transfer-ownership.ts.
 */

import {
  findUserByEmail,
  hasSecondFactor,
  isEmailAddress,
  loadFactors,
  normalizeEmail,
  type RequestMeta,
  recordRateLimitBlock,
  recordSecurityEvent,
} from '../accounts/index.js'
import type { Ctx } from '../context.js'
import type { MemberRole, Project, User } from '../db/index.js'
import { enqueueMail, mailStatus } from '../mail/index.js'
import { err, ok, type Result } from '../result.js'
import { newToken, sha256Hex } from '../tokens.js'
import { canManageTeam, projectAccess } from './project-access.js'

/** RL-I1: invitations per inviter per 24 hours (Healthchecks' parity). */
export const INVITES_PER_DAY = 20
/** An invitation's sign-up link lasts a week (a copied link may wait for its reader). */
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
  email: string
  /**
   * `added`: the address had an account, which is now a member (nothing else changed for it);
   * `signup`: it had none, and a sign-up link for it was mailed or, when mail cannot go, is
   * handed to the inviter (`link`).
   */
  outcome: 'added' | 'signup'
  /** A notice or the sign-up link was queued for mail. */
  emailed: boolean
  /** Only for a new address whose mail cannot go: a one-time sign-up link to hand over. */
  link: string | null
}

/**
 * The sign-up link of an invitation: it names the address, project and role, never a user, so
 * redeeming it can only create a new account (accept-invitation.ts).
 */
async function issueSignupLink(
  ctx: Ctx,
  input: { email: string; project: Project; role: MemberRole; inviter: User; mailed: boolean },
  now: number,
): Promise<string> {
  const token = newToken()
  await ctx.db.kysely.deleteFrom('invitation_signups').where('expires', '<=', now).execute()
  await ctx.db.kysely
    .insertInto('invitation_signups')
    .values({
      id: sha256Hex(token),
      email: input.email,
      project_id: input.project.id,
      role: input.role,
      invited_by: input.inviter.id,
      mailed: input.mailed ? 1 : 0,
      created: now,
      expires: now + INVITE_LINK_TTL_MS,
    })
    .execute()
  return `${ctx.config.siteRoot}/signup/invitation?token=${token}`
}

/** RL-I1 counts members added and sign-up links made by the inviter in the last 24 hours. */
async function invitesSince(ctx: Ctx, inviterId: number, since: number): Promise<number> {
  const [members, links] = await Promise.all([
    ctx.db.kysely
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('invited_by', '=', inviterId)
      .where('created', '>', since)
      .executeTakeFirstOrThrow(),
    ctx.db.kysely
      .selectFrom('invitation_signups')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('invited_by', '=', inviterId)
      .where('created', '>', since)
      .executeTakeFirstOrThrow(),
  ])
  return Number(members.n) + Number(links.n)
}

/**
 * Invites an address (TEAM-2). An invitation never yields a credential for an existing account
 * (issue #11 F1): an address with an account becomes a member at once, as in Healthchecks, and
 * is told by mail when mail works; nothing lets the inviter in as them. An address without one
 * gets a sign-up link that can only create a new account for it, mailed when mail can go and
 * otherwise shown to the inviter to hand over.
 */
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
  if ((await invitesSince(ctx, inviter.id, now - DAY_MS)) >= INVITES_PER_DAY) {
    const block = { rule: 'RL-I1', key: `invite:${inviter.id}`, windowMs: DAY_MS }
    await recordRateLimitBlock(ctx, { ...block, subjectUserId: inviter.id, ip: input.meta.ip }, now)
    return err({ kind: 'rate-limited' })
  }

  const email = normalizeEmail(input.email)
  if (!isEmailAddress(email)) return err({ kind: 'invalid-email' })
  const member = await findUserByEmail(ctx, email)
  const status = await mailStatus(ctx)
  const mailCanGo = status !== 'unconfigured' && status !== 'degraded'
  const site = ctx.config.siteName
  if (!member) {
    const link = await issueSignupLink(
      ctx,
      { email, project, role: input.role, inviter, mailed: mailCanGo },
      now,
    )
    await recordSecurityEvent(
      ctx,
      {
        type: 'member.invited',
        actorUserId: inviter.id,
        subjectUserId: null,
        projectId: project.id,
        meta: input.meta,
        details: { role: input.role, email, signup: true, emailed: mailCanGo },
      },
      now,
    )
    if (!mailCanGo) return ok({ email, outcome: 'signup', emailed: false, link })
    await enqueueMail(
      ctx.db,
      {
        to: email,
        unverifiedRecipient: true,
        subject: `You are invited to ${project.name} on ${site}`,
        text: [
          `${inviter.email} invited you to the project "${project.name}" on ${site}.`,
          '',
          'Create your account with this link (it works once, within 7 days):',
          link,
          '',
          "If you don't know the sender, you can ignore this message.",
        ].join('\n'),
      },
      now,
    )
    return ok({ email, outcome: 'signup', emailed: true, link: null })
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
  if (status === 'unconfigured') return ok({ email, outcome: 'added', emailed: false, link: null })
  // A notice, never a link: they sign in their own way. Queued even while mail is degraded (the
  // outbox retries), since it carries nothing anyone could use.
  await enqueueMail(
    ctx.db,
    {
      to: member.email,
      unverifiedRecipient: member.email_verified !== 1,
      subject: `You have been added to ${project.name} on ${site}`,
      text: [
        `${inviter.email} added you to the project "${project.name}" on ${site}.`,
        '',
        `Sign in as usual at ${ctx.config.siteRoot}/login to see it.`,
        "If you don't want to be on the team, you can leave it in the project's settings.",
      ].join('\n'),
    },
    now,
  )
  return ok({ email, outcome: 'added', emailed: mailCanGo, link: null })
}

/** An invited address that has not created its account yet (its sign-up link is still good). */
export interface PendingInvitation {
  email: string
  role: MemberRole
  expires: number
}

export async function listPendingInvitations(
  ctx: Ctx,
  project: Project,
  now: number,
): Promise<PendingInvitation[]> {
  return ctx.db.kysely
    .selectFrom('invitation_signups')
    .select(['email', 'role', 'expires'])
    .where('project_id', '=', project.id)
    .where('expires', '>', now)
    .orderBy('email')
    .orderBy('expires')
    .execute()
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
