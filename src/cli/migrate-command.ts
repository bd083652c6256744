/** `vigil migrate`: applies pending migrations and lists what it applied. */
import { migrateToLatest, openDatabase } from '../db/index.js'
import { CliError, configFrom, type Io, parseOptions } from './io.js'

const USAGE = 'Usage: vigil migrate'

export async function migrateCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(args, {}, USAGE)
  if (values.help) {
    io.out(`${USAGE}\n\nApplies pending database migrations (serve also does this on start).`)
    return 0
  }
  const config = configFrom(io)
  const db = openDatabase(config.db)
  try {
    const r = await migrateToLatest(db)
    for (const m of r.results ?? [])
      io.out(`${m.status === 'Success' ? 'applied' : m.status}: ${m.migrationName}`)
    if (r.error) throw new CliError(`migration failed: ${(r.error as Error).message ?? r.error}`)
    if (!r.results?.length) io.out('database is up to date')
    return 0
  } finally {
    await db.close()
  }
}
