/**
 * Worker outages (issue 12, item 6): a gap in every worker's heartbeat longer than
 * WORKER_OUTAGE_THRESHOLD is recorded here when a worker comes back, with how many checks had
 * their deadline re-armed from the recovery time. The unique start makes two workers that notice
 * the same gap record it once. Never edit once merged.
 */
import type { Kysely } from 'kysely'
import { columnTypes, type MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  const t = columnTypes(dialect)
  await db.schema
    .createTable('worker_outages')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('started', 'bigint', (c) => c.notNull())
    .addColumn('ended', 'bigint', (c) => c.notNull())
    .addColumn('detected_by', 'text', (c) => c.notNull())
    .addColumn('checks_rearmed', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .createIndex('worker_outages_started_uq')
    .on('worker_outages')
    .column('started')
    .unique()
    .execute()
}
