/**
 * Browser sessions, after Lucia's auth_session: the token (32 random bytes) lives only in the
 * `__Host-hc_session` cookie (`hc_session` on plain http; HttpOnly, SameSite=Lax, Path=/, no
 * Domain, Secure on https: spec SE-1); the `sessions` row is keyed by its SHA-256 hex. A session
 * ends 14 days after it was last seen or 30 days after it began, whichever comes first;
 * `last_seen` is written at most once a minute (SE-2). Not here: login, CSRF.
 */
import type { Selectable } from 'kysely'
import type { Config } from '../../config/index.js'
import type { Ctx } from '../../context.js'
import type { SessionsTable, User } from '../../db/index.js'
import { newToken, sha256Hex } from '../../tokens.js'

export type Session = Selectable<SessionsTable>

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
/** A session unused for this long ends (SE-3 idle timeout). */
export const SESSION_IDLE_MS = 14 * DAY_MS
/** No session lives longer than this (SE-3 absolute timeout). */
export const SESSION_MAX_AGE_MS = 30 * DAY_MS
/** `last_seen` (and so the idle deadline) moves at most this often, to spare a write per request (SE-2). */
export const LAST_SEEN_STEP_MS = 60_000

/** newToken() output: 32 bytes as base64url. Anything else is not worth a database lookup. */
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/

/** When a session created at `created` and last seen at `lastSeen` expires. */
export function sessionExpiry(created: number, lastSeen: number): number {
  return Math.min(lastSeen + SESSION_IDLE_MS, created + SESSION_MAX_AGE_MS)
}

/**
 * `amr` entries that prove possession of a token, not who holds it: a one-time sign-in link
 * (mailed, printed by `vigil user login-link`, or redeemed from an invitation). A session that
 * used one never starts with sudo, whatever else was proven with it (issue #11 F1): its holder
 * confirms their identity like everyone else before a protected action.
 */
export const TOKEN_AMR: readonly string[] = ['link']

/** True when a session begun with these methods is a fresh proof of identity (RA-2). */
export function startGrantsSudo(amr: readonly string[]): boolean {
  return amr.length > 0 && !amr.some((m) => TOKEN_AMR.includes(m))
}

/** How a session began: what the user proved, and from where. */
export interface SessionStart {
  /**
   * Methods used, e.g. ['password', 'totp'] (SE-2 `amr`). A full log-in also grants sudo (RA-2),
   * unless a method is a bearer token (TOKEN_AMR).
   */
  amr?: string[]
  ip?: string
  userAgent?: string
}

/** Starts a session for the user; the returned token goes into the cookie and nowhere else. */
export async function createSession(
  ctx: Ctx,
  userId: number,
  start: SessionStart = {},
): Promise<{ token: string; session: Session }> {
  const token = newToken()
  const now = ctx.clock.now()
  const amr = start.amr ?? ['password']
  const sudo = startGrantsSudo(amr)
  const session: Session = {
    id: sha256Hex(token),
    user_id: userId,
    created: now,
    last_seen: now,
    expires: sessionExpiry(now, now),
    // A fresh log-in is a fresh proof of identity: no prompt within SUDO_TTL of it (RA-2). A
    // link is not: whoever holds it would otherwise enrol their own factors at once.
    reauth_at: sudo ? now : null,
    reauth_method: sudo ? (amr[amr.length - 1] ?? 'password') : null,
    amr: amr.join(','),
    ip: start.ip ?? '',
    user_agent: (start.userAgent ?? '').slice(0, 200),
    totp_pending: null,
    totp_pending_at: null,
    oob_code_hash: null,
    oob_code_at: null,
    oob_failures: 0,
  }
  await ctx.db.kysely.insertInto('sessions').values(session).execute()
  return { token, session }
}

/**
 * The session and user a cookie token belongs to, or null when it is unknown or expired (an
 * expired row is deleted on the way). Moves `last_seen` when the last move is a minute old.
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

/**
 * Gives the session a new token (SE-4: on sudo grant and privilege change), keeping everything
 * else; `changes` are applied in the same statement. Returns the new token for the cookie.
 */
export async function rotateSession(
  ctx: Ctx,
  session: Session,
  changes: Partial<Omit<Session, 'id' | 'user_id' | 'created'>> = {},
): Promise<{ token: string; session: Session }> {
  const token = newToken()
  const id = sha256Hex(token)
  await ctx.db.kysely
    .updateTable('sessions')
    .set({ ...changes, id })
    .where('id', '=', session.id)
    .execute()
  return { token, session: { ...session, ...changes, id } }
}

/** The user's live sessions, most recently seen first. */
export function listSessions(ctx: Ctx, userId: number, now: number): Promise<Session[]> {
  return ctx.db.kysely
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('expires', '>', now)
    .orderBy('last_seen', 'desc')
    .orderBy('created', 'desc')
    .execute()
}

/** Ends every session of the user except `keepId` (null: all of them); returns how many ended. */
export async function deleteUserSessions(
  ctx: Ctx,
  userId: number,
  keepId: string | null,
): Promise<number> {
  let q = ctx.db.kysely.deleteFrom('sessions').where('user_id', '=', userId)
  if (keepId !== null) q = q.where('id', '!=', keepId)
  const r = await q.executeTakeFirst()
  return Number(r.numDeletedRows)
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
 * The session cookie's name (SE-1). On https the `__Host-` prefix makes browsers refuse it unless
 * it is Secure, has Path=/ and no Domain, so a sibling subdomain cannot plant or shadow it.
 */
export function sessionCookieName(config: Pick<Config, 'siteRoot'>): string {
  return isSecureSite(config) ? '__Host-hc_session' : 'hc_session'
}

/**
 * Attributes of the session cookie (never a Domain). It lives until the absolute deadline; the
 * server enforces the idle deadline, so the cookie never needs rewriting when `last_seen` moves.
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
