/**
 * Read access to a Healthchecks database, never write access: a SQLite file opened read-only
 * (better-sqlite3 `readonly`) or PostgreSQL inside a READ ONLY transaction that is rolled back at
 * the end. Rows come back as plain objects of the columns present, so the mapping layer sees
 * both the v2.x and the v3–v4 table shapes; values are normalised only as far as the two drivers
 * differ (PostgreSQL intervals become microseconds, as Django stores DurationField on SQLite).
 */
import { existsSync } from 'node:fs'
import SQLite from 'better-sqlite3'
import pg from 'pg'

export type HcRow = Record<string, unknown>

export interface HcSource {
  /** `sqlite` or `postgres`. */
  kind: 'sqlite' | 'postgres'
  /** Column names of `table`, empty when the table does not exist. */
  columns(table: string): Promise<Set<string>>
  /** Runs a SELECT; `?` placeholders, values bound as parameters. */
  all(sql: string, params?: unknown[]): Promise<HcRow[]>
  close(): Promise<void>
}

export type OpenSourceError =
  | { kind: 'source-not-found'; from: string }
  | { kind: 'source-unreadable'; from: string; reason: string }

/** Whether `from` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(from: string): boolean {
  return /^postgres(ql)?:\/\//i.test(from)
}

export async function openHcSource(
  from: string,
): Promise<{ ok: true; value: HcSource } | { ok: false; error: OpenSourceError }> {
  if (isPostgresUrl(from)) {
    try {
      return { ok: true, value: await openPostgresSource(from) }
    } catch (e) {
      return { ok: false, error: { kind: 'source-unreadable', from, reason: (e as Error).message } }
    }
  }
  if (!existsSync(from)) return { ok: false, error: { kind: 'source-not-found', from } }
  try {
    return { ok: true, value: openSqliteSource(from) }
  } catch (e) {
    return { ok: false, error: { kind: 'source-unreadable', from, reason: (e as Error).message } }
  }
}

function openSqliteSource(file: string): HcSource {
  // readonly: SQLite refuses every write on this handle, and opening creates no -wal/-shm
  // files when the database is not in WAL mode (Healthchecks' default journal).
  const db = new SQLite(file, { readonly: true, fileMustExist: true })
  db.prepare('select count(*) from sqlite_master').get()
  return {
    kind: 'sqlite',
    async columns(table) {
      const rows = db.prepare('select name from pragma_table_info(?)').all(table) as {
        name: string
      }[]
      return new Set(rows.map((r) => r.name))
    },
    async all(sql, params = []) {
      return db.prepare(sql).all(...(params as unknown[])) as HcRow[]
    },
    async close() {
      db.close()
    },
  }
}

const INTERVAL_OID = 1186
const INT8_OID = 20

/**
 * PostgreSQL's text form of an interval (IntervalStyle `postgres`, the default), e.g.
 * `1 day 02:00:00`, `00:08:59.5`, `-00:00:01`, as microseconds.
 */
export function intervalMicros(text: string): number {
  let micros = 0
  const units: Record<string, number> = {
    year: 365.25 * 86_400e6,
    mon: 30 * 86_400e6,
    day: 86_400e6,
  }
  for (const m of text.matchAll(/(-?\d+) (year|mon|day)s?/g)) micros += Number(m[1]) * units[m[2]]
  const t = /(-)?(\d+):(\d\d):(\d\d)(?:\.(\d{1,6}))?/.exec(text)
  if (t) {
    const frac = Number((t[5] ?? '').padEnd(6, '0'))
    const v = (Number(t[2]) * 3600 + Number(t[3]) * 60 + Number(t[4])) * 1e6 + frac
    micros += t[1] ? -v : v
  }
  return Math.round(micros)
}

async function openPostgresSource(url: string): Promise<HcSource> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INTERVAL_OID) return (v: string) => intervalMicros(v)
        if (oid === INT8_OID) return (v: string) => Number(v)
        return pg.types.getTypeParser(oid, format)
      }) as typeof pg.types.getTypeParser,
    },
  })
  client.on('error', () => {})
  await client.connect()
  try {
    await client.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY')
  } catch (e) {
    await client.end().catch(() => {})
    throw e
  }
  let n = 0
  return {
    kind: 'postgres',
    async columns(table) {
      const r = await client.query<{ column_name: string }>(
        `select column_name from information_schema.columns
          where table_schema = current_schema() and table_name = $1`,
        [table],
      )
      return new Set(r.rows.map((row) => row.column_name))
    },
    async all(sql, params = []) {
      n = 0
      const text = sql.replace(/\?/g, () => `$${++n}`)
      return (await client.query(text, params)).rows as HcRow[]
    },
    async close() {
      await client.query('ROLLBACK').catch(() => {})
      await client.end().catch(() => {})
    },
  }
}
