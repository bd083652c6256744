/**
 * Use case: delete a project (Healthchecks' remove_project; spec RA-1 makes it class S, so the
 * route demands sudo). Only the owner may, and only after typing the project's name. Checks,
 * pings, integrations, members and API keys go with it (foreign-key cascades); the audit event
 * `project.deleted` is written in the same transaction and outlives the project.
 */
import { type RequestMeta, recordSecurityEvent } from '../accounts/index.js'
import type { Ctx } from '../context.js'
import { type Project, type User, withTransaction } from '../db/index.js'
import { err, ok, type Result } from '../result.js'

export type DeleteProjectError = { kind: 'forbidden' } | { kind: 'name-mismatch' }

export async function deleteProject(
  ctx: Ctx,
  input: { project: Project; actor: User; confirmName: string; meta?: RequestMeta },
): Promise<Result<void, DeleteProjectError>> {
  const { project, actor } = input
  if (project.owner_id !== actor.id) return err({ kind: 'forbidden' })
  if (input.confirmName.trim() !== project.name) return err({ kind: 'name-mismatch' })
  const now = ctx.clock.now()
  await withTransaction(ctx, async (t, trx) => {
    await recordSecurityEvent(
      t,
      {
        type: 'project.deleted',
        actorUserId: actor.id,
        subjectUserId: actor.id,
        projectId: project.id,
        meta: input.meta,
        details: { name: project.name, code: project.code },
      },
      now,
    )
    await trx.deleteFrom('projects').where('id', '=', project.id).execute()
  })
  return ok(undefined)
}
