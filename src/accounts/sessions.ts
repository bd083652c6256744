/**
 * Browser sessions, after Lucia's auth_session: the token (32 random bytes) lives only in the
 * `vigil_session` cookie (HttpOnly, SameSite=Lax, Path=/, Secure on https); the `sessions` row is
 * keyed by its SHA-256 hex. A session ends 14 days after it was last seen or 30 days after it
 * began, whichever comes first; `last_seen` is written at most hourly. Not here: login, CSRF.
 */
import type { Selectable } from 'kysely'
import type { Config } from '../config/index.js'
import type { Ctx } from '../context.js'
import type { SessionsTable, User } from '../db/index.js'
import { newToken, sha256Hex } from '../tokens.js'

export type Session = Selectable<SessionsTable>

export const SESSION_COOKIE = 'vigil_session'
const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
/** A session unused for this long ends (SE-3 idle timeout). */
export const SESSION_IDLE_MS = 14 * DAY_MS
/** No session lives longer than this (SE-3 absolute timeout). */
export const SESSION_MAX_AGE_MS = 30 * DAY_MS
/** `last_seen` (and so the idle deadline) moves at most this often, to spare a write per request. */
const LAST_SEEN_STEP_MS = HOUR_MS

/** newToken() output: 32 bytes as base64url. Anything else is not worth a database lookup. */
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/

/** When a session created at `created` and last seen at `lastSeen` expires. */
export function sessionExpiry(created: number, lastSeen: number): number {
  return Math.min(lastSeen + SESSION_IDLE_MS, created + SESSION_MAX_AGE_MS)
}

/** Starts a session for the user; the returned token goes into the cookie and nowhere else. */
export async function createSession(
  ctx: Ctx,
  userId: number,
): Promise<{ token: string; session: Session }> {
  const token = newToken()
  const now = ctx.clock.now()
  const session: Session = {
    id: sha256Hex(token),
    user_id: userId,
    created: now,
    last_seen: now,
    expires: sessionExpiry(now, now),
  }
  await ctx.db.kysely.insertInto('sessions').values(session).execute()
  return { token, session }
}

/**
 * The session and user a cookie token belongs to, or null when it is unknown or expired (an
 * expired row is deleted on the way). Moves `last_seen` when the last move is an hour old.
 */
export async function validateSessionToken(
  ctx: Ctx,
  token: string,
): Promise<{ session: Session; user: User } | null> {
  if (!TOKEN_RE.test(token)) return null
  const id = sha256Hex(token)
  const k = ctx.db.kysely
  const session = await k.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst()
  if (!session) return null
  const now = ctx.clock.now()
  if (now >= session.expires) {
    await deleteSession(ctx, id)
    return null
  }
  const user = await k
    .selectFrom('users')
    .selectAll()
    .where('id', '=', session.user_id)
    .executeTakeFirst()
  if (!user) return null
  if (now - session.last_seen >= LAST_SEEN_STEP_MS) {
    session.last_seen = now
    session.expires = sessionExpiry(session.created, now)
    await k
      .updateTable('sessions')
      .set({ last_seen: session.last_seen, expires: session.expires })
      .where('id', '=', id)
      .execute()
  }
  return { session, user }
}

/** Ends a session (logout). `sessionId` is the row id, i.e. the token's digest. */
export async function deleteSession(ctx: Ctx, sessionId: string): Promise<void> {
  await ctx.db.kysely.deleteFrom('sessions').where('id', '=', sessionId).execute()
}

/** True when cookies must carry `Secure`: the site is served over https. */
export function isSecureSite(config: Pick<Config, 'siteRoot'>): boolean {
  return config.siteRoot.startsWith('https:')
}

/**
 * Attributes of the session cookie. It lives until the absolute deadline; the server enforces
 * the idle deadline, so the cookie never needs rewriting when `last_seen` moves.
 */
export function sessionCookieOptions(
  config: Pick<Config, 'siteRoot'>,
  session: Pick<Session, 'created'>,
) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: isSecureSite(config),
    expires: new Date(session.created + SESSION_MAX_AGE_MS),
  }
}
