/**
 * Tells database faults from bugs: an error that means "the database cannot be reached or used
 * right now" (PostgreSQL down, refusing, silent, timing out; SQLite locked or unopenable), and of
 * those, the ones that waiting will not cure (no such database, bad credentials). The edges map
 * the first to 503 (web/error-responses, app.ts) and start-up stops on the second (cli/serve).
 */
import type { DbConfig } from '../config/index.js'

/**
 * `unavailable`: may heal by itself (connection refused or dropped, timeouts, server shutting
 * down, SQLite busy). `misconfigured`: the settings or the server's set-up must change first.
 */
export type DatabaseFault = 'unavailable' | 'misconfigured'

/** SQLSTATE codes and classes (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const PG_MISCONFIGURED = new Set([
  '3D000', // invalid_catalog_name: the database does not exist
  '28000', // invalid_authorization_specification: unknown role, no pg_hba.conf entry
  '28P01', // invalid_password
  '42501', // insufficient_privilege
  '3F000', // invalid_schema_name
])
const PG_UNAVAILABLE = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovery)
  '57P05', // idle_session_timeout
  '57014', // query_canceled: statement_timeout
  '25P03', // idle_in_transaction_session_timeout
  '55P03', // lock_not_available
  '40P01', // deadlock_detected
  '40001', // serialization_failure
])
const NET_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EPIPE',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
])
/** pg and pg-pool say these without a code. */
const PG_CLIENT_MESSAGES = [
  'timeout expired',
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'Cannot use a pool after calling end on the pool',
]
const SQLITE_MISCONFIGURED = /^SQLITE_(CANTOPEN|READONLY|PERM|AUTH|NOTADB|CORRUPT)/
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|PROTOCOL)/

interface ErrorLike {
  code?: unknown
  message?: unknown
  cause?: unknown
  errors?: unknown
}

/** The error, its causes and an AggregateError's members (Node's dual-stack connect). */
function chain(e: unknown): ErrorLike[] {
  const out: ErrorLike[] = []
  const todo: unknown[] = [e]
  while (todo.length > 0 && out.length < 16) {
    const x = todo.shift()
    if (!x || typeof x !== 'object') continue
    const el = x as ErrorLike
    out.push(el)
    if (el.cause) todo.push(el.cause)
    if (Array.isArray(el.errors)) todo.push(...el.errors)
  }
  return out
}

function faultOf(e: ErrorLike): DatabaseFault | null {
  const code = typeof e.code === 'string' ? e.code : ''
  const message = typeof e.message === 'string' ? e.message : ''
  if (PG_MISCONFIGURED.has(code) || SQLITE_MISCONFIGURED.test(code)) return 'misconfigured'
  if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') return 'misconfigured'
  if (message === 'The server does not support SSL connections') return 'misconfigured'
  if (/^08/.test(code) || /^53/.test(code) || PG_UNAVAILABLE.has(code)) return 'unavailable'
  if (NET_UNAVAILABLE.has(code) || SQLITE_UNAVAILABLE.test(code)) return 'unavailable'
  if (PG_CLIENT_MESSAGES.some((m) => message.startsWith(m))) return 'unavailable'
  if (message === 'The database connection is not open') return 'unavailable' // better-sqlite3
  return null
}

/** What kind of database fault `e` is, or null when it is not one (a bug, a bad query). */
export function databaseFault(e: unknown): DatabaseFault | null {
  let found: DatabaseFault | null = null
  for (const x of chain(e)) {
    const f = faultOf(x)
    if (f === 'misconfigured') return f
    found ??= f
  }
  return found
}

/** True when `e` means the database cannot serve the request now (either kind of fault). */
export function isDatabaseFault(e: unknown): boolean {
  return databaseFault(e) !== null
}

function firstCode(e: unknown, codes: string[]): ErrorLike | undefined {
  return chain(e).find((x) => typeof x.code === 'string' && codes.includes(x.code))
}

function where(cfg: DbConfig): string {
  return cfg.kind === 'sqlite' ? cfg.file : `${cfg.host}:${cfg.port}`
}

/** `-h host -p port -U user` for the PostgreSQL client tools. */
function pgArgs(cfg: Extract<DbConfig, { kind: 'postgres' }>): string {
  return `-h ${cfg.host} -p ${cfg.port} -U postgres`
}

/** A short reason: the error's message without stack, with its code when it has one. */
export function shortReason(e: unknown): string {
  const items = chain(e)
  const coded = items.find((x) => typeof x.code === 'string' && x.code !== '')
  // An AggregateError (both addresses of `localhost` refused) has no message of its own.
  const message =
    items.map((x) => x.message).find((m): m is string => typeof m === 'string' && m !== '') ??
    String(e)
  const code = typeof coded?.code === 'string' ? coded.code : ''
  return code && !message.includes(code) ? `${message} (${code})` : message
}

/**
 * One line for an operator about a database error at start-up: what is wrong and, for a
 * misconfiguration, the command or setting that fixes it.
 */
export function describeDatabaseFault(e: unknown, cfg: DbConfig): string {
  if (cfg.kind === 'postgres') {
    if (firstCode(e, ['3D000']))
      return `database "${cfg.database}" does not exist on ${where(cfg)}; create it with \`createdb ${pgArgs(cfg)} -O ${cfg.user} ${cfg.database}\` or set DB_NAME (or DATABASE_URL) to an existing one`
    if (firstCode(e, ['28P01']))
      return `PostgreSQL at ${where(cfg)} refused the password of user "${cfg.user}"; check DB_USER and DB_PASSWORD (or DATABASE_URL)`
    const auth = firstCode(e, ['28000'])
    if (auth) {
      const msg = String(auth.message ?? '')
      if (/role .* does not exist/.test(msg))
        return `PostgreSQL at ${where(cfg)} has no role "${cfg.user}"; create it with \`createuser ${pgArgs(cfg)} --pwprompt ${cfg.user}\` or set DB_USER`
      return `PostgreSQL at ${where(cfg)} refused user "${cfg.user}": ${msg}; check DB_USER, DB_PASSWORD and the server's pg_hba.conf`
    }
    const denied = firstCode(e, ['42501'])
    if (denied)
      return `PostgreSQL user "${cfg.user}" lacks a privilege on database "${cfg.database}": ${String(denied.message)}; grant it, e.g. \`psql ${pgArgs(cfg)} -d ${cfg.database} -c 'ALTER DATABASE "${cfg.database}" OWNER TO "${cfg.user}"'\``
    const schema = firstCode(e, ['3F000'])
    if (schema)
      return `PostgreSQL schema of DB_SCHEMA does not exist in database "${cfg.database}": ${String(schema.message)}; create it or change DB_SCHEMA`
    if (chain(e).some((x) => x.message === 'The server does not support SSL connections'))
      return `PostgreSQL at ${where(cfg)} does not support SSL connections; change the SSL settings of DATABASE_URL`
  } else if (databaseFault(e) === 'misconfigured') {
    return `cannot open the SQLite database ${cfg.file}: ${shortReason(e)}; check DB_NAME and that its directory exists and is writable by this user`
  }
  return `database ${cfg.kind === 'postgres' ? `${cfg.database} at ` : ''}${where(cfg)} is not available: ${shortReason(e)}`
}
