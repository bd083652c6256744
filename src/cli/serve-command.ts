/**
 * `vigil serve [--role all|web|worker|smtpd]`: checks the configuration first (DOC-1: a fatal
 * finding or an invalid setting exits 78), migrates, then runs the HTTP server and/or the worker
 * and/or the ping-by-email SMTP server (role smtpd, or all with SMTPD_PORT set) until
 * SIGINT/SIGTERM, with the mail probes in the background. With an unreachable database at start
 * it keeps retrying (one line each) instead of exiting, so a supervisor's restart loop is not
 * needed; a database fault that waiting cannot cure (no such database, bad credentials) exits 78.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { startWorker } from '../alerts/index.js'
import { buildApp } from '../app.js'
import {
  type Config,
  ConfigError,
  EXIT_CONFIG,
  loadConfigWithStoredKey,
  type StoredSecretKey,
} from '../config/index.js'
import { type Ctx, systemClock } from '../context.js'
import {
  type Db,
  databaseFault,
  describeDatabaseFault,
  migrateToLatest,
  openDatabase,
  shortReason,
} from '../db/index.js'
import {
  configFindings,
  logFinding,
  recordSecretFingerprint,
  refusalText,
  reportStartupFindings,
  runDoctor,
  startProbeSchedule,
} from '../doctor/index.js'
import { startSmtpd } from '../pings/index.js'
import { recordSiteRoot } from './instance-site-root.js'
import { CliError, type Io, parseOptions, storedKeyLine } from './io.js'
import { createLogger } from './log-format.js'

const USAGE = 'Usage: vigil serve [--role all|web|worker|smtpd]'
const ROLES = ['all', 'web', 'worker', 'smtpd'] as const
/** The SMTP port of role smtpd when SMTPD_PORT is unset (25 needs root). */
const SMTPD_DEFAULT_PORT = 2525
type Role = (typeof ROLES)[number]

/** Start-up gave up: the database settings or server set-up must change first. */
class PermanentDatabaseError extends Error {}

/**
 * Opens and migrates the database. Transient faults (refused, timed out, shutting down) are
 * retried every 2 s with one short line each; a fault that waiting cannot cure (no such database,
 * bad credentials: see db/database-faults) throws PermanentDatabaseError with the line to print.
 * Other migration failures are logged with the error once, then retried with short lines.
 */
async function openWithRetry(
  config: Config,
  log: Ctx['log'],
  signal: AbortSignal,
): Promise<Db | null> {
  for (let attempt = 1; !signal.aborted; attempt++) {
    let error: unknown
    try {
      const { db, migrated } = await openMigrated(config)
      // One line, not one per migration (a first start applies them all).
      if (migrated.length > 0)
        log.info(
          { migrations: migrated },
          `applied ${migrated.length} database migration${migrated.length === 1 ? '' : 's'} (${migrated.at(-1)} is the latest)`,
        )
      return db
    } catch (e) {
      error = e
    }
    const fault = databaseFault(error)
    const line = describeDatabaseFault(error, config.db)
    if (fault === 'misconfigured') throw new PermanentDatabaseError(line)
    if (fault === null && attempt === 1)
      log.error({ err: error }, `migration failed: ${shortReason(error)}; retrying every 2 s`)
    else
      log.warn(
        { attempt },
        `${fault === null ? `migration failed: ${shortReason(error)}` : line}; retrying in 2 s`,
      )
    await sleep(2000, undefined, { signal }).catch(() => {})
  }
  return null
}

/**
 * Migrates, then opens the database the server uses. On PostgreSQL migrations may take longer
 * than DB_STATEMENT_TIMEOUT (an index on a large pings table), so they run on their own pool
 * without it. SQLite keeps one handle (a `:memory:` database must keep its schema); its busy
 * timeout bounds only the wait for the lock. Returns the names applied; throws what failed.
 */
async function openMigrated(config: Config): Promise<{ db: Db; migrated: string[] }> {
  const sqlite = config.db.kind === 'sqlite'
  const migrationDb = openDatabase(sqlite ? config.db : { ...config.db, statementTimeoutMs: 0 })
  try {
    const r = await migrateToLatest(migrationDb)
    if (r.error) throw r.error
    const migrated = (r.results ?? []).map((m) => m.migrationName)
    if (sqlite) return { db: migrationDb, migrated }
    await migrationDb.close()
    return { db: openDatabase(config.db), migrated }
  } catch (e) {
    await migrationDb.close().catch(() => {})
    throw e
  }
}

/** The database in the "is up" line: SQLite's file, or PostgreSQL's host and name (no password). */
function describeDb(config: Config): string {
  const d = config.db
  return d.kind === 'sqlite' ? `SQLite ${d.file}` : `PostgreSQL ${d.host}:${d.port}/${d.database}`
}

