/**
 * OIDC log-in (spec LG-9): `oidc_identities` ties a provider's (issuer, sub) to a user (ASVS
 * 6.8.1: never the email), and `oidc_flows` holds each authorisation request in flight (state,
 * nonce, PKCE verifier) so that any web process can finish it. Healthchecks has no OIDC (its
 * REMOTE_USER_HEADER mode is the nearest thing). Never edit once merged.
 */
import type { Kysely } from 'kysely'
import { columnTypes, type MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  const t = columnTypes(dialect)
  await db.schema
    .createTable('oidc_identities')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    // The provider's address for the user when the identity was linked (shown, never looked up).
    .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('last_login', 'bigint')
    .execute()
  await db.schema
    .createIndex('oidc_identities_issuer_subject_idx')
    .on('oidc_identities')
    .columns(['issuer', 'subject'])
    .unique()
    .execute()
  await db.schema
    .createIndex('oidc_identities_user_idx')
    .on('oidc_identities')
    .column('user_id')
    .execute()

  await db.schema
    .createTable('oidc_flows')
    // SHA-256 hex of the `state` value (also kept in the browser's `vigil_oidc` cookie).
    .addColumn('id', 'text', (c) => c.primaryKey())
    // `login` or `reauth`.
    .addColumn('purpose', 'text', (c) => c.notNull())
    // For `reauth`: whose session asked (its id, a digest), so another session cannot finish it.
    .addColumn('user_id', 'bigint', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('session_id', 'text')
    // 1 when the re-authentication is for a class D action (RA-5), checked again on return.
    .addColumn('downgrade', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('nonce', 'text', (c) => c.notNull())
    // The PKCE code_verifier, sealed with the secret box (secrets encrypted at rest).
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    // A local path to open afterwards (already checked), or ''.
    .addColumn('next', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('expires', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('oidc_flows_expires_idx').on('oidc_flows').column('expires').execute()
}
