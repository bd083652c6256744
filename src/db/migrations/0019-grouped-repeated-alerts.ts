/**
 * Grouped alerts and repeat notifications (issue 14, items 6 and 7). Notifications get
 * `repeat_n` (0 = the flip's own alert, 1… = repeats; part of the one-per-key unique index, which
 * becomes (flip_id, channel_id, repeat_n)), `repeat_at` (when the next repeat of this row is due;
 * indexed so the scheduler reads only due rows) and `group_code` (the code of the notification
 * that carries a grouped message; the carrier has its own code). Channels get their repeat
 * settings. Never edit once merged.
 */
import { type Kysely, sql } from 'kysely'
import type { MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .alterTable('notifications')
    .addColumn('repeat_n', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('notifications').addColumn('repeat_at', 'bigint').execute()
  await db.schema.alterTable('notifications').addColumn('group_code', 'text').execute()
  await db.schema.dropIndex('notifications_flip_channel_uq').execute()
  // One notification per (flip, channel, repeat): a flip or a repeat processed twice cannot alert twice.
  await db.schema
    .createIndex('notifications_flip_channel_repeat_uq')
    .on('notifications')
    .columns(['flip_id', 'channel_id', 'repeat_n'])
    .unique()
    .execute()
  await db.schema
    .createIndex('notifications_repeat_due_idx')
    .on('notifications')
    .column('repeat_at')
    .where(sql.ref('repeat_at'), 'is not', null)
    .execute()
  await db.schema
    .createIndex('notifications_group_idx')
    .on('notifications')
    .column('group_code')
    .where(sql.ref('group_code'), 'is not', null)
    .execute()
  // A channel's recent alerts (the grouping threshold counts them).
  await db.schema
    .createIndex('notifications_channel_created_idx')
    .on('notifications')
    .columns(['channel_id', 'created'])
    .execute()
  await db.schema
    .alterTable('channels')
    .addColumn('repeat_every', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .alterTable('channels')
    .addColumn('repeat_max', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}
