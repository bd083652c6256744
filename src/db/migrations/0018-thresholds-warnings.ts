/**
 * Failure thresholds and the warning stage (issue 14, items 4 and 5). Per check: alert a
 * failure-caused down only when `fail_threshold` of the last `fail_window` runs failed, announce a
 * recovery only after `recover_successes` successes in a row, and warn `warn_after` seconds
 * before the grace time ends (`warn_at`: that instant, an indexed deadline the worker reads like
 * `alert_after`). Per channel: `notify_late` opts in to warnings. A notification made from a
 * warning points at it with `warning_id` (its flip_id stays null). Never edit once merged.
 */
import { type Kysely, sql } from 'kysely'
import type { MigrationDialect } from '../migration-types.js'

type ColumnSpec = [name: string, type: 'bigint' | 'integer', dflt: number | null]

async function addColumns(db: Kysely<unknown>, table: string, columns: ColumnSpec[]) {
  // One statement per column: SQLite's ALTER TABLE adds one column at a time.
  for (const [name, type, dflt] of columns) {
    await db.schema
      .alterTable(table)
      .addColumn(name, type, (c) => (dflt === null ? c : c.notNull().defaultTo(dflt)))
      .execute()
  }
}

export async function up(db: Kysely<unknown>, _dialect: MigrationDialect): Promise<void> {
  await addColumns(db, 'checks', [
    // K of the last N success/fail runs (0 = off, Healthchecks' behaviour).
    ['fail_window', 'integer', 0],
    ['fail_threshold', 'integer', 0],
    // Successes in a row before an up alert (1 = at once).
    ['recover_successes', 'integer', 1],
    // Seconds before the grace time ends to warn (null = no warning stage).
    ['warn_after', 'integer', null],
    // When the worker sends the "late" warning; null = nothing due.
    ['warn_at', 'bigint', null],
  ])
  // Drives the worker's "who is late" query, as checks_alert_after_idx drives "who went down".
  await db.schema
    .createIndex('checks_warn_at_idx')
    .on('checks')
    .column('warn_at')
    .where(sql.ref('warn_at'), 'is not', null)
    .execute()
  await addColumns(db, 'channels', [['notify_late', 'integer', 0]])
  await addColumns(db, 'notifications', [['warning_id', 'bigint', null]])
  // One notification per warning and channel, as (flip_id, channel_id) for flips.
  await db.schema
    .createIndex('notifications_warning_channel_idx')
    .unique()
    .on('notifications')
    .columns(['warning_id', 'channel_id'])
    .where(sql.ref('warning_id'), 'is not', null)
    .execute()
}
