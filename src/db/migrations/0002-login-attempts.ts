/**
 * Login throttling counters (accounts/login-throttle.ts): one row per key (e.g. email+IP) with
 * the failures inside the current window and when that window ends. Kept in the database so
 * every web process sees the same counts. Never edit once merged: add a migration.
 */
import type { Kysely } from 'kysely'
import type { MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable('login_attempts')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .execute()
  // Stale windows are pruned by expiry.
  await db.schema
    .createIndex('login_attempts_expires_idx')
    .on('login_attempts')
    .column('expires')
    .execute()
}
