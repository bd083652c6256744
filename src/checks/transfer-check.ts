/**
 * Use case: "Transfer to another project" (Healthchecks' transfer view): the check moves to the
 * target project keeping its UUID, ping URL and history, and its channels become every channel
 * of the target project (Healthchecks' assign_all_channels; the old project's channels cannot
 * notify about a check they no longer see). Moving to a project of another owner needs room
 * under that owner's check limit. Who may move it (read-write in both projects) is the edge's
 * question. Dependencies stay within a project, so the check's edges both ways are removed.
 */
import type { Ctx } from '../context.js'
import type { Check, Project } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { setCheckChannels } from './check-channels.js'
import { dropDependencies } from './check-dependencies.js'
import { checksAvailable } from './check-quota.js'

export type TransferCheckError =
  | { kind: 'check-not-found' }
  | { kind: 'same-project' }
  | { kind: 'check-limit' }

export async function transferCheck(
  ctx: Ctx,
  input: { check: Check; from: Pick<Project, 'id' | 'owner_id'>; to: Project },
): Promise<Result<Check, TransferCheckError>> {
  const { check, from, to } = input
  if (from.id === to.id) return err({ kind: 'same-project' })
  const k = ctx.db.kysely
  if (to.owner_id !== from.owner_id && (await checksAvailable(k, to)) <= 0)
    return err({ kind: 'check-limit' })
  return k.transaction().execute(async (trx) => {
    // Conditional on the old project: a concurrent move or delete leaves nothing to update.
    const moved = await trx
      .updateTable('checks')
      .set({ project_id: to.id })
      .where('id', '=', check.id)
      .where('project_id', '=', from.id)
      .returningAll()
      .executeTakeFirst()
    if (!moved) return err({ kind: 'check-not-found' as const })
    const channels = await trx
      .selectFrom('channels')
      .select('id')
      .where('project_id', '=', to.id)
      .execute()
    await setCheckChannels(
      trx,
      moved.id,
      channels.map((c) => c.id),
    )
    await dropDependencies(trx, moved.id)
    return ok(moved)
  })
}
