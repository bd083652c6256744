/**
 * Ping bodies in object storage (issue 13 §5): `object_size` (Healthchecks' column: when > 0 the
 * body lives in the bucket and is this many bytes), `object_key` (where; null for rows imported
 * from Healthchecks, whose key is derived from the check UUID and n) and `body_waiting` (1 while a
 * large body sits in `body` because the store was down; the worker moves it). The partial index
 * keeps "what waits" cheap however large the pings table grows. Never edit once merged.
 */
import { type Kysely, sql } from 'kysely'
import type { MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.alterTable('pings').addColumn('object_size', 'integer').execute()
  await db.schema.alterTable('pings').addColumn('object_key', 'text').execute()
  await db.schema.alterTable('pings').addColumn('body_waiting', 'integer').execute()
  await db.schema
    .createIndex('pings_body_waiting_idx')
    .on('pings')
    .column('id')
    .where(sql.ref('body_waiting'), 'is not', null)
    .execute()
}
