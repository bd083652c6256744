/**
 * Public status pages (issue 15, item 6): `status_pages` (per project; a slug unique on the
 * instance, as the public URL `/status/<slug>` names no project; `token_hash` is the SHA-256 of a
 * private page's access token, null for a public page), the checks a page lists by hand with
 * their public names (`status_page_checks`; tags are a column of the page), and manual incident
 * notes with their state updates. Everything cascades from the project, page or check. Never
 * edit once merged.
 */
import type { Kysely } from 'kysely'
import { columnTypes, type MigrationDialect } from '../migration-types.js'

export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  const t = columnTypes(dialect)
  await db.schema
    .createTable('status_pages')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('project_id', 'bigint', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('token_hash', 'text')
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('updated', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('status_pages_project_idx')
    .on('status_pages')
    .column('project_id')
    .execute()

  await db.schema
    .createTable('status_page_checks')
    .addColumn('page_id', 'bigint', (c) =>
      c.notNull().references('status_pages.id').onDelete('cascade'),
    )
    .addColumn('check_id', 'bigint', (c) => c.notNull().references('checks.id').onDelete('cascade'))
    .addColumn('public_name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('status_page_checks_pk', ['page_id', 'check_id'])
    .execute()

  await db.schema
    .createTable('status_page_notes')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('page_id', 'bigint', (c) =>
      c.notNull().references('status_pages.id').onDelete('cascade'),
    )
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .execute()
  await db.schema
    .createIndex('status_page_notes_page_idx')
    .on('status_page_notes')
    .columns(['page_id', 'created'])
    .execute()

  await db.schema
    .createTable('status_page_note_updates')
    .addColumn('id', t.id, t.idConstraints)
    .addColumn('note_id', 'bigint', (c) =>
      c.notNull().references('status_page_notes.id').onDelete('cascade'),
    )
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('status_page_note_updates_note_idx')
    .on('status_page_note_updates')
    .column('note_id')
    .execute()
}
