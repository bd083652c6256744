/**
 * Warnings: notices about a check that are not a status change — late (the warning stage),
 * unusual duration, a ping from a new source, two sources running one job, a job that runs too
 * often. Detection code records one with `queueWarning` in the transaction that noticed it; the
 * worker turns unprocessed warnings into notifications for the channels that take warnings.
 * They are never flips: the flip history, downtime and the API's flips stay Healthchecks'.
 */
import type { Kysely } from 'kysely'
import type { Database, Warning } from '../db/index.js'

export type WarningKind = 'late' | 'unusual_duration' | 'new_source' | 'two_sources' | 'too_often'

export interface NewWarning {
  checkId: number
  kind: WarningKind
  /** Human text shown in the notification and on the details page. */
  detail: string
}

/** Records a warning (unprocessed) in `db`, which may be a transaction; returns its id. */
export async function queueWarning(
  db: Kysely<Database>,
  w: NewWarning,
  now: number,
): Promise<number> {
  const row = await db
    .insertInto('warnings')
    .values({ check_id: w.checkId, created: now, kind: w.kind, detail: w.detail, processed: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

/** A check's newest warnings, newest first. */
export async function listWarnings(
  db: Kysely<Database>,
  checkId: number,
  limit = 50,
): Promise<Warning[]> {
  return db
    .selectFrom('warnings')
    .selectAll()
    .where('check_id', '=', checkId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}
