export { type Db, type Dialect, isDatabaseUp, openDatabase } from './database.js'
export {
  type DatabaseFault,
  databaseFault,
  describeDatabaseFault,
  isDatabaseFault,
  shortReason,
} from './database-faults.js'
export { migrateToLatest, pendingMigrations } from './migrate.js'
export type * from './tables.js'
