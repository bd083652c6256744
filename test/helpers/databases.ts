/**
 * Runs integration tests on every database, as Kysely's own suite loops over dialects:
 * every call gets a database of its own, migrated to the latest version, with no rows but those
 * the migrations themselves write.
 *
 * Migrating costs 200–900 ms and ran ~1,900 times a suite, so each test process migrates once:
 * - SQLite: one template file, migrated on first use, checkpointed and closed; every call copies
 *   it (~1 ms) and opens the copy through openDatabase, so WAL and synchronous=FULL are as in
 *   production.
 * - PostgreSQL: a pool of migrated schemas in this process's own database. drop() hands the schema
 *   back emptied (every table's rows deleted, its id sequence restarted, then the rows the
 *   migrations wrote put back) with its idle connections; a schema a test ran DDL on (event
 *   triggers note it, see installDdlLog) is dropped instead of reused. Two calls at once get two
 *   schemas.
 * createScratchDatabase() still migrates from nothing, for the tests of the migrations.
 *
 * Each test process gets its own PostgreSQL database (dropped when it ends): Kysely's migrator
 * introspects every schema of a database, and a schema dropped meanwhile by a parallel test
 * process made it fail with "schema … does not exist".
 * PostgreSQL comes from TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 * With CI=true an unreachable PostgreSQL fails the run; elsewhere its tests are skipped, loudly.
 * TEST_DB=sqlite or TEST_DB=postgres narrows the list.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe } from 'node:test'
import pg from 'pg'
import type { DbConfig } from '../../src/config/index.js'
import { type Db, migrateToLatest, openDatabase } from '../../src/db/index.js'
import { migrateTo } from '../../src/db/migrate.js'
import { REPO_ROOT } from './paths.js'

export type TestDialect = 'sqlite' | 'postgres'

export interface TestDatabase {
  db: Db
  dbConfig: DbConfig
  drop(): Promise<void>
}

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

/**
 * null when PostgreSQL answers, else the reason it does not. `npm test` asks once for the whole run
 * and passes the answer on in VIGIL_TEST_PG_PROBLEM (empty: it answers); a file run on its own asks
 * here, in a child process so the answer is there synchronously: a top-level await would let the
 * test files loaded with this one (scripts/test.js runs several small files in one process) start
 * before this one's suites exist, and node:test would run the root's after() hooks in between. A
 * stopped server refuses at once; the long timeout only rides out a machine so loaded that
 * connecting takes seconds (seen at load 14).
 */
function postgresProblem(): string | null {
  const known = process.env.VIGIL_TEST_PG_PROBLEM
  if (known !== undefined) return known === '' ? null : known
  const probe = join(REPO_ROOT, 'scripts', 'pg-probe.js')
  const answer = execFileSync(process.execPath, [probe, PG_URL], { encoding: 'utf8' }) || null
  process.env.VIGIL_TEST_PG_PROBLEM = answer ?? ''
  return answer
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
    await installDdlLog(name)
    return name
  })()
  return ownDatabase
}

/**
 * Event triggers that note the schema of every DDL statement run in this process's database (in the
 * statement's own transaction, so a rolled-back change leaves no note): recycle() then knows
 * whether a test changed a schema's shape with one indexed lookup, where comparing catalogue
 * fingerprints cost ~9 ms of PostgreSQL's CPU per test.
 */
async function installDdlLog(database: string): Promise<void> {
  const c = new pg.Client({ ...pgParams(), database })
  await c.connect()
  try {
    await c.query(`
      create schema ${DDL_LOG_SCHEMA};
      create table ${DDL_LOG} (schema_name text not null);
      create index on ${DDL_LOG} (schema_name);
      create function ${DDL_LOG_SCHEMA}.note_ddl() returns event_trigger language plpgsql as $$
      begin
        insert into ${DDL_LOG} select distinct schema_name from pg_event_trigger_ddl_commands()
         where schema_name is not null;
      end $$;
      create function ${DDL_LOG_SCHEMA}.note_drop() returns event_trigger language plpgsql as $$
      begin
        insert into ${DDL_LOG} select distinct schema_name from pg_event_trigger_dropped_objects()
         where schema_name is not null;
      end $$;
      create event trigger vigil_test_ddl on ddl_command_end execute function ${DDL_LOG_SCHEMA}.note_ddl();
      create event trigger vigil_test_drop on sql_drop execute function ${DDL_LOG_SCHEMA}.note_drop();
    `)
  } finally {
    await c.end()
  }
}

