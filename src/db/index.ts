export { type Db, type Dialect, isDatabaseUp, openDatabase } from './database.js'
export { migrateToLatest, pendingMigrations } from './migrate.js'
export type * from './tables.js'
