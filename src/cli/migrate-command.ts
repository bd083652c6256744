/** `vigil migrate`: applies pending migrations and lists what it applied. */
import { type Db, migrateToLatest, openDatabase } from '../db/index.js'
import { configFrom, databaseCliError, type Io, parseOptions } from './io.js'

const USAGE = 'Usage: vigil migrate'

export async function migrateCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(args, {}, USAGE)
  if (values.help) {
    io.out(`${USAGE}\n\nApplies pending database migrations (serve also does this on start).`)
    return 0
  }
  const config = configFrom(io)
  let db: Db
  try {
    // Migrations may take longer than DB_STATEMENT_TIMEOUT (an index on a large table).
    db = openDatabase({ ...config.db, statementTimeoutMs: 0 })
  } catch (e) {
    throw databaseCliError(e, config, 'cannot open the database')
  }
  try {
    const r = await migrateToLatest(db)
    for (const m of r.results ?? [])
      io.out(`${m.status === 'Success' ? 'applied' : m.status}: ${m.migrationName}`)
    if (r.error) throw databaseCliError(r.error, config, 'migration failed')
    if (!r.results?.length) io.out('database is up to date')
    return 0
  } finally {
    await db.close()
  }
}
