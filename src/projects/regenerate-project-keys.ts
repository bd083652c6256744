/**
 * Use case of a project's settings page: a new ping key (slug ping URLs with the old key stop
 * working; the route demands sudo). Mirrors Healthchecks' project settings "ping key" action.
 * API keys are made and revoked in manage-api-keys.ts.
 */
import type { Ctx } from '../context.js'
import type { Project } from '../db/index.js'
import { newPingKey } from '../tokens.js'

export async function regeneratePingKey(ctx: Ctx, projectId: number): Promise<Project> {
  return ctx.db.kysely
    .updateTable('projects')
    .set({ ping_key: newPingKey() })
    .where('id', '=', projectId)
    .returningAll()
    .executeTakeFirstOrThrow()
}
