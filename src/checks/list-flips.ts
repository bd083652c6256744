/**
 * Use case: a check's status changes for `GET /api/vN/checks/<uuid|unique_key>/flips/`, newest
 * first, filtered by `start` (inclusive), `end` (exclusive) and `seconds` (the last N seconds;
 * 0 means no filter), as Healthchecks' flips view. Pause/resume flips are included.
 * Parsing the query string lives at the edge (api/flip-routes.ts).
 */
import type { Ctx } from '../context.js'
import type { Flip } from '../db/index.js'

export interface FlipFilters {
  /** Epoch ms, inclusive. */
  start: number | null
  /** Epoch ms, exclusive. */
  end: number | null
  /** Only flips in the last this many seconds; 0 or null: no filter. */
  seconds: number | null
}

export async function listFlips(ctx: Ctx, checkId: number, f: FlipFilters): Promise<Flip[]> {
  let q = ctx.db.kysely.selectFrom('flips').selectAll().where('check_id', '=', checkId)
  if (f.start !== null) q = q.where('created', '>=', f.start)
  if (f.end !== null) q = q.where('created', '<', f.end)
  if (f.seconds) q = q.where('created', '>=', ctx.clock.now() - f.seconds * 1000)
  return q.orderBy('id', 'desc').execute()
}
