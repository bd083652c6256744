/**
 * The account-security subsystem (spec accounts.md §5): second factors (TOTP, security keys,
 * recovery codes), the pending second log-in step, sudo grants and flow state on the session
 * row, e-mail changes, operator log-in links and the security audit log. Healthchecks keeps TOTP
 * and keys on Profile/Credential and has no recovery codes or audit log. Never edit once merged.
 */
import type { Kysely } from 'kysely'
import { columnTypes, type MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  const t = columnTypes(dialect)

  // One statement per column: SQLite's ALTER TABLE adds one column at a time.
  const sessionColumns: [string, 'text' | 'bigint' | 'integer', boolean][] = [
    // Sudo grant (RA-2): when and how the user last proved who they are on this session.
    ['reauth_at', 'bigint', false],
    ['reauth_method', 'text', false],
    // Methods used at log-in, comma-separated (SE-2 `amr`).
    ['amr', 'text', true],
    ['ip', 'text', true],
    ['user_agent', 'text', true],
    // A TOTP secret being enrolled, encrypted (TOTP-5), and when enrolment began.
    ['totp_pending', 'text', false],
    ['totp_pending_at', 'bigint', false],
    // An e-mailed re-authentication code (OOB-1): HMAC, when sent, wrong entries.
    ['oob_code_hash', 'text', false],
    ['oob_code_at', 'bigint', false],
    ['oob_failures', 'integer', true],
  ]
  for (const [name, type, notNull] of sessionColumns) {
    await db.schema
      .alterTable('sessions')
      .addColumn(name, type, (c) => (notNull ? c.notNull().defaultTo(type === 'text' ? '' : 0) : c))
      .execute()
  }

  // Stable random WebAuthn user handle (WA-2) and whether the address was verified (LG-5).
  await db.schema.alterTable('users').addColumn('webauthn_user_id', 'text').execute()
  await db.schema
    .alterTable('users')
    .addColumn('email_verified', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()

  await db.schema
    .createTable('user_totp')
    .addColumn('user_id', 'bigint', (c) =>
      c.primaryKey().references('users.id').onDelete('cascade'),
    )
    .addColumn('secret', 'text', (c) => c.notNull())
    // Highest time step accepted so far: the replay guard (TOTP-4).
    .addColumn('last_step', 'bigint')
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('recovery_codes_user_idx')
    .on('recovery_codes')
    .column('user_id')
    .execute()

  await db.schema
    .createTable('webauthn_credentials')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('credential_id', 'text', (c) => c.notNull().unique())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('sign_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('transports', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('aaguid', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('backup_eligible', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('backup_state', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rp_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('webauthn_credentials_user_idx')
    .on('webauthn_credentials')
    .column('user_id')
    .execute()

  // Single-use WebAuthn challenges, keyed by who asked (`session:<id>` or `pending:<id>`).
  await db.schema
    .createTable('webauthn_challenges')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('challenge', 'text', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .execute()

  // Password accepted, second factor still due (LG-3). id = SHA-256 of the cookie token.
  await db.schema
    .createTable('pending_logins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('email_snapshot', 'text', (c) => c.notNull())
    .addColumn('first_factor', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .execute()

  // Requested e-mail changes awaiting the link sent to the new address (LG-5).
  await db.schema
    .createTable('email_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('new_email', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .execute()

  // One-time sign-in links made by `vigil user login-link` (5.16).
  await db.schema
    .createTable('login_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .execute()

  // The audit log (AU-1). No foreign keys: events outlive the users they name (LG-7).
  await db.schema
    .createTable('security_events')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('actor_user_id', 'bigint')
    .addColumn('subject_user_id', 'bigint')
    .addColumn('project_id', 'bigint')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('ua_summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('session_ref', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute()
  await db.schema
    .createIndex('security_events_subject_idx')
    .on('security_events')
    .columns(['subject_user_id', 'ts'])
    .execute()
}
