/**
 * The one lease claim shared by the notification sender and the mail outbox: a conditional
 * `UPDATE … WHERE id IN (due rows) AND due … RETURNING *`, with `FOR UPDATE SKIP LOCKED` in the
 * subquery on PostgreSQL so concurrent workers skip each other's rows instead of waiting. The
 * outer `due` condition is re-evaluated on the locked row, so a row another worker claimed in
 * the meantime is simply not returned: zero rows means someone else won, a normal outcome.
 */
import type { Expression, ExpressionBuilder, Kysely, Selectable, SqlBool, Updateable } from 'kysely'
import type { Db } from './database.js'
import { lockForUpdate } from './row-lock.js'
import type { Database } from './tables.js'

/** Tables whose rows are claimed with a lease (`status`, `claimed_by`, `claimed_at`, `next_attempt_at`). */
export type LeasedTable = 'notifications' | 'mail_outbox'

export interface LeaseClaim<T extends LeasedTable> {
  /** Whether a row may be claimed now (pending and due, or a stale lease). */
  due: (eb: ExpressionBuilder<Database, T>) => Expression<SqlBool>
  /** The columns a claim sets (status 'sending', claimed_by, claimed_at, …). */
  set: Updateable<Database[T]>
  /** At most this many rows. */
  limit: number
  /** Only among these rows (chosen by the caller, e.g. round-robin across channels). */
  ids?: number[]
}

export async function claimLeased<T extends LeasedTable>(
  db: Db,
  table: T,
  claim: LeaseClaim<T>,
): Promise<Selectable<Database[T]>[]> {
  if (claim.limit <= 0 || (claim.ids && claim.ids.length === 0)) return []
  // Kysely cannot follow a table name that is a type parameter; the two tables share the
  // lease columns, and the public signature above keeps callers typed.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  const k = db.kysely as unknown as Kysely<any>
  // biome-ignore lint/suspicious/noExplicitAny: see above
  const due = claim.due as unknown as (eb: ExpressionBuilder<any, any>) => Expression<SqlBool>
  const name = table as string
  let ids = k.selectFrom(name).select('id').where(due)
  if (claim.ids) ids = ids.where('id', 'in', claim.ids)
  ids = ids.orderBy('next_attempt_at').orderBy('id').limit(claim.limit)
  ids = lockForUpdate(db, ids, { skipLocked: true })
  const rows = await k
    .updateTable(name)
    .set(claim.set as Record<string, unknown>)
    .where('id', 'in', ids)
    .where(due)
    .returningAll()
    .execute()
  return rows as Selectable<Database[T]>[]
}
