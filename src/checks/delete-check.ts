/**
 * Use case: delete a check (API `DELETE /api/vN/checks/<uuid>`), returning the row as it was so
 * the API can answer with its JSON. As Healthchecks, the check is first renamed (fresh random
 * `code` and `slug`) so no ping can reach it any more, then deleted; pings, flips, channel links
 * and notifications go with it (foreign keys cascade).
 */
import type { Ctx } from '../context.js'
import type { Check } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { newUuid } from '../tokens.js'
import { type FindCheckError, findProjectCheck } from './find-check.js'

export async function deleteCheck(
  ctx: Ctx,
  input: { projectId: number; code: string },
): Promise<Result<Check, FindCheckError>> {
  const k = ctx.db.kysely
  const found = await findProjectCheck(k, input.projectId, input.code)
  if (!found.ok) return found
  const check = found.value
  const renamed = await k
    .updateTable('checks')
    .set({ code: newUuid(), slug: newUuid() })
    .where('id', '=', check.id)
    .executeTakeFirst()
  // Deleted by a concurrent request meanwhile.
  if (Number(renamed.numUpdatedRows) === 0) return err({ kind: 'check-not-found' })
  await k.deleteFrom('checks').where('id', '=', check.id).execute()
  return ok(check)
}
