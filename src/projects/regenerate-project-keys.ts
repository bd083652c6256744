/**
 * Use cases of a project's settings page: new read-write and read-only API keys (the old ones stop
 * working at once; only SHA-256 digests are stored, so the plain keys are returned to be shown
 * once), and a new ping key (slug ping URLs with the old key stop working). Mirrors Healthchecks'
 * project settings "create/revoke API keys" and "ping key" actions.
 */
import type { Ctx } from '../context.js'
import type { Project } from '../db/index.js'
import { newApiKey, newPingKey, sha256Hex } from '../tokens.js'

export interface NewApiKeys {
  apiKey: string
  apiKeyReadonly: string
}

export async function regenerateApiKeys(ctx: Ctx, projectId: number): Promise<NewApiKeys> {
  const apiKey = newApiKey()
  let apiKeyReadonly = newApiKey()
  while (apiKeyReadonly === apiKey) apiKeyReadonly = newApiKey()
  await ctx.db.kysely
    .updateTable('projects')
    .set({ api_key_hash: sha256Hex(apiKey), api_key_readonly_hash: sha256Hex(apiKeyReadonly) })
    .where('id', '=', projectId)
    .execute()
  return { apiKey, apiKeyReadonly }
}

export async function regeneratePingKey(ctx: Ctx, projectId: number): Promise<Project> {
  return ctx.db.kysely
    .updateTable('projects')
    .set({ ping_key: newPingKey() })
    .where('id', '=', projectId)
    .returningAll()
    .executeTakeFirstOrThrow()
}
