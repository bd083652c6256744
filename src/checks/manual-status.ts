/**
 * A status change made by hand (pause, resume), as Healthchecks' pause and resume views: the flip
 * is recorded already processed, so it never alerts, and the row is saved with the new status in
 * the caller's transaction. Not here: who may do it and from which status (the use cases).
 */
import type { Kysely } from 'kysely'
import type { Check, CheckUpdate, Database } from '../db/index.js'

/** Records the processed flip `check.status → status` and saves `status` with `fields`. */
export async function changeStatusByHand(
  trx: Kysely<Database>,
  check: Check,
  status: 'paused' | 'new',
  fields: Omit<CheckUpdate, 'status'>,
  now: number,
): Promise<Check> {
  await trx
    .insertInto('flips')
    .values({
      check_id: check.id,
      created: now,
      processed: now,
      old_status: check.status,
      new_status: status,
      reason: '',
    })
    .execute()
  return trx
    .updateTable('checks')
    .set({ ...fields, status })
    .where('id', '=', check.id)
    .returningAll()
    .executeTakeFirstOrThrow()
}
