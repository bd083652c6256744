/**
 * Use case: rename a project from its settings page (Healthchecks' project settings "name" form):
 * the trimmed name must have 1..200 characters and no NUL (PostgreSQL text cannot hold it).
 */
import type { Ctx } from '../context.js'
import type { Project } from '../db/index.js'
import { err, ok, type Result } from '../result.js'

export type RenameProjectError = { kind: 'invalid-name' }

export async function renameProject(
  ctx: Ctx,
  input: { projectId: number; name: string },
): Promise<Result<Project, RenameProjectError>> {
  const name = input.name.trim()
  if (name === '' || [...name].length > 200 || name.includes('\u0000')) {
    return err({ kind: 'invalid-name' })
  }
  const saved = await ctx.db.kysely
    .updateTable('projects')
    .set({ name })
    .where('id', '=', input.projectId)
    .returningAll()
    .executeTakeFirstOrThrow()
  return ok(saved)
}
