/**
 * Use cases: end one of the user's other sessions, all of them (SE-5, sudo for "all" at the
 * route), or, for the operator, every session of a user or of everyone (SE-7). Each is audited.
 */
import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { type RequestMeta, recordSecurityEvent } from '../audit/security-events.js'
import { deleteUserSessions } from './sessions.js'

/** Ends the user's session whose id starts with `ref` (never the current one); false if none. */
export async function revokeSession(
  ctx: Ctx,
  input: { user: User; ref: string; currentSessionId: string; meta: RequestMeta },
): Promise<boolean> {
  if (!/^[0-9a-f]{16}$/.test(input.ref) || input.currentSessionId.startsWith(input.ref))
    return false
  const r = await ctx.db.kysely
    .deleteFrom('sessions')
    .where('user_id', '=', input.user.id)
    .where('id', 'like', `${input.ref}%`)
    .executeTakeFirst()
  if (Number(r.numDeletedRows) === 0) return false
  await recordSecurityEvent(
    ctx,
    {
      type: 'session.revoked',
      actorUserId: input.user.id,
      subjectUserId: input.user.id,
      meta: input.meta,
      details: { session_ref: input.ref.slice(0, 8) },
    },
    ctx.clock.now(),
  )
  return true
}

/** Ends every session of the user but `keepId` (null: all); returns how many ended. */
export async function revokeUserSessions(
  ctx: Ctx,
  input: { user: User; keepId: string | null; actorUserId: number | null; meta: RequestMeta },
): Promise<number> {
  const n = await deleteUserSessions(ctx, input.user.id, input.keepId)
  await recordSecurityEvent(
    ctx,
    {
      type: 'session.revoked',
      actorUserId: input.actorUserId,
      subjectUserId: input.user.id,
      meta: input.meta,
      details: { count: n },
    },
    ctx.clock.now(),
  )
  return n
}

/** Ends every session of every user (operator CLI, `--all`); returns how many ended. */
export async function revokeAllSessions(ctx: Ctx, meta: RequestMeta): Promise<number> {
  const r = await ctx.db.kysely.deleteFrom('sessions').executeTakeFirst()
  const n = Number(r.numDeletedRows)
  await recordSecurityEvent(
    ctx,
    {
      type: 'session.revoked',
      actorUserId: null,
      subjectUserId: null,
      meta,
      details: { count: n, all: true },
    },
    ctx.clock.now(),
  )
  return n
}
