/**
 * Passkeys (spec WA-7): a security key may be registered as a passkey, i.e. a discoverable
 * credential whose registration proved user verification. Only those may sign in on their own
 * when PASSKEY_LOGIN is on; existing keys stay second factors (0). Never edit once merged.
 */
import type { Kysely } from 'kysely'
import type { MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, _dialect: MigrationDialect): Promise<void> {
  await db.schema
    .alterTable('webauthn_credentials')
    .addColumn('passkey', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}
