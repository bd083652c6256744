/**
 * Use cases of a project's API keys (spec AK-2): list them (never the keys, only when and by whom
 * they were made and last used), create or replace the read-write or read-only key (rw role;
 * the route demands sudo; the plain key is returned once), and revoke one (rw role, no sudo).
 * Each change is audited (`apikey.created`, `apikey.revoked`) in its transaction and creation is
 * a security notice (NT-1). Healthchecks' project settings `create_key` / `revoke_key`.
 */
import { notifySecurityChange, type RequestMeta, recordSecurityEvent } from '../accounts/index.js'
import type { Ctx } from '../context.js'
import { type Project, type User, withTransaction } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { newHashedApiKey } from './api-key-hash.js'
import { canWrite, projectAccess } from './project-access.js'

export type ApiKeyKind = 'rw' | 'ro'

export function isApiKeyKind(v: string): v is ApiKeyKind {
  return v === 'rw' || v === 'ro'
}

export const API_KEY_KIND_NAMES: Record<ApiKeyKind, string> = {
  rw: 'read-write',
  ro: 'read-only',
}

/** Longest expiry offered: ten years, in days. */
export const MAX_EXPIRY_DAYS = 3650
const DAY_MS = 86_400_000

export type ApiKeyError =
  | { kind: 'forbidden' }
  | { kind: 'invalid-expiry' }
  | { kind: 'key-not-found' }

export interface ApiKeyInfo {
  kind: ApiKeyKind
  createdAt: number
  createdBy: string | null
  lastUsedAt: number | null
  expiresAt: number | null
  /** Stored the pre-AK-1 way (a plain 32-character key's digest). */
  legacy: boolean
}

export async function listApiKeys(ctx: Ctx, projectId: number): Promise<ApiKeyInfo[]> {
  const rows = await ctx.db.kysely
    .selectFrom('api_keys')
    .leftJoin('users', 'users.id', 'api_keys.created_by')
    .select([
      'api_keys.readonly',
      'api_keys.stored',
      'api_keys.created_at',
      'api_keys.last_used_at',
      'api_keys.expires_at',
      'users.email',
    ])
    .where('api_keys.project_id', '=', projectId)
    .orderBy('api_keys.readonly')
    .execute()
  return rows.map((r) => ({
    kind: r.readonly === 1 ? 'ro' : 'rw',
    createdAt: r.created_at,
    createdBy: r.email ?? null,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    legacy: !r.stored.includes('.'),
  }))
}

/** Parses the "expires after N days" field: empty = never. */
export function parseExpiryDays(raw: string): number | null | undefined {
  const v = raw.trim()
  if (v === '') return null
  if (!/^\d{1,4}$/.test(v)) return undefined
  const n = Number(v)
  return n >= 1 && n <= MAX_EXPIRY_DAYS ? n : undefined
}

export interface CreatedApiKey {
  /** The plain key: shown once, never stored. */
  key: string
  kind: ApiKeyKind
  expiresAt: number | null
  /** The NT-1 notice was queued for mail. */
  notified: boolean
}

/**
 * Stores a new key of `kind` in place of the current one (the old key stops working at once).
 * `expiresInDays` null = never.
 */
export async function createApiKey(
  ctx: Ctx,
  input: {
    project: Project
    actor: User
    kind: ApiKeyKind
    expiresInDays: number | null
    meta?: RequestMeta
  },
): Promise<Result<CreatedApiKey, ApiKeyError>> {
  const { project, actor, kind } = input
  if (!canWrite(await projectAccess(ctx, actor.id, project.code))) return err({ kind: 'forbidden' })
  const days = input.expiresInDays
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > MAX_EXPIRY_DAYS))
    return err({ kind: 'invalid-expiry' })
  const now = ctx.clock.now()
  const expiresAt = days === null ? null : now + days * DAY_MS
  const made = newHashedApiKey(kind === 'ro' ? 'hcr_' : 'hcw_', ctx.config.accounts.apiKeyHmacKey)
  await withTransaction(ctx, async (t, trx) => {
    const replaced = await trx
      .deleteFrom('api_keys')
      .where('project_id', '=', project.id)
      .where('readonly', '=', kind === 'ro' ? 1 : 0)
      .executeTakeFirst()
    await trx
      .insertInto('api_keys')
      .values({
        project_id: project.id,
        readonly: kind === 'ro' ? 1 : 0,
        lookup: made.lookup,
        stored: made.stored,
        created_by: actor.id,
        created_at: now,
        expires_at: expiresAt,
      })
      .execute()
    await recordSecurityEvent(
      t,
      {
        type: 'apikey.created',
        actorUserId: actor.id,
        subjectUserId: actor.id,
        projectId: project.id,
        meta: input.meta,
        details: {
          kind,
          expires_at: expiresAt,
          replaced: Number(replaced.numDeletedRows) > 0,
        },
      },
      now,
    )
  })
  const notified = await notifySecurityChange(
    ctx,
    actor.email,
    `A ${API_KEY_KIND_NAMES[kind]} API key was created for the project "${project.name}".`,
    now,
  )
  return ok({ key: made.key, kind, expiresAt, notified })
}

export async function revokeApiKey(
  ctx: Ctx,
  input: { project: Project; actor: User; kind: ApiKeyKind; meta?: RequestMeta },
): Promise<Result<void, ApiKeyError>> {
  const { project, actor, kind } = input
  if (!canWrite(await projectAccess(ctx, actor.id, project.code))) return err({ kind: 'forbidden' })
  const now = ctx.clock.now()
  return withTransaction(ctx, async (t, trx) => {
    const r = await trx
      .deleteFrom('api_keys')
      .where('project_id', '=', project.id)
      .where('readonly', '=', kind === 'ro' ? 1 : 0)
      .executeTakeFirst()
    if (Number(r.numDeletedRows) === 0) return err({ kind: 'key-not-found' })
    await recordSecurityEvent(
      t,
      {
        type: 'apikey.revoked',
        actorUserId: actor.id,
        subjectUserId: actor.id,
        projectId: project.id,
        meta: input.meta,
        details: { kind },
      },
      now,
    )
    return ok(undefined)
  })
}
