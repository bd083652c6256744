/**
 * One-time sign-in links the operator makes with `vigil user login-link` (spec 5.16), for users
 * who cannot receive mail or have no password. 32 random bytes, stored as SHA-256, single use
 * (read and deleted in one statement). The second factor is still asked for (LG-3), as after
 * Healthchecks' e-mailed login links, and the session never starts with sudo (amr `link`, see
 * sessions.ts TOKEN_AMR): whoever holds a link confirms their identity before a protected action.
 */
import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { err, ok, type Result } from '../../result.js'
import { newToken, sha256Hex } from '../../tokens.js'
import { type RequestMeta, recordSecurityEvent } from '../audit/security-events.js'
import type { Session } from '../sessions/sessions.js'
import { startLoginSession } from './login-session.js'
import { startPendingLoginIfDue } from './pending-logins.js'

export const DEFAULT_LOGIN_LINK_TTL_MS = 15 * 60_000

/** Stores a new link for the user and returns its URL (printed once, stored nowhere). */
export async function issueLoginLink(ctx: Ctx, user: User, ttlMs: number): Promise<string> {
  const now = ctx.clock.now()
  const token = newToken()
  await ctx.db.kysely.deleteFrom('login_links').where('expires', '<=', now).execute()
  await ctx.db.kysely
    .insertInto('login_links')
    .values({ id: sha256Hex(token), user_id: user.id, created: now, expires: now + ttlMs })
    .execute()
  await recordSecurityEvent(
    ctx,
    {
      type: 'admin.login_link_issued',
      actorUserId: null,
      subjectUserId: user.id,
      details: { ttl_minutes: Math.round(ttlMs / 60_000) },
    },
    now,
  )
  return `${ctx.config.siteRoot}/login/link?token=${token}`
}

export type LinkLogIn =
  | { step: 'done'; user: User; session: Session; token: string }
  | { step: 'second-factor'; user: User; pendingToken: string }

/** Uses a link: a session, or a pending log-in when the user has a second factor. */
export async function logInWithLink(
  ctx: Ctx,
  token: string,
  meta: RequestMeta,
): Promise<Result<LinkLogIn, { kind: 'link-invalid' }>> {
  const now = ctx.clock.now()
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return err({ kind: 'link-invalid' })
  const row = await ctx.db.kysely
    .deleteFrom('login_links')
    .where('id', '=', sha256Hex(token))
    .returningAll()
    .executeTakeFirst()
  if (!row || row.expires <= now) return err({ kind: 'link-invalid' })
  const user = await ctx.db.kysely
    .selectFrom('users')
    .selectAll()
    .where('id', '=', row.user_id)
    .executeTakeFirst()
  if (!user) return err({ kind: 'link-invalid' })
  const pending = await startPendingLoginIfDue(ctx, user, 'link', now)
  if (pending) return ok({ step: 'second-factor', user, pendingToken: pending.token })
  const s = await startLoginSession(
    ctx,
    user,
    { amr: ['link'], meta, details: { method: 'link' } },
    now,
  )
  return ok({ step: 'done', user, ...s })
}
