/**
 * What a migration file gets: the dialect, and the few column types that differ between
 * SQLite and PostgreSQL. Everything else in a migration is written once.
 */
import type { ColumnDefinitionBuilder } from 'kysely'

export type MigrationDialect = 'sqlite' | 'postgres'

export function columnTypes(dialect: MigrationDialect) {
  if (dialect === 'sqlite') {
    return {
      id: 'integer',
      idConstraints: (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement(),
      blob: 'blob',
    } as const
  }
  return {
    id: 'bigserial',
    idConstraints: (c: ColumnDefinitionBuilder) => c.primaryKey(),
    blob: 'bytea',
  } as const
}