export async function serveCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(args, { role: { type: 'string' } }, USAGE)
  if (values.help) {
    io.out(
      `${USAGE}\n\nall (default): HTTP server and worker in one process.\nweb: HTTP only (pings, API, pages).\nworker: timeouts, flips, notifications and mail only.\nsmtpd: the ping-by-email SMTP server only, on HOST:SMTPD_PORT (default 2525); role all runs it too when SMTPD_PORT is set.\nListens on HOST:PORT (default 0.0.0.0:8000).`,
    )
    return 0
  }
  const role = (values.role ?? 'all') as Role
  if (!ROLES.includes(role))
    throw new CliError(`--role must be all, web, worker or smtpd, got "${values.role}"`, 2)
  let config: Config
  let storedKey: StoredSecretKey | null
  try {
    ;({ config, storedKey } = loadConfigWithStoredKey(io.env))
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e
    const id = e.variable === 'SITE_ROOT' ? 'SITE-001 ' : ''
    io.err(
      `vigil: refusing to start: ${id}invalid setting ${e.message}. Fix ${e.variable} and start again.`,
    )
    return EXIT_CONFIG
  }
  const log = createLogger(config)
  if (storedKey) log.info({ file: storedKey.file }, storedKeyLine(storedKey))
  // DOC-1: static checks before anything opens; a fatal one refuses the start.
  const staticFindings = configFindings(config)
  const fatal = staticFindings.filter((f) => f.severity === 'fatal')
  if (fatal.length > 0) {
    reportStartupFindings(log, staticFindings)
    io.err(refusalText(fatal))
    return EXIT_CONFIG
  }
  for (const f of staticFindings) logFinding(log, f)

  const stopping = new AbortController()
  const onSignal = () => stopping.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)

  let db: Db | null
  try {
    db = await openWithRetry(config, log, stopping.signal)
  } catch (e) {
    if (!(e instanceof PermanentDatabaseError)) throw e
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    io.err(`vigil: refusing to start: ${e.message}`)
    return EXIT_CONFIG
  }
  if (!db) return 0
  const ctx: Ctx = { db, clock: systemClock, config, log }
  // Then what the database knows (still before listening); the worker check is left to the
  // running instance, since this process may be the worker that is about to start.
  const keyChange = await recordSecretFingerprint(ctx).catch(() => null)
  const known = new Set(staticFindings.map((f) => f.id))
  const stateFindings = await runDoctor(ctx, { network: false })
    .then((all) => all.filter((f) => !known.has(f.id) && !['vigil.E003', 'SEC-003'].includes(f.id)))
    .catch(() => [])
  reportStartupFindings(log, [...(keyChange ? [keyChange] : []), ...stateFindings], staticFindings)

  const app = role === 'worker' || role === 'smtpd' ? null : await buildApp(ctx)
  if (app) {
    // Fastify logs one "Server listening at" line per network interface; the "is up" line below
    // says the address to open and where it listens, so those are kept for LOG_LEVEL=debug.
    const level = log.level
    if (log.isLevelEnabled('info') && !log.isLevelEnabled('debug')) log.level = 'warn'
    let listening: string
    try {
      listening = await app.listen({ port: config.port, host: config.host })
    } catch (e) {
      await db.close()
      throw new CliError(`cannot listen on ${config.host}:${config.port}: ${(e as Error).message}`)
    } finally {
      log.level = level
    }
    // Commands from another shell build their URLs from it (cli/instance-site-root.ts).
    await recordSiteRoot(ctx).catch((e) => log.warn({ err: e }, 'could not record the site root'))
    // Fastify has logged the bound addresses; say what users will see.
    const port = new URL(listening).port
    log.info(
      { listening: `${config.host}:${port}` },
      `${config.siteName} is up: open ${config.siteRoot} (listening on ${config.host}:${port}, role ${role}, database ${describeDb(config)})`,
    )
  }
  const worker = role === 'web' || role === 'smtpd' ? null : startWorker(ctx)
  if (worker) log.info('worker started')
  const smtpdPort =
    role === 'smtpd'
      ? (config.smtpd.port ?? SMTPD_DEFAULT_PORT)
      : role === 'all'
        ? config.smtpd.port
        : null
  const smtpd =
    smtpdPort === null
      ? null
      : await startSmtpd(ctx, { host: config.host, port: smtpdPort }).catch(async (e: Error) => {
          await app?.close()
          await worker?.stop()
          await db.close()
          throw new CliError(`cannot listen for SMTP on ${config.host}:${smtpdPort}: ${e.message}`)
        })
  if (smtpd)
    log.info(
      `ping by email: SMTP on ${config.host}:${smtpd.port} for @${config.smtpd.pingEmailDomain ?? 'localhost'}`,
    )
  const probes = startProbeSchedule(ctx)

  await new Promise<void>((resolve) => {
    if (stopping.signal.aborted) resolve()
    stopping.signal.addEventListener('abort', () => resolve(), { once: true })
  })
  log.info('shutting down')
  await probes.stop()
  await app?.close()
  await smtpd?.close()
  await worker?.stop()
  await db.close()
  return 0
}
