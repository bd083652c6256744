/**
 * Use cases: a project's maintenance windows (API `GET/POST /api/v3/maintenance`). They apply to
 * every check of the project, besides each check's own windows (checks/maintenance.ts). Saving
 * releases the project's held flips so the maintenance gate decides them again with the new windows.
 */
import type { Ctx } from '../context.js'
import { err, ok, type Result } from '../result.js'
import type { InvalidField } from './check-input.js'
import { type MaintenanceWindow, parseMaintenance, windowsJson, windowsOf } from './maintenance.js'
import { releaseHeldFlips } from './snooze-check.js'

export async function projectMaintenance(
  ctx: Ctx,
  projectId: number,
): Promise<MaintenanceWindow[]> {
  const row = await ctx.db.kysely
    .selectFrom('projects')
    .select('maintenance')
    .where('id', '=', projectId)
    .executeTakeFirst()
  return windowsOf(row?.maintenance ?? '[]')
}

/** Replaces the project's windows with `body.maintenance` (required; [] removes them all). */
export async function setProjectMaintenance(
  ctx: Ctx,
  input: { projectId: number; body: Record<string, unknown> },
): Promise<Result<MaintenanceWindow[], InvalidField>> {
  if (input.body.maintenance === undefined)
    return err({ kind: 'invalid-field', field: 'maintenance', problem: 'is required' })
  const r = parseMaintenance(input.body.maintenance)
  if ('problem' in r)
    return err({ kind: 'invalid-field', field: 'maintenance', problem: r.problem })
  const now = ctx.clock.now()
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable('projects')
      .set({ maintenance: windowsJson(r.value) })
      .where('id', '=', input.projectId)
      .execute()
    const ids = await trx
      .selectFrom('checks')
      .select('id')
      .where('project_id', '=', input.projectId)
      .execute()
    await releaseHeldFlips(
      trx,
      ids.map((c) => c.id),
      now,
    )
  })
  return ok(r.value)
}
