/**
 * Alerts: at most one outbox mail per notification, so an email notification delivered again
 * after a worker died mid-delivery (its lease taken over) cannot queue a second mail.
 * Never edit once merged: add a migration.
 */
import { type Kysely, sql } from 'kysely'
import type { MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createIndex('mail_outbox_notification_uq')
    .on('mail_outbox')
    .column('notification_id')
    .unique()
    .where(sql.ref('notification_id'), 'is not', null)
    .execute()
}
