/**
 * Rate-limit token buckets (ratelimit/token-bucket.ts), as Healthchecks' api_tokenbucket: one row
 * per key (e.g. `tg-<chat id>`) with the tokens left and when they were last counted. Kept in
 * the database so every worker and web process draws from the same bucket.
 * Never edit once merged: add a migration.
 */
import type { Kysely } from 'kysely'
import type { MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable('token_buckets')
    .addColumn('value', 'text', (c) => c.primaryKey())
    .addColumn('tokens', dialect === 'postgres' ? 'double precision' : 'real', (c) => c.notNull())
    .addColumn('updated', 'bigint', (c) => c.notNull())
    .execute()
  // Buckets untouched for a day are pruned by `updated` (Healthchecks' prunetokenbucket).
  await db.schema
    .createIndex('token_buckets_updated_idx')
    .on('token_buckets')
    .column('updated')
    .execute()
}
