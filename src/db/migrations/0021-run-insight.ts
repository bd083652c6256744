/**
 * Run insight (issue 15 items 3–5): per-check opt-ins for warnings about unusual run durations,
 * new ping sources, two sources in one period and a job that runs too often, plus what the worker
 * needs to find the opted-in checks with new pings cheaply (`insight_on` and `insight_n`, the
 * last ping number it looked at, in one partial index) and what it has learned (`insight_state`,
 * JSON: recent run durations and source sightings). Never edit once merged.
 */
import { type Kysely, sql } from 'kysely'
import type { MigrationDialect } from '../migration-types.js'

type ColumnSpec = [name: string, type: 'text' | 'integer', dflt: string | number]

export async function up(db: Kysely<unknown>, _dialect: MigrationDialect): Promise<void> {
  const columns: ColumnSpec[] = [
    // 1 = warn (kind unusual_duration) when a run lies outside its learned band.
    ['insight_duration', 'integer', 0],
    // > 0 = warn (new_source) about a source not seen in this many days.
    ['insight_new_source_days', 'integer', 0],
    // 'address' or 'network' (/24 for IPv4, /64 for IPv6).
    ['insight_source_scope', 'text', 'address'],
    // 1 = warn (two_sources) when two sources ping within one period.
    ['insight_two_sources', 'integer', 0],
    // 1 = warn (too_often) about a second success within one period.
    ['insight_too_often', 'integer', 0],
    // 1 when any of the above is on: the worker's subset.
    ['insight_on', 'integer', 0],
    // The worker has looked at this check's pings up to this number (checks.n_pings).
    ['insight_n', 'integer', 0],
    ['insight_state', 'text', ''],
  ]
  // One statement per column: SQLite's ALTER TABLE adds one column at a time.
  for (const [name, type, dflt] of columns) {
    await db.schema
      .alterTable('checks')
      .addColumn(name, type, (c) => c.notNull().defaultTo(dflt))
      .execute()
  }
  // Exactly the checks the worker's run-insight step visits: opted in, with pings it has not
  // looked at. Only opted-in checks ever enter it, so the ping path maintains no entry for others.
  await db.schema
    .createIndex('checks_insight_due_idx')
    .on('checks')
    .column('id')
    .where(sql<boolean>`insight_on = 1 AND n_pings > insight_n`)
    .execute()
}
