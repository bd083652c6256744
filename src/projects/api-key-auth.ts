/**
 * Finds the project an API key belongs to, as Healthchecks' `authorize` / `authorize_read`
 * decorators do: keys are 32 characters (anything else is "missing api key"), and a read-only
 * key opens only read-only endpoints. Hashed keys (hcw_/hcr_) are found by their 8 secret
 * characters and compared by HMAC (api-key-hash.ts); legacy keys by their SHA-256 digest. An
 * expired key is a wrong key (AK-2); a key's last use is recorded at most once an hour.
 */
import type { Ctx } from '../context.js'
import type { Project } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { lookupCandidates, matchesStoredKey } from './api-key-hash.js'

export type ApiKeyError = { kind: 'missing-api-key' } | { kind: 'wrong-api-key' }

export interface ApiKeyProject {
  project: Project
  /** The key is the project's read-only key. */
  readonly: boolean
}

/** last_used_at is written at most this often (AK-2), so reads stay reads. */
export const LAST_USED_RESOLUTION_MS = 3_600_000

/** Healthchecks measures the key in code points (Python's len). */
function keyLength(key: string): number {
  let n = 0
  for (const _ of key) n++
  return n
}

/**
 * The project of `key`. With `acceptReadonly` false (read-write endpoints), a read-only key is a
 * wrong key, exactly as Healthchecks answers it.
 */
export async function findProjectByApiKey(
  ctx: Ctx,
  key: string,
  acceptReadonly: boolean,
): Promise<Result<ApiKeyProject, ApiKeyError>> {
  if (keyLength(key) !== 32) return err({ kind: 'missing-api-key' })
  const k = ctx.db.kysely
  let q = k
    .selectFrom('api_keys')
    .select(['id', 'project_id', 'readonly', 'stored', 'last_used_at', 'expires_at'])
    .where('lookup', 'in', lookupCandidates(key))
  if (!acceptReadonly) q = q.where('readonly', '=', 0)
  const rows = await q.execute()
  const hmacKey = ctx.config.accounts.apiKeyHmacKey
  const row = rows.find((r) =>
    matchesStoredKey(key, { stored: r.stored, readonly: r.readonly === 1 }, hmacKey),
  )
  if (!row) return err({ kind: 'wrong-api-key' })
  const now = ctx.clock.now()
  if (row.expires_at !== null && now >= row.expires_at) return err({ kind: 'wrong-api-key' })
  const project = await k
    .selectFrom('projects')
    .selectAll()
    .where('id', '=', row.project_id)
    .executeTakeFirst()
  if (!project) return err({ kind: 'wrong-api-key' })
  if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_RESOLUTION_MS) {
    // Conditional: of several requests in the same hour, one writes and the rest do nothing.
    await k
      .updateTable('api_keys')
      .set({ last_used_at: now })
      .where('id', '=', row.id)
      .where((eb) =>
        eb.or([
          eb('last_used_at', 'is', null),
          eb('last_used_at', '<=', now - LAST_USED_RESOLUTION_MS),
        ]),
      )
      .execute()
  }
  return ok({ project, readonly: row.readonly === 1 })
}
