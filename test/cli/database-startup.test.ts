/**
 * SEC-STARTUP: a database fault that waiting cannot cure (no such database, unknown role, an
 * unopenable SQLite file) stops `vigil serve` at once with exit 78 and one line saying what is
 * wrong and how to fix it; `vigil migrate` does the same and `vigil doctor` reports it. A
 * transient fault (connection refused) keeps `serve` retrying, one short line per attempt.
 * Runs the real CLI against the local PostgreSQL (skipped when it does not answer).
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, test } from 'node:test'
import pg from 'pg'
import { runVigil, spawnVigil, type VigilProcess } from '../helpers/cli.js'
import { closedPort } from '../helpers/smtp-sink.js'

const PG_URL = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test')
const PG_ENV = {
  DB: 'postgres',
  DB_HOST: PG_URL.hostname,
  DB_PORT: PG_URL.port || '5432',
  DB_USER: decodeURIComponent(PG_URL.username) || 'postgres',
  DB_PASSWORD: decodeURIComponent(PG_URL.password),
}
const MISSING_DB = `vigil_missing_${process.pid}`

async function postgresAnswers(): Promise<boolean> {
  if (process.env.TEST_DB === 'sqlite') return false
  const c = new pg.Client({ connectionString: PG_URL.href, connectionTimeoutMillis: 5000 })
  try {
    await c.connect()
    await c.query(`drop database if exists ${MISSING_DB}`)
    return true
  } catch {
    return false
  } finally {
    await c.end().catch(() => {})
  }
}
const noPostgres = !(await postgresAnswers())

/** `vigil serve` as a real process in `cwd`, with only the given environment (plus PATH). */
function serve(env: Record<string, string>, cwd: string): VigilProcess {
  return spawnVigil(['serve'], cwd, env)
}

/** What a run printed, without the JSON log lines. */
function plainLines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('{'))
}

let dir: string
let running: VigilProcess | null = null
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-dbstart-'))
})
afterEach(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGKILL')
    await running.exited
  }
  running = null
  rmSync(dir, { recursive: true, force: true })
})

describe('SEC-STARTUP on PostgreSQL', { skip: noPostgres && 'PostgreSQL does not answer' }, () => {
  test('SEC-STARTUP serve with a database that does not exist exits 78 with one line naming createdb', {
    timeout: 30_000,
  }, async () => {
    const started = Date.now()
    running = serve({ ...PG_ENV, DB_NAME: MISSING_DB }, dir)
    assert.equal(await running.exited, 78)
    assert.ok(Date.now() - started < 20_000, 'within seconds, not after retries')
    const lines = plainLines(running.stderr())
    assert.equal(lines.length, 1, running.stderr())
    assert.match(lines[0], new RegExp(`database "${MISSING_DB}" does not exist`))
    assert.match(
      lines[0],
      new RegExp(`createdb -h ${PG_ENV.DB_HOST} -p ${PG_ENV.DB_PORT} .*${MISSING_DB}`),
    )
    assert.doesNotMatch(running.stderr() + running.stdout(), /\n\s+at /, 'no stack trace')
    assert.doesNotMatch(running.stdout(), /retrying/)
  })

  test('SEC-STARTUP serve with an unknown role exits 78 naming createuser', {
    timeout: 30_000,
  }, async () => {
    running = serve({ ...PG_ENV, DB_USER: 'vigil_nobody', DB_NAME: 'postgres' }, dir)
    assert.equal(await running.exited, 78)
    const lines = plainLines(running.stderr())
    assert.equal(lines.length, 1, running.stderr())
    assert.match(lines[0], /no role "vigil_nobody"; create it with `createuser .*vigil_nobody`/)
  })

  test('SEC-STARTUP migrate exits 78 and doctor names the fix for a missing database', {
    timeout: 30_000,
  }, async () => {
    // In process, so in the repository's folder: with its own key it never depends on whether an
    // earlier test already generated data/secret_key there (a clean clone has none yet).
    const env = { ...PG_ENV, DB_NAME: MISSING_DB, SECRET_KEY: 'startup-test-'.padEnd(64, 'k') }
    const migrate = await runVigil(env, 'migrate')
    assert.equal(migrate.code, 78)
    assert.match(migrate.err, /^vigil: migration failed: database ".*" does not exist .*`createdb /)
    assert.equal(migrate.err.split('\n').length, 1)
    const doctor = await runVigil(env, 'doctor')
    assert.equal(doctor.code, 2)
    assert.match(doctor.out, /vigil\.E001/)
    assert.match(doctor.out, new RegExp(`createdb .*${MISSING_DB}`))
  })
})

test('SEC-STARTUP serve with an unopenable SQLite file exits 78 with one line', {
  timeout: 30_000,
}, async () => {
  const notAFile = join(dir, 'a-directory')
  mkdirSync(notAFile)
  running = serve({ DB_NAME: notAFile }, dir)
  assert.equal(await running.exited, 78)
  const lines = plainLines(running.stderr())
  assert.equal(lines.length, 1, running.stderr())
  assert.match(lines[0], /cannot open the SQLite database .*a-directory.*check DB_NAME/)
})

test('SEC-STARTUP serve keeps retrying a refused connection, one short line per attempt', {
  timeout: 40_000,
}, async () => {
  running = serve({ ...PG_ENV, DB_PORT: String(await closedPort()) }, dir)
  const deadline = Date.now() + 20_000
  const retries = () =>
    running
      ?.stdout()
      .split('\n')
      .filter((l) => l.includes('retrying in 2 s')) ?? []
  while (retries().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  assert.equal(running.child.exitCode, null, 'still running')
  const lines = retries()
  assert.ok(lines.length >= 2, running.stdout())
  for (const line of lines) {
    const entry = JSON.parse(line) as Record<string, unknown>
    assert.equal(entry.err, undefined, 'no error object (no stack)')
    assert.match(String(entry.msg), /is not available: .*ECONNREFUSED/)
    assert.ok(line.length < 400, `short line: ${line.length} characters`)
  }
  running.child.kill('SIGTERM')
  assert.equal(await running.exited, 0)
})
