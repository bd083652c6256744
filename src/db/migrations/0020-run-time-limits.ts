/**
 * Run-time limits (issue 15 §1–3): `max_runtime` (seconds a started run may take before the check
 * goes down, "ran too long"; null = Healthchecks' behaviour, grace bounds the run), `min_runtime`
 * (seconds a start→success run must at least take, else "finished too fast"; null = no bound) and
 * `last_progress` (ms epoch of the last progress ping of the pending run). Never edit once merged.
 */
import type { Kysely } from 'kysely'
import type { MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, _dialect: MigrationDialect): Promise<void> {
  await db.schema.alterTable('checks').addColumn('max_runtime', 'integer').execute()
  await db.schema.alterTable('checks').addColumn('min_runtime', 'integer').execute()
  await db.schema.alterTable('checks').addColumn('last_progress', 'bigint').execute()
}
