/**
 * What CLI commands print to and how they fail: an `Io` (stdout/stderr lines, the environment)
 * that tests replace, and CliError for expected failures (one clear line, an exit code).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util'
import pino, { type Logger } from 'pino'
import {
  type Config,
  ConfigError,
  type Env,
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

export interface Io {
  out(line: string): void
  err(line: string): void
  env: Env
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}

/** parseArgs with strict options; unknown options and missing values become a CliError. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    })
  } catch (e) {
    throw new CliError(`${(e as Error).message}\n${usage}`, 2)
  }
}

export function requireOption(value: string | undefined, name: string, usage: string): string {
  if (value === undefined || value === '') throw new CliError(`--${name} is required\n${usage}`, 2)
  return value
}

/**
 * The configuration, or a CliError naming the bad variable. Without SECRET_KEY (outside
 * production) every command uses the key stored in the data folder, generating it the first time
 * (config/secret-key-file.ts), so `serve`, `doctor` and `user …` agree on one key.
 */
export function configFrom(io: Io): Config {
  try {
    const { config, storedKey } = loadConfigWithStoredKey(io.env)
    if (storedKey?.created) io.err(`vigil: ${storedKeyLine(storedKey)}`)
    return config
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(`invalid configuration: ${e.message}`)
    throw e
  }
}

/** The one line saying where the secret key came from when SECRET_KEY is unset. */
export function storedKeyLine(k: StoredSecretKey): string {
  return k.created
    ? `SECRET_KEY is not set: generated a random one and stored it in ${k.file} (mode 0600); it is used from now on. Set SECRET_KEY to use your own.`
    : `SECRET_KEY is not set: using the one generated on first start, stored in ${k.file}.`
}

/** Opens and migrates the database, runs `fn` with a context, and closes the database. */
export async function withContext<T>(
  io: Io,
  fn: (ctx: Ctx) => Promise<T>,
  logger?: Logger,
): Promise<T> {
  const config = configFrom(io)
  const db = await openMigrated(config)
  try {
    return await fn({ db, clock: systemClock, config, log: logger ?? pino({ level: 'silent' }) })
  } finally {
    await db.close()
  }
}

/**
 * A database fault as one CliError line: what is wrong and how to fix it (db/database-faults);
 * exit 78 when the settings or the server's set-up must change, as `serve` does.
 */
export function databaseCliError(e: unknown, config: Config, doing: string): CliError {
  const fault = databaseFault(e)
  if (fault === null) return new CliError(`${doing}: ${shortReason(e)}`)
  return new CliError(
    `${doing}: ${describeDatabaseFault(e, config.db)}`,
    fault === 'misconfigured' ? EXIT_CONFIG : 1,
  )
}

export async function openMigrated(config: Config): Promise<Db> {
  let db: Db
  try {
    // Commands are short and migrations may be long: no statement timeout here.
    db = openDatabase({ ...config.db, statementTimeoutMs: 0 })
  } catch (e) {
    throw databaseCliError(e, config, 'cannot open the database')
  }
  const r = await migrateToLatest(db)
  if (r.error) {
    await db.close().catch(() => {})
    throw databaseCliError(r.error, config, 'cannot migrate the database')
  }
  return db
}
