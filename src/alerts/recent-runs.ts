/**
 * The newest runs of a check (its success and fail pings, newest first), as the flapping and
 * threshold gates read them inside the flip's transaction. Start, log and ign pings are not runs.
 */
import type { Kysely } from 'kysely'
import type { Database, PingKind } from '../db/index.js'

/** The newest `n` runs (success/fail ping kinds) of a check, newest first. */
export async function recentRuns(
  trx: Kysely<Database>,
  checkId: number,
  n: number,
): Promise<PingKind[]> {
  const rows = await trx
    .selectFrom('pings')
    .select('kind')
    .where('check_id', '=', checkId)
    .where('kind', 'in', ['success', 'fail'])
    .orderBy('created', 'desc')
    .orderBy('id', 'desc')
    .limit(n)
    .execute()
  return rows.map((r) => r.kind)
}
