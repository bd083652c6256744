/**
 * What CLI commands print to and how they fail: an `Io` (stdout/stderr lines, the environment)
 * that tests replace, and CliError for expected failures (one clear line, an exit code).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util'
import pino, { type Logger } from 'pino'
import { type Config, ConfigError, type Env, loadConfig } from '../config/index.js'
import { type Ctx, systemClock } from '../context.js'
import { type Db, migrateToLatest, openDatabase } from '../db/index.js'

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

/** The configuration, or a CliError naming the bad variable. */
export function configFrom(io: Io): Config {
  try {
    return loadConfig(io.env)
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(`invalid configuration: ${e.message}`)
    throw e
  }
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel })
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

export async function openMigrated(config: Config): Promise<Db> {
  let db: Db
  try {
    db = openDatabase(config.db)
  } catch (e) {
    throw new CliError(`cannot open the database: ${(e as Error).message}`)
  }
  const r = await migrateToLatest(db)
  if (r.error) {
    await db.close().catch(() => {})
    throw new CliError(`cannot migrate the database: ${(r.error as Error).message ?? r.error}`)
  }
  return db
}
