/**
 * Teams (spec TEAM-1…4): project members with Healthchecks' roles (`w` member, `r` read-only,
 * `m` manager; the owner stays projects.owner_id), a pending ownership transfer per member, the
 * project's 2FA policy, and the `system_status` key/value rows that hold the mail probe results
 * (MAIL-1). Healthchecks keeps members in accounts_member. Never edit once merged.
 */
import type { Kysely } from 'kysely'
import { columnTypes, type MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  const t = columnTypes(dialect)
  await db.schema
    .createTable('members')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('w'))
    .addColumn('created', 'bigint', (c) => c.notNull())
    // Who invited them (RL-I1 counts invites per inviter).
    .addColumn('invited_by', 'bigint')
    // The owner asked this member to take the project over (TEAM-4); null = no request.
    .addColumn('transfer_requested', 'bigint')
    .execute()
  await db.schema
    .createIndex('members_project_user_idx')
    .on('members')
    .columns(['project_id', 'user_id'])
    .unique()
    .execute()
  await db.schema.createIndex('members_user_idx').on('members').column('user_id').execute()

  await db.schema
    .alterTable('projects')
    .addColumn('require_2fa', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()

  await db.schema
    .createTable('system_status')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated', 'bigint', (c) => c.notNull())
    .execute()
}
