export {
  type Db,
  type Dialect,
  isDatabaseUp,
  openDatabase,
  SQLITE_STATEMENT_CACHE,
  withStatementCache,
} from './database.js'
export {
  type DatabaseFault,
  databaseFault,
  describeDatabaseFault,
  isDatabaseFault,
  shortReason,
} from './database-faults.js'
export { type GroupCommit, groupCommit, type WriteUnit } from './group-commit.js'
export { claimLeased, type LeaseClaim, type LeasedTable } from './lease-claim.js'
export { migrateToLatest, pendingMigrations } from './migrate.js'
export { lockForUpdate, type RowLock } from './row-lock.js'
export { readStatus, writeStatus } from './system-status-store.js'
export type * from './tables.js'
export type { Check } from './tables.js'
export { withTransaction } from './transaction.js'
