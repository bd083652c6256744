/**
 * API keys in their own table (spec AK-1/AK-2): one read-write and one read-only key per project,
 * stored as Healthchecks does (`<first 8 secret chars>.<HMAC-SHA256 hex>`), with who made each,
 * when, when it was last used and when it expires. Keys kept until now as SHA-256 digests on
 * projects move here as legacy rows (`lookup` = `stored` = the digest) and keep working; the
 * old columns are emptied. Never edit once merged.
 */
import { type Kysely, sql } from 'kysely'
import { columnTypes, type MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  const t = columnTypes(dialect)
  await db.schema
    .createTable('api_keys')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    // 1: read-only (hcr_), 0: read-write (hcw_).
    .addColumn('readonly', 'integer', (c) => c.notNull())
    // Indexed search value: the 8 secret characters of a hashed key, or a legacy key's digest.
    .addColumn('lookup', 'text', (c) => c.notNull())
    // `<8 chars>.<hmac hex>`, or the SHA-256 hex of a legacy 32-character key.
    .addColumn('stored', 'text', (c) => c.notNull())
    .addColumn('created_by', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('api_keys_project_kind_idx')
    .on('api_keys')
    .columns(['project_id', 'readonly'])
    .unique()
    .execute()
  await db.schema.createIndex('api_keys_lookup_idx').on('api_keys').column('lookup').execute()

  await sql`
    INSERT INTO api_keys (project_id, readonly, lookup, stored, created_by, created_at)
    SELECT id, 0, api_key_hash, api_key_hash, owner_id, created
    FROM projects WHERE api_key_hash IS NOT NULL AND api_key_hash <> ''
  `.execute(db)
  await sql`
    INSERT INTO api_keys (project_id, readonly, lookup, stored, created_by, created_at)
    SELECT id, 1, api_key_readonly_hash, api_key_readonly_hash, owner_id, created
    FROM projects WHERE api_key_readonly_hash IS NOT NULL AND api_key_readonly_hash <> ''
  `.execute(db)
  await sql`UPDATE projects SET api_key_hash = NULL, api_key_readonly_hash = NULL`.execute(db)
}
