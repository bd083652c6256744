/**
 * Opens the database named by the configuration: better-sqlite3 (WAL, synchronous=FULL so an
 * acknowledged ping survives a power cut) or a pg pool. Both are wrapped in one Kysely<Database>,
 * so every query is written once. The raw SQLite handle is exposed for the ping path's group commit.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import pg from 'pg'
import type { DbConfig } from '../config/index.js'
import type { Database } from './tables.js'

export type Dialect = 'sqlite' | 'postgres'

export interface Db {
  kysely: Kysely<Database>
  dialect: Dialect
  /** The better-sqlite3 handle (SQLite only), for synchronous batched writes on the ping path. */
  sqlite: SQLite.Database | null
  /** The pg pool (PostgreSQL only). */
  pool: pg.Pool | null
  /** The PostgreSQL schema in use (null on SQLite). */
  schema: string | null
  close(): Promise<void>
}

const INT8_OID = 20
const NUMERIC_OID = 1700

/** Opens a connection (pool) without touching the schema; see migrate.ts for that. */
export function openDatabase(cfg: DbConfig): Db {
  if (cfg.kind === 'sqlite') {
    if (cfg.file !== ':memory:') mkdirSync(dirname(cfg.file), { recursive: true })
    const handle = new SQLite(cfg.file)
    handle.pragma('journal_mode = WAL')
    handle.pragma('synchronous = FULL')
    handle.pragma('busy_timeout = 5000')
    handle.pragma('foreign_keys = ON')
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) })
    return {
      kysely,
      dialect: 'sqlite',
      sqlite: handle,
      pool: null,
      schema: null,
      async close() {
        await kysely.destroy()
      },
    }
  }
  const pool = new pg.Pool({
    host: cfg.host,
    port: cfg.port,
    database: cfg.database,
    user: cfg.user,
    password: cfg.password,
    max: 10,
    connectionTimeoutMillis: 5000,
    options: cfg.schema ? `-c search_path=${cfg.schema}` : undefined,
    // Instants are epoch-ms bigints: read them as JS numbers (exact up to 2^53).
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  })
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  // Nor may a checked-out one: pg emits 'error' on it (besides failing its query) and the pool
  // listens only while the client is idle. The pool drops the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}))
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return {
    kysely,
    dialect: 'postgres',
    sqlite: null,
    pool,
    schema: cfg.schema ?? 'public',
    async close() {
      await kysely.destroy()
    },
  }
}

/** True when the database answers a trivial query. */
export async function isDatabaseUp(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db.kysely)
    return true
  } catch {
    return false
  }
}
