/**
 * Invitations of addresses that have no account yet (issue #11 F1): a one-time sign-up link the
 * inviter hands over when mail cannot go. It names an address, a project and a role, never a
 * user: redeeming it creates a new account, and it is refused once the address has one. Also a
 * flag on outbox mail to an unverified address, which then does not move the mail status
 * (MAIL-1). Never edit once merged.
 */
import type { Kysely } from 'kysely'
import type { MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable('invitation_signups')
    // SHA-256 hex of the token in the link; the token itself is stored nowhere.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    // 1: the link went by mail to the address, so using it proves the address.
    .addColumn('mailed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('invitation_signups_inviter_idx')
    .on('invitation_signups')
    .columns(['invited_by', 'created'])
    .execute()
  await db.schema
    .alterTable('mail_outbox')
    .addColumn('unverified_recipient', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}
