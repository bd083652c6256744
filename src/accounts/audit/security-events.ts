/**
 * The audit log of security events (spec AU-1/AU-2): who did what to which account, from where.
 * Details never hold secrets. Users read their own events on /account/audit; owners and managers
 * a project's, superusers everyone's (AU-3). Old events are pruned by the worker (AU-4). Healthchecks
 * keeps no such log (issue #349).
 */
import type { Ctx } from '../../context.js'
import type { SecurityEvent } from '../../db/index.js'

/** Where a request came from, for the audit log. */
export interface RequestMeta {
  ip: string
  userAgent: string
  /** The session id (a digest) the request carried, if any; only a prefix is stored. */
  sessionId?: string | null
}

export interface SecurityEventInput {
  type: string
  /** Who acted; null for the operator CLI or an anonymous visitor. */
  actorUserId: number | null
  /** Whose account it concerns. */
  subjectUserId: number | null
  projectId?: number | null
  meta?: RequestMeta
  details?: Record<string, string | number | boolean | null>
}

/**
 * A failed proof of identity by the user themselves (AU-2): for a sudo grant (`reauth.failure`)
 * or at the second log-in step (`login.2fa_failure`), with the method tried and why it failed.
 */
export function recordFailedProof(
  ctx: Ctx,
  userId: number,
  failure: {
    type: 'reauth.failure' | 'login.2fa_failure'
    method: string
    reason: string
    meta: RequestMeta
  },
  now: number,
): Promise<void> {
  return recordSecurityEvent(
    ctx,
    {
      type: failure.type,
      actorUserId: userId,
      subjectUserId: userId,
      meta: failure.meta,
      details: { method: failure.method, reason: failure.reason },
    },
    now,
  )
}

/** A short device summary from a User-Agent header ("Chrome on Linux"), never the whole header. */
export function summariseUserAgent(ua: string): string {
  if (!ua) return ''
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : /^curl\//.test(ua)
            ? 'curl'
            : 'Browser'
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : ''
  return os ? `${browser} on ${os}` : browser
}

/** Writes one event; pass a transaction's ctx to keep it with the change it records (INV-5). */
export async function recordSecurityEvent(
  ctx: Ctx,
  event: SecurityEventInput,
  now: number,
): Promise<void> {
  await ctx.db.kysely
    .insertInto('security_events')
    .values({
      ts: now,
      actor_user_id: event.actorUserId,
      subject_user_id: event.subjectUserId,
      project_id: event.projectId ?? null,
      type: event.type,
      ip: event.meta?.ip ?? '',
      ua_summary: summariseUserAgent(event.meta?.userAgent ?? ''),
      session_ref: (event.meta?.sessionId ?? '').slice(0, 8),
      details: JSON.stringify(event.details ?? {}),
    })
    .execute()
}

/** The newest events about a user (AU-3: users see their own). */
export function listSecurityEvents(
  ctx: Ctx,
  userId: number,
  limit = 100,
): Promise<SecurityEvent[]> {
  return ctx.db.kysely
    .selectFrom('security_events')
    .selectAll()
    .where('subject_user_id', '=', userId)
    .orderBy('ts', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

/** The newest events of one project (AU-3: its owner and managers see them). */
export function listProjectSecurityEvents(
  ctx: Ctx,
  projectId: number,
  limit = 100,
): Promise<SecurityEvent[]> {
  return ctx.db.kysely
    .selectFrom('security_events')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('ts', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

/** The newest events of the whole server (AU-3: superusers only). */
export function listAllSecurityEvents(ctx: Ctx, limit = 200): Promise<SecurityEvent[]> {
  return ctx.db.kysely
    .selectFrom('security_events')
    .selectAll()
    .orderBy('ts', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

/** Deletes events older than the retention period (AU-4); returns how many went. */
export async function pruneSecurityEvents(ctx: Ctx, now: number): Promise<number> {
  const cutoff = now - ctx.config.accounts.auditRetentionDays * 86_400_000
  const r = await ctx.db.kysely
    .deleteFrom('security_events')
    .where('ts', '<', cutoff)
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}
