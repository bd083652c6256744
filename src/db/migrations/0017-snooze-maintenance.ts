/**
 * Snooze and maintenance windows (issue 14, items 2 and 3): a check's snooze end and reason, the
 * maintenance windows of a check and of a project (JSON arrays of {schedule, duration, tz}; '[]'
 * = none), and the snooze history (who snoozed what, until when, and when it was ended early),
 * shown on the details page. Never edit once merged.
 */
import type { Kysely } from 'kysely'
import { columnTypes, type MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  const t = columnTypes(dialect)
  await db.schema.alterTable('checks').addColumn('snoozed_until', 'bigint').execute()
  await db.schema
    .alterTable('checks')
    .addColumn('snooze_reason', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema
    .alterTable('checks')
    .addColumn('maintenance', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute()
  await db.schema
    .alterTable('projects')
    .addColumn('maintenance', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute()
  await db.schema
    .createTable('snoozes')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('check_id', 'bigint', (c) => c.notNull().references('checks.id').onDelete('cascade'))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('until', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    /** 'api' | 'web' | 'ping' */
    .addColumn('source', 'text', (c) => c.notNull())
    /** When it was ended early (DELETE, the end button); null = ran to `until`. */
    .addColumn('ended', 'bigint')
    .execute()
  await db.schema
    .createIndex('snoozes_check_idx')
    .on('snoozes')
    .columns(['check_id', 'created'])
    .execute()
}
