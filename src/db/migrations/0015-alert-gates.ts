/**
 * The alert-policy seam (issues 14 and 15): a flip that a gate holds back or suppresses keeps a
 * human reason (`flips.held_reason`, e.g. "parent Backups is down"), and warnings — notices that
 * are not a status change (late, unusual duration, a new ping source) — get their own rows, so
 * the flip history and the API's flips stay exactly Healthchecks' up/down changes. Never edit
 * once merged.
 */
import { type Kysely, sql } from 'kysely'
import { columnTypes, type MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  const t = columnTypes(dialect)
  await db.schema
    .alterTable('flips')
    .addColumn('held_reason', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema
    .createTable('warnings')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('check_id', 'bigint', (c) => c.notNull().references('checks.id').onDelete('cascade'))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('processed', 'bigint')
    .execute()
  await db.schema
    .createIndex('warnings_check_idx')
    .on('warnings')
    .columns(['check_id', 'created'])
    .execute()
  await db.schema
    .createIndex('warnings_unprocessed_idx')
    .on('warnings')
    .column('id')
    .where(sql.ref('processed'), 'is', null)
    .execute()
}
