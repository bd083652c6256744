/**
 * Runs integration tests on every database, as Kysely's own suite loops over dialects:
 * a fresh SQLite file and a fresh PostgreSQL schema per call, migrated to the latest version.
 * Each test process gets its own PostgreSQL database (dropped when it ends): Kysely's migrator
 * introspects every schema of a database, and a schema dropped meanwhile by a parallel test
 * process made it fail with "schema … does not exist".
 * PostgreSQL comes from TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 * With CI=true an unreachable PostgreSQL fails the run; elsewhere its tests are skipped, loudly.
 * TEST_DB=sqlite or TEST_DB=postgres narrows the list.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe } from 'node:test'
import pg from 'pg'
import type { DbConfig } from '../../src/config/index.js'
import { type Db, migrateToLatest, openDatabase } from '../../src/db/index.js'

export type TestDialect = 'sqlite' | 'postgres'

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

function pgParams() {
  const u = new URL(PG_URL)
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    database: u.pathname.slice(1) || 'test',
    user: decodeURIComponent(u.username) || 'postgres',
    password: decodeURIComponent(u.password),
  }
}

let pgReachable: Promise<string | null> | null = null

/** null when PostgreSQL answers, else the reason it does not. A stopped server refuses at once; the
 * long timeout only rides out a machine so loaded that connecting takes seconds (seen at load 14). */
function postgresProblem(): Promise<string | null> {
  pgReachable ??= (async () => {
    const client = new pg.Client({ ...pgParams(), connectionTimeoutMillis: 15_000 })
    try {
      await client.connect()
      await client.query('select 1')
      return null
    } catch (e) {
      return (e as Error).message
    } finally {
      await client.end().catch(() => {})
    }
  })()
  return pgReachable
}

let ownDatabase: Promise<string> | null = null

/** This process's own PostgreSQL database, created on first use and dropped after the run. */
function processDatabase(): Promise<string> {
  ownDatabase ??= (async () => {
    const name = `vigil_test_${process.pid}`
    const admin = new pg.Client(pgParams())
    await admin.connect()
    // A database of a crashed run whose pid came round again.
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.query(`create database ${name} template template0`)
    await admin.end()
    return name
  })()
  return ownDatabase
}

// Registered at import, so on the file's root: a hook added from inside a test would run when
// that test ends.
after(async () => {
  if (!ownDatabase) return
  const name = await ownDatabase
  const c = new pg.Client(pgParams())
  await c.connect()
  await c.query(`drop database if exists ${name} with (force)`)
  await c.end()
})

export function enabledDialects(): TestDialect[] {
  const only = process.env.TEST_DB
  return (['sqlite', 'postgres'] as const).filter((d) => !only || only === d)
}

/** A fresh, migrated database of the given dialect, with its config and a cleanup function. */
export async function createTestDatabase(
  dialect: TestDialect,
): Promise<{ db: Db; dbConfig: DbConfig; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-test-'))
    const dbConfig: DbConfig = { kind: 'sqlite', file: join(dir, 'vigil.sqlite') }
    const db = openDatabase(dbConfig)
    const r = await migrateToLatest(db)
    if (r.error) throw r.error
    return {
      db,
      dbConfig,
      async drop() {
        await db.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  const database = await processDatabase()
  const schema = `t_${Math.random().toString(36).slice(2, 10)}`
  const admin = new pg.Client({ ...pgParams(), database })
  await admin.connect()
  await admin.query(`create schema ${schema}`)
  await admin.end()
  const dbConfig: DbConfig = { kind: 'postgres', ...pgParams(), database, schema }
  const db = openDatabase(dbConfig)
  const r = await migrateToLatest(db)
  if (r.error) throw r.error
  return {
    db,
    dbConfig,
    async drop() {
      await db.close()
      const c = new pg.Client({ ...pgParams(), database })
      await c.connect()
      await c.query(`drop schema if exists ${schema} cascade`)
      await c.end()
    },
  }
}

// Asked once, at import, before any suite is declared: awaiting one shared promise inside several
// async describe() bodies loses node:test's suite context, so their hooks and tests attach to the
// root (every beforeEach then runs for every test of the file).
const pgProblem: string | null = enabledDialects().includes('postgres')
  ? await postgresProblem()
  : null

/**
 * Declares `describe(`${name} [dialect]`)` once per database. Inside, `body` gets the dialect;
 * use createTestContext(dialect) in a beforeEach/before to get a database.
 */
export function describeEachDatabase(name: string, body: (dialect: TestDialect) => void): void {
  for (const dialect of enabledDialects()) {
    if (dialect === 'postgres') {
      describe(`${name} [postgres]`, () => {
        const problem = pgProblem
        if (problem) {
          if (process.env.CI === 'true') {
            throw new Error(`PostgreSQL is required in CI but unreachable at ${PG_URL}: ${problem}`)
          }
          describe('PostgreSQL unreachable', {
            skip: `SKIPPED: PostgreSQL unreachable at ${PG_URL} (${problem})`,
          }, () => {})
          return
        }
        body(dialect)
      })
    } else {
      describe(`${name} [sqlite]`, () => body(dialect))
    }
  }
}
