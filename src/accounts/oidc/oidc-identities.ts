/**
 * Queries of `oidc_identities` (LG-9): which user a provider's (issuer, sub) belongs to (ASVS
 * 6.8.1: the pair, never the email), and linking one to a user. Not here: the decisions of when
 * to link or create (oidc-login.ts).
 */
import type { Ctx } from '../../context.js'
import type { OidcIdentity, User } from '../../db/index.js'

/**
 * The issuer as configured and with or without a trailing slash: `iss` must equal the discovered
 * issuer exactly, but OIDC_ISSUER as typed may differ from it by that slash.
 */
export function issuerVariants(issuer: string): string[] {
  const bare = issuer.replace(/\/+$/, '')
  return [...new Set([issuer, bare, `${bare}/`])]
}

/** The user an identity belongs to, with the identity, or undefined. */
export async function findUserByIdentity(
  ctx: Ctx,
  issuer: string,
  subject: string,
): Promise<{ user: User; identity: OidcIdentity } | undefined> {
  const identity = await ctx.db.kysely
    .selectFrom('oidc_identities')
    .selectAll()
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst()
  if (!identity) return undefined
  const user = await ctx.db.kysely
    .selectFrom('users')
    .selectAll()
    .where('id', '=', identity.user_id)
    .executeTakeFirst()
  return user ? { user, identity } : undefined
}

/** True when the user already has an identity at this issuer (one per provider and user). */
export async function hasIdentityAt(ctx: Ctx, userId: number, issuer: string): Promise<boolean> {
  const row = await ctx.db.kysely
    .selectFrom('oidc_identities')
    .select('id')
    .where('user_id', '=', userId)
    .where('issuer', 'in', issuerVariants(issuer))
    .executeTakeFirst()
  return row !== undefined
}

/** Ties (issuer, subject) to the user; false when that identity is already someone's (a race). */
export async function linkIdentity(
  ctx: Ctx,
  input: { userId: number; issuer: string; subject: string; email: string | null },
  now: number,
): Promise<boolean> {
  try {
    await ctx.db.kysely
      .insertInto('oidc_identities')
      .values({
        user_id: input.userId,
        issuer: input.issuer,
        subject: input.subject,
        email: input.email ?? '',
        created: now,
        last_login: now,
      })
      .execute()
    return true
  } catch (e) {
    if (/unique/i.test((e as Error).message)) return false
    throw e
  }
}

export async function touchIdentity(ctx: Ctx, id: number, now: number): Promise<void> {
  await ctx.db.kysely
    .updateTable('oidc_identities')
    .set({ last_login: now })
    .where('id', '=', id)
    .execute()
}
