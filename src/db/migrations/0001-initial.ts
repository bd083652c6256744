/**
 * The initial schema: users, sessions, projects, checks, pings, flips, channels, check↔channel
 * links, notifications, the mail outbox and worker heartbeats. One file for both databases; only
 * the id and blob column types differ (see columnTypes). Never edit once merged: add a migration.
 */
import { type Kysely, sql } from 'kysely'
import { columnTypes, type MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  const t = columnTypes(dialect)

  await db.schema
    .createTable('users')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text')
    .addColumn('is_superuser', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tz', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute()

  await db.schema
    .createTable('projects')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('api_key_hash', 'text')
    .addColumn('api_key_readonly_hash', 'text')
    .addColumn('ping_key', 'text', (c) => c.unique())
    .addColumn('badge_key', 'text', (c) => c.notNull().unique())
    .addColumn('show_slugs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ping_log_limit', 'integer', (c) => c.notNull().defaultTo(100))
    .addColumn('check_limit', 'integer', (c) => c.notNull().defaultTo(10000))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('projects_owner_idx').on('projects').column('owner_id').execute()
  await db.schema
    .createIndex('projects_api_key_idx')
    .on('projects')
    .column('api_key_hash')
    .execute()
  await db.schema
    .createIndex('projects_api_key_ro_idx')
    .on('projects')
    .column('api_key_readonly_hash')
    .execute()

  await db.schema
    .createTable('checks')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('slug', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('desc', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('simple'))
    .addColumn('timeout', 'integer', (c) => c.notNull().defaultTo(86400))
    .addColumn('grace', 'integer', (c) => c.notNull().defaultTo(3600))
    .addColumn('schedule', 'text', (c) => c.notNull().defaultTo('* * * * *'))
    .addColumn('tz', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('filter_subject', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('filter_body', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('filter_http_body', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('filter_default_fail', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('start_kw', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('success_kw', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('failure_kw', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('methods', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('manual_resume', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('badge_key', 'text', (c) => c.notNull().unique())
    .addColumn('n_pings', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_ping', 'bigint')
    .addColumn('last_start', 'bigint')
    .addColumn('last_start_rid', 'text')
    .addColumn('last_duration_ms', 'bigint')
    .addColumn('has_confirmation_link', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('alert_after', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('new'))
    .execute()
  await db.schema
    .createIndex('checks_project_slug_idx')
    .on('checks')
    .columns(['project_id', 'slug'])
    .execute()
  // Drives the worker's "what went down" query (Healthchecks' api_check_aa_not_down).
  await db.schema
    .createIndex('checks_alert_after_idx')
    .on('checks')
    .column('alert_after')
    .where(sql.ref('status'), '<>', 'down')
    .execute()

  await db.schema
    .createTable('pings')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('check_id', 'bigint', (c) => c.notNull().references('checks.id').onDelete('cascade'))
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('scheme', 'text', (c) => c.notNull())
    .addColumn('remote_addr', 'text')
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('ua', 'text', (c) => c.notNull())
    .addColumn('body', t.blob)
    .addColumn('exitstatus', 'integer')
    .addColumn('rid', 'text')
    .execute()
  await db.schema.createIndex('pings_check_n_idx').on('pings').columns(['check_id', 'n']).execute()
  await db.schema
    .createIndex('pings_check_created_idx')
    .on('pings')
    .columns(['check_id', 'created'])
    .execute()

  await db.schema
    .createTable('flips')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('check_id', 'bigint', (c) => c.notNull().references('checks.id').onDelete('cascade'))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('processed', 'bigint')
    .addColumn('old_status', 'text', (c) => c.notNull())
    .addColumn('new_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema
    .createIndex('flips_check_created_idx')
    .on('flips')
    .columns(['check_id', 'created'])
    .execute()
  await db.schema
    .createIndex('flips_unprocessed_idx')
    .on('flips')
    .column('id')
    .where(sql.ref('processed'), 'is', null)
    .execute()

  await db.schema
    .createTable('channels')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('email_verified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('last_notify', 'bigint')
    .addColumn('last_notify_duration_ms', 'bigint')
    .addColumn('last_error', 'text', (c) => c.notNull().defaultTo(''))
    .execute()
  await db.schema.createIndex('channels_project_idx').on('channels').column('project_id').execute()

  await db.schema
    .createTable('check_channels')
    .addColumn('check_id', 'bigint', (c) => c.notNull().references('checks.id').onDelete('cascade'))
    .addColumn('channel_id', 'bigint', (c) =>
      c.notNull().references('channels.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('check_channels_pk', ['check_id', 'channel_id'])
    .execute()
  await db.schema
    .createIndex('check_channels_channel_idx')
    .on('check_channels')
    .column('channel_id')
    .execute()

  await db.schema
    .createTable('notifications')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('check_id', 'bigint', (c) => c.references('checks.id').onDelete('cascade'))
    .addColumn('channel_id', 'bigint', (c) =>
      c.notNull().references('channels.id').onDelete('cascade'),
    )
    .addColumn('flip_id', 'bigint', (c) => c.references('flips.id').onDelete('set null'))
    .addColumn('check_status', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('error', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'bigint')
    .addColumn('sent_at', 'bigint')
    .execute()
  // One notification per (flip, channel): a flip processed twice cannot alert twice.
  await db.schema
    .createIndex('notifications_flip_channel_uq')
    .on('notifications')
    .columns(['flip_id', 'channel_id'])
    .unique()
    .execute()
  await db.schema
    .createIndex('notifications_check_idx')
    .on('notifications')
    .columns(['check_id', 'created'])
    .execute()
  await db.schema
    .createIndex('notifications_due_idx')
    .on('notifications')
    .columns(['status', 'next_attempt_at'])
    .execute()

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('to_addr', 'text', (c) => c.notNull())
    .addColumn('from_addr', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('headers', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('error', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'bigint')
    .addColumn('sent_at', 'bigint')
    .addColumn('notification_id', 'bigint', (c) =>
      c.references('notifications.id').onDelete('set null'),
    )
    .execute()
  await db.schema
    .createIndex('mail_outbox_due_idx')
    .on('mail_outbox')
    .columns(['status', 'next_attempt_at'])
    .execute()

  await db.schema
    .createTable('worker_heartbeats')
    .addColumn('worker_id', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('started', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .execute()
}
