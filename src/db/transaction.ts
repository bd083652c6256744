/**
 * Runs work in one database transaction and hands it a context whose `db.kysely` is that
 * transaction, so use cases called inside (an audit event, a user insert) join it without
 * knowing. Owns only the wrapping: what is locked and what is committed is the caller's.
 */
import type { Transaction } from 'kysely'
import type { Db } from './database.js'
import type { Database } from './tables.js'

/**
 * `fn` receives the context bound to the transaction and the transaction itself (for the
 * caller's own queries); its result is returned after the commit, and a throw rolls back.
 * The context is a shallow copy: everything but `db.kysely` is the caller's own.
 */
export function withTransaction<C extends { db: Db }, T>(
  ctx: C,
  fn: (t: C, trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return ctx.db.kysely
    .transaction()
    .execute((trx) => fn({ ...ctx, db: { ...ctx.db, kysely: trx } }, trx))
}
