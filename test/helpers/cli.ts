/**
 * Runs the `vigil` command in-process, as tests need it: with a given environment, collecting
 * what it prints, and the environment that points it at a test database.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { type Io, main } from '../../src/cli/main.js'
import type { DbConfig, Env } from '../../src/config/index.js'
import { nodeArgsFor } from './paths.js'

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

/** A `vigil` command running as a real process (spawnVigil), with what it printed so far. */
export interface VigilProcess {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exited: Promise<number | null>
}

const ENTRY = nodeArgsFor(import.meta.url, '../../src/cli/main-entry')

/**
 * `vigil <args>` as a real process in `cwd`, with only `env` (plus PATH, and PORT=0 and
 * HOST=127.0.0.1 unless given): for start-up behaviour an in-process run cannot show.
 */
export function spawnVigil(args: string[], cwd: string, env: Record<string, string>): VigilProcess {
  const child = spawn(process.execPath, [...ENTRY, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString()
  })
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, stdout: () => out, stderr: () => err, exited }
}
