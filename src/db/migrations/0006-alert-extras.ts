/**
 * Alert extras (issue 6): the per-user nag and report schedule and the monthly SMS/WhatsApp and
 * call quotas (Healthchecks' Profile fields), per-check flapping protection, and the two flip
 * columns that let the worker hold a down flip back and suppress it. Never edit once merged.
 */
import { type Kysely, sql } from 'kysely'
import type { MigrationDialect } from '../migration-types.js'

type ColumnSpec = [name: string, type: 'text' | 'bigint' | 'integer', dflt: string | number | null]

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
  await addColumns(db, 'users', [
    // Seconds between "still down" reminders; 0 = off (Healthchecks offers 0, 1 hour, 1 day).
    ['nag_period', 'integer', 0],
    ['next_nag_date', 'bigint', null],
    // off | daily | weekly | monthly, Healthchecks' default monthly.
    ['reports', 'text', 'monthly'],
    ['next_report_date', 'bigint', null],
    // Monthly quotas; Healthchecks without payments gives every profile 10000.
    ['sms_limit', 'integer', 10000],
    ['sms_sent', 'integer', 0],
    ['last_sms_date', 'bigint', null],
    ['call_limit', 'integer', 10000],
    ['calls_sent', 'integer', 0],
    ['last_call_date', 'bigint', null],
  ])
  // The reports loop looks for due dates; both are served by an index.
  await db.schema
    .createIndex('users_next_report_idx')
    .on('users')
    .column('next_report_date')
    .execute()
  await db.schema
    .createIndex('users_next_nag_idx')
    .on('users')
    .column('next_nag_date')
    .where(sql.ref('next_nag_date'), 'is not', null)
    .execute()

  await addColumns(db, 'checks', [
    // Flapping protection (Vigil's): a down flip caused by failure signals alerts only after
    // this many consecutive failures; 1 = at once (Healthchecks' behaviour).
    ['alert_failures', 'integer', 1],
    // …and only when the check is still down this many seconds after the flip; 0 = at once.
    ['alert_delay', 'integer', 0],
  ])

  await addColumns(db, 'flips', [
    // A held-back down flip is looked at again at this instant (null = due now).
    ['recheck_at', 'bigint', null],
    // 1 = processed without notifications by flapping protection.
    ['suppressed', 'integer', 0],
  ])
}
