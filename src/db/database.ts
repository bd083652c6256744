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
/** When the configuration names no timeouts (tests that build a DbConfig by hand). */
const DEFAULT_CONNECT_TIMEOUT_MS = 5000
const DEFAULT_BUSY_TIMEOUT_MS = 5000
/** The client-side read timeout trails the server's statement_timeout, so the server's cancel
 * (a clean 57014) normally wins and the client-side one only catches a server that went silent. */
const READ_TIMEOUT_MARGIN_MS = 1000

/** Opens a connection (pool) without touching the schema; see migrate.ts for that. */
export function openDatabase(cfg: DbConfig): Db {
  if (cfg.kind === 'sqlite') {
    if (cfg.file !== ':memory:') mkdirSync(dirname(cfg.file), { recursive: true })
    const handle = new SQLite(cfg.file)
    handle.pragma('journal_mode = WAL')
    handle.pragma('synchronous = FULL')
    handle.pragma(`busy_timeout = ${Math.trunc(cfg.statementTimeoutMs || DEFAULT_BUSY_TIMEOUT_MS)}`)
    handle.pragma('foreign_keys = ON')
    const kysely = new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(handle) }),
    })
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
  const statementMs = cfg.statementTimeoutMs ?? 0
  const pool = new pg.Pool({
    host: cfg.host,
    port: cfg.port,
    database: cfg.database,
    user: cfg.user,
    password: cfg.password,
    max: 10,
    // The TCP connect and the start-up handshake (a server that accepts and never answers), and
    // the wait for a free client of the pool.
    connectionTimeoutMillis: cfg.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    ...(statementMs > 0
      ? {
          statement_timeout: statementMs,
          query_timeout: statementMs + (cfg.readTimeoutMarginMs ?? READ_TIMEOUT_MARGIN_MS),
          idle_in_transaction_session_timeout: statementMs * 2,
        }
      : {}),
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
  pool.on('connect', (client) => {
    client.on('error', () => {})
    if (statementMs > 0) dropClientAfterReadTimeout(client)
  })
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

/** Distinct SQL texts whose prepared statements are kept (most recently used). */
export const SQLITE_STATEMENT_CACHE = 256

/**
 * Kysely's SQLite driver prepares every query anew; in a burst of alerts that parse and plan
 * was a tenth of the worker's CPU. The same SQL text reuses its statement instead (a small LRU).
 * A statement still being iterated (a streamed query) is busy: that caller gets a fresh one.
 * better-sqlite3 re-prepares a cached statement by itself after a schema change.
 */
export function withStatementCache(
  handle: SQLite.Database,
  max = SQLITE_STATEMENT_CACHE,
): { prepare(sql: string): SQLite.Statement; close(): void } {
  const cache = new Map<string, SQLite.Statement>()
  return {
    prepare(sql) {
      const cached = cache.get(sql)
      if (cached && !cached.busy) {
        // Move to the back: the front is the least recently used.
        cache.delete(sql)
        cache.set(sql, cached)
        return cached
      }
      const stmt = handle.prepare(sql)
      if (!cached) {
        cache.set(sql, stmt)
        if (cache.size > max) cache.delete(cache.keys().next().value as string)
      }
      return stmt
    },
    close() {
      cache.clear()
      handle.close()
    },
  }
}

/**
 * pg's client-side query timeout fails the query but keeps waiting on the connection, so every
 * later query on that client would queue behind a silent server; close it instead (the pool then
 * drops it on release and the next checkout connects afresh).
 */
function dropClientAfterReadTimeout(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown
  ;(client as { query: unknown }).query = (...args: unknown[]) => {
    const r = query(...args)
    if (r instanceof Promise) {
      return r.catch((e: unknown) => {
        if ((e as Error)?.message === 'Query read timeout')
          (
            client as unknown as { connection: { stream: { destroy(): void } } }
          ).connection.stream.destroy()
        throw e
      })
    }
    return r
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
