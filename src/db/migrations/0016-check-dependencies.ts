/**
 * Check dependencies (issue 14 item 1): a check may depend on other checks of its project; while
 * a parent is down, a child's down alert is held (src/alerts/dependency-gate.ts). One row per
 * edge, both ends cascade, so deleting either check removes the edge. Never edit once merged.
 */
import type { Kysely } from 'kysely'
import type { MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable('check_dependencies')
    .addColumn('check_id', 'bigint', (c) => c.notNull().references('checks.id').onDelete('cascade'))
    .addColumn('depends_on_id', 'bigint', (c) =>
      c.notNull().references('checks.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('check_dependencies_pk', ['check_id', 'depends_on_id'])
    .execute()
  // "Whose parent is this check?": the release of held children when a parent recovers.
  await db.schema
    .createIndex('check_dependencies_parent_idx')
    .on('check_dependencies')
    .column('depends_on_id')
    .execute()
}
