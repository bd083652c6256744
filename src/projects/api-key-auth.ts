/**
 * Finds the project an API key belongs to, as Healthchecks' `authorize` / `authorize_read`
 * decorators do: keys are 32 characters (anything else is "missing api key"), and a read-only
 * key opens only read-only endpoints. Keys are stored as SHA-256 digests, so the lookup is by
 * digest through an index; the plain key never reaches the database.
 */
import type { Ctx } from '../context.js'
import type { Project } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { sha256Hex } from '../tokens.js'

export type ApiKeyError = { kind: 'missing-api-key' } | { kind: 'wrong-api-key' }

export interface ApiKeyProject {
  project: Project
  /** The key is the project's read-only key. */
  readonly: boolean
}

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
  const digest = sha256Hex(key)
  const project = await ctx.db.kysely
    .selectFrom('projects')
    .selectAll()
    .where((eb) =>
      acceptReadonly
        ? eb.or([eb('api_key_hash', '=', digest), eb('api_key_readonly_hash', '=', digest)])
        : eb('api_key_hash', '=', digest),
    )
    .executeTakeFirst()
  if (!project) return err({ kind: 'wrong-api-key' })
  return ok({ project, readonly: project.api_key_hash !== digest })
}
