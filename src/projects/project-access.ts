/**
 * Who may do what in a project (spec TEAM-1): the owner, members with Healthchecks' roles
 * (`m` manager, `w` member, `r` read-only) and superusers (global rights, audited by callers).
 * One function every page and use case asks, so memberships count everywhere at once. Also the
 * project 2FA policy check (TEAM-3): web pages only; API keys are unaffected.
 */
import type { Ctx } from '../context.js'
import type { MemberRole, Project } from '../db/index.js'

export type ProjectRole = 'owner' | MemberRole | 'superuser'

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** The user's role in the project with this UUID, or null (no access, or no such project). */
export async function projectAccess(
  ctx: Ctx,
  userId: number,
  projectCode: string,
): Promise<ProjectRole | null> {
  if (!UUID_RE.test(projectCode)) return null
  const row = await ctx.db.kysely
    .selectFrom('projects')
    .leftJoin('members', (j) =>
      j.onRef('members.project_id', '=', 'projects.id').on('members.user_id', '=', userId),
    )
    .select(['projects.owner_id', 'members.role'])
    .where('projects.code', '=', projectCode)
    .executeTakeFirst()
  if (!row) return null
  if (row.owner_id === userId) return 'owner'
  if (row.role) return row.role
  const user = await ctx.db.kysely
    .selectFrom('users')
    .select('is_superuser')
    .where('id', '=', userId)
    .executeTakeFirst()
  return user?.is_superuser === 1 ? 'superuser' : null
}

/** Roles that may change checks and integrations (Healthchecks' "rw"). */
export function canWrite(role: ProjectRole | null): boolean {
  return role === 'owner' || role === 'm' || role === 'w' || role === 'superuser'
}

/** Roles that may invite, remove and re-role members (owner and managers). */
export function canManageTeam(role: ProjectRole | null): boolean {
  return role === 'owner' || role === 'm' || role === 'superuser'
}

/**
 * Roles that may see the project's credentials: its API keys and its ping key (issue #11 F6).
 * Not read-only members, as in Healthchecks: the ping key creates checks (`?create=1`).
 */
export function canSeeProjectKeys(role: ProjectRole | null): boolean {
  return canWrite(role)
}

/** What pages say in place of keys a role may not see. */
export const KEYS_HIDDEN_TEXT = {
  apiKeys: 'API keys are hidden for read-only members.',
  pingKey: 'The ping key is hidden for read-only members.',
  slugUrl: 'Slug URLs are hidden for read-only members: they contain the project’s ping key.',
} as const

/** Projects the user owns or is a member of, by name. */
export function listAccessibleProjects(ctx: Ctx, userId: number): Promise<Project[]> {
  return ctx.db.kysely
    .selectFrom('projects')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('owner_id', '=', userId),
        eb('id', 'in', eb.selectFrom('members').select('project_id').where('user_id', '=', userId)),
      ]),
    )
    .orderBy('name')
    .orderBy('id')
    .execute()
}

/**
 * TEAM-3: true when the project requires 2FA and this session's log-in used no second factor
 * (`amr`), nor an OIDC provider whose MFA the operator trusts (OIDC_MFA_AMR). The owner is held
 * to it too: they had to have 2FA to turn it on.
 */
export function blockedByTwoFactorPolicy(
  project: Pick<Project, 'require_2fa'>,
  session: { amr: string },
): boolean {
  if (project.require_2fa !== 1) return false
  const methods = session.amr.split(',')
  // `oidc_mfa`: an OIDC log-in whose provider's amr/acr matched OIDC_MFA_AMR (LG-9).
  return !methods.some(
    (m) => m === 'totp' || m === 'webauthn' || m === 'recovery_code' || m === 'oidc_mfa',
  )
}
