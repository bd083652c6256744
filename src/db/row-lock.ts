/**
 * The one place a select locks its rows: `FOR UPDATE` (optionally `SKIP LOCKED`) on
 * PostgreSQL, nothing on SQLite. SQLite needs no row lock: a write transaction holds the whole
 * database, and readers see a snapshot, so the read-then-write inside one transaction is already
 * serialised there. Owns only the clause; the transaction around it is the caller's.
 */
import type { SelectQueryBuilder } from 'kysely'
import type { Db } from './database.js'

export interface RowLock {
  /** Skip rows another transaction holds instead of waiting for them (workers claiming work). */
  skipLocked?: boolean
}

/** `query` with `FOR UPDATE [SKIP LOCKED]` on PostgreSQL, unchanged on SQLite. */
export function lockForUpdate<DB, TB extends keyof DB, O>(
  db: Pick<Db, 'dialect'>,
  query: SelectQueryBuilder<DB, TB, O>,
  lock: RowLock = {},
): SelectQueryBuilder<DB, TB, O> {
  if (db.dialect !== 'postgres') return query
  const locked = query.forUpdate()
  return lock.skipLocked ? locked.skipLocked() : locked
}