const DDL_LOG_SCHEMA = 'vigil_test_meta'
const DDL_LOG = `${DDL_LOG_SCHEMA}.ddl`

let adminClient: Promise<pg.Client> | null = null

/** One connection to this process's database for handing schemas out and back. */
function admin(): Promise<pg.Client> {
  adminClient ??= (async () => {
    const c = new pg.Client({ ...pgParams(), database: await processDatabase() })
    c.on('error', () => {})
    await c.connect()
    // A test that left a connection holding a lock must not hang the next one: give up and drop.
    await c.query(`set lock_timeout = '5s'`)
    return c
  })()
  return adminClient
}

let sqliteDir: string | null = null

// Registered at import, so on the file's root: a hook added from inside a test would run when
// that test ends.
after(async () => {
  if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true })
  for (const s of freeSchemas) await s.connections?.close().catch(() => {})
  if (adminClient) await (await adminClient).end().catch(() => {})
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

function randomName(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 10)}`
}

function sqliteDirectory(): string {
  sqliteDir ??= mkdtempSync(join(tmpdir(), 'vigil-test-'))
  return sqliteDir
}

let sqliteTemplate: Promise<string> | null = null

/** A migrated SQLite file, complete in itself (WAL checkpointed into it, closed). */
function sqliteTemplateFile(): Promise<string> {
  sqliteTemplate ??= (async () => {
    const file = join(sqliteDirectory(), 'template.sqlite')
    const db = openDatabase({ kind: 'sqlite', file })
    // Only this throw-away file: nothing needs to survive a power cut while it is written.
    db.sqlite?.pragma('synchronous = OFF')
    const r = await migrateToLatest(db)
    if (r.error) throw r.error
    db.sqlite?.pragma('wal_checkpoint(TRUNCATE)')
    // Closing the last connection also removes the -wal file: the copy is the whole database.
    await db.close()
    return file
  })()
  return sqliteTemplate
}

/** undefined: a copy of the migrated template; else run the migrations up to this name ('' = all). */
type Scratch = string | undefined

async function runMigrations(db: Db, upTo: string): Promise<void> {
  const r = upTo ? await migrateTo(db, upTo) : await migrateToLatest(db)
  if (r.error) throw r.error
}

async function createSqlite(scratch: Scratch): Promise<TestDatabase> {
  const dir = mkdtempSync(join(sqliteDirectory(), 'db-'))
  const file = join(dir, 'vigil.sqlite')
  if (scratch === undefined) copyFileSync(await sqliteTemplateFile(), file)
  const dbConfig: DbConfig = { kind: 'sqlite', file }
  const db = openDatabase(dbConfig)
  if (scratch !== undefined) await runMigrations(db, scratch)
  return {
    db,
    dbConfig,
    async drop() {
      await db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A migrated schema ready to hand out: its tables and sequences, the rows to put back, its pool. */
interface PooledSchema {
  name: string
  /** The open pool of the last test that used the schema, for the next (null: open a new one). */
  connections: Db | null
  tables: string[]
  sequences: string[]
  seeds: { table: string; rows: string }[]
}

const freeSchemas: PooledSchema[] = []

/** The migrations' own bookkeeping; kept as it is (its rows say the schema is migrated). */
const KEPT_TABLES = new Set(['kysely_migration', 'kysely_migration_lock'])

async function migratedSchema(database: string): Promise<PooledSchema> {
  const c = await admin()
  const name = randomName('t_')
  await c.query(`create schema ${name}`)
  const db = openDatabase({ kind: 'postgres', ...pgParams(), database, schema: name })
  try {
    const r = await migrateToLatest(db)
    if (r.error) throw r.error
  } finally {
    await db.close()
  }
  const tables = (
    await c.query<{ t: string }>(
      `select tablename as t from pg_tables where schemaname = $1 order by tablename`,
      [name],
    )
  ).rows
    .map((r) => r.t)
    .filter((t) => !KEPT_TABLES.has(t))
  // Rows a migration inserted (none today: 0008 only copies rows that exist) go back after each use.
  const seeds: PooledSchema['seeds'] = []
  for (const table of tables) {
    const r = await c.query<{ rows: string | null }>(
      `select json_agg(t)::text as rows from ${name}.${table} t`,
    )
    if (r.rows[0].rows) seeds.push({ table, rows: r.rows[0].rows })
  }
  const sequences = (
    await c.query<{ s: string }>(
      `select sequencename as s from pg_sequences where schemaname = $1 order by sequencename`,
      [name],
    )
  ).rows.map((r) => r.s)
  // The migrations' own DDL is the schema's starting shape.
  await c.query(`delete from ${DDL_LOG} where schema_name = $1`, [name])
  return { name, connections: null, tables, sequences, seeds }
}

/** Empties a used schema for the next test; false (and the schema dropped) if it cannot be reused.
 * DELETE rather than TRUNCATE: TRUNCATE gives every table new files, ~0.5–1.5 s for all of them
 * on this machine, while deleting a test's few rows takes milliseconds. */
async function recycle(s: PooledSchema): Promise<boolean> {
  const c = await admin()
  try {
    const changed = await c.query(`select 1 from ${DDL_LOG} where schema_name = $1 limit 1`, [
      s.name,
    ])
    if (changed.rowCount) throw new Error('schema changed')
    const statements = [
      'begin',
      // Test data: no need to wait for the disk. Foreign keys off so the order does not matter.
      'set local synchronous_commit = off',
      'set local session_replication_role = replica',
      ...s.tables.map((t) => `delete from ${s.name}.${t}`),
      ...s.sequences.map((q) => `select setval('${s.name}.${q}', 1, false)`),
      ...s.seeds.map(
        (seed) =>
          `insert into ${s.name}.${seed.table} select * from json_populate_recordset(null::${s.name}.${seed.table}, ${c.escapeLiteral(seed.rows)})`,
      ),
      'commit',
    ]
    await c.query(statements.join(';\n'))
    return true
  } catch {
    await c.query('rollback').catch(() => {})
    await c.query(`drop schema if exists ${s.name} cascade`).catch(() => {})
    return false
  }
}

async function createPostgres(scratch: Scratch): Promise<TestDatabase> {
  const database = await processDatabase()
  let pooled: PooledSchema | null = null
  let schema: string
  if (scratch === undefined) {
    pooled = freeSchemas.pop() ?? (await migratedSchema(database))
    schema = pooled.name
  } else {
    schema = randomName('s_')
    await (await admin()).query(`create schema ${schema}`)
  }
  const dbConfig: DbConfig = { kind: 'postgres', ...pgParams(), database, schema }
  // A pooled schema keeps its connections from one test to the next (a new server process per
  // connection cost ~6 ms of PostgreSQL's CPU, and every test opened several). The test gets a Db
  // of its own (caches keyed by the Db start empty) over the same pool; closing it closes the pool.
  const opened = pooled?.connections ?? openDatabase(dbConfig)
  if (pooled) pooled.connections = null
  let closedByTest = false
  const db: Db = {
    ...opened,
    async close() {
      closedByTest = true
      await opened.close()
    },
  }
  if (scratch !== undefined) await runMigrations(db, scratch)
  let dropped = false
  return {
    db,
    dbConfig,
    async drop() {
      if (dropped) return
      dropped = true
      // Kept only when the test left every connection idle (no transaction, no query running).
      const pool = opened.pool
      const idle = pool && pool.totalCount === pool.idleCount && pool.waitingCount === 0
      const keep = pooled !== null && !closedByTest && idle
      if (!keep && !closedByTest) await opened.close()
      if (pooled && (await recycle(pooled))) {
        if (keep) pooled.connections = opened
        freeSchemas.push(pooled)
        return
      }
      if (keep) await opened.close()
      await (await admin()).query(`drop schema if exists ${schema} cascade`)
    },
  }
}

/**
 * A migrated database of the given dialect holding only what the migrations wrote, with its
 * config and a function that gives it back. Every call gets its own, even at the same time.
 */
export function createTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  return dialect === 'sqlite' ? createSqlite(undefined) : createPostgres(undefined)
}

/** Like createTestDatabase, but running the migrations on an empty database as production does:
 * all of them, or those up to and including `upTo`. */
export function createScratchDatabase(dialect: TestDialect, upTo = ''): Promise<TestDatabase> {
  return dialect === 'sqlite' ? createSqlite(upTo) : createPostgres(upTo)
}

// Asked once, at import, before any suite is declared: awaiting one shared promise inside several
// async describe() bodies loses node:test's suite context, so their hooks and tests attach to the
// root (every beforeEach then runs for every test of the file).
const pgProblem: string | null = enabledDialects().includes('postgres') ? postgresProblem() : null

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
