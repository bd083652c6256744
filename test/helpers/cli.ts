/**
 * Runs the `vigil` command in-process, as tests need it: with a given environment, collecting
 * what it prints, and the environment that points it at a test database.
 */
import { type Io, main } from '../../src/cli/main.js'
import type { DbConfig, Env } from '../../src/config/index.js'

export interface CliRun {
  code: number
  out: string
  err: string
}

export async function runVigil(env: Env, ...argv: string[]): Promise<CliRun> {
  const out: string[] = []
  const err: string[] = []
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), env }
  const code = await main(argv, io)
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** Environment variables that make the CLI use the given test database. */
export function databaseEnv(db: DbConfig): Env {
  if (db.kind === 'sqlite') return { DB: 'sqlite', DB_NAME: db.file }
  return {
    DATABASE_URL: `postgres://${db.user}@${db.host}:${db.port}/${db.database}?schema=${db.schema}`,
  }
}
