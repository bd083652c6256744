/**
 * SEC-DB-OUTAGE: the one classifier of database faults (db/database-faults.ts), on the errors pg,
 * pg-pool, Node's sockets and better-sqlite3 really throw. Bugs (a missing table, a TypeError)
 * stay unclassified, so they still reach the 500 handler with an incident id.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { databaseFault, describeDatabaseFault } from '../../src/db/index.js'

function coded(code: string, message = `error ${code}`): Error {
  return Object.assign(new Error(message), { code })
}

const PG = {
  kind: 'postgres' as const,
  host: 'db.internal',
  port: 5433,
  database: 'vigil',
  user: 'vigil',
  password: '',
}

test('SEC-DB-OUTAGE connectivity errors are "unavailable"', () => {
  const refused = new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], '')
  Object.assign(refused, { code: 'ECONNREFUSED' })
  for (const e of [
    coded('08006'), // connection_failure
    coded('57P01'), // admin_shutdown
    coded('57P03'), // the database system is starting up
    coded('57014'), // canceling statement due to statement timeout
    coded('53300'), // too many connections
    coded('ETIMEDOUT'),
    refused,
    new Error('timeout expired'),
    new Error('Connection terminated unexpectedly'),
    new Error('Connection terminated due to connection timeout', { cause: new Error('x') }),
    new Error('timeout exceeded when trying to connect'),
    new Error('Query read timeout'),
    coded('SQLITE_BUSY', 'database is locked'),
    coded('SQLITE_IOERR_SHORT_READ'),
  ])
    assert.equal(databaseFault(e), 'unavailable', String((e as Error).message || e))
})

test('SEC-DB-OUTAGE errors waiting cannot cure are "misconfigured", also inside a cause', () => {
  for (const e of [
    coded('3D000'),
    coded('28P01'),
    coded('28000'),
    coded('SQLITE_CANTOPEN'),
    new Error('wrapped', { cause: coded('3D000') }),
  ])
    assert.equal(databaseFault(e), 'misconfigured')
})

test('SEC-DB-OUTAGE bugs are not database faults', () => {
  for (const e of [
    coded('42P01', 'relation "x" does not exist'),
    coded('23505', 'duplicate key'),
    coded('SQLITE_ERROR', 'no such table: x'),
    coded('SQLITE_CONSTRAINT_UNIQUE'),
    new TypeError('x is undefined'),
    'a string',
    null,
  ])
    assert.equal(databaseFault(e), null)
})

test('SEC-STARTUP the start-up line names the fix', () => {
  assert.equal(
    describeDatabaseFault(coded('3D000', 'database "vigil" does not exist'), PG),
    'database "vigil" does not exist on db.internal:5433; create it with `createdb -h db.internal -p 5433 -U postgres -O vigil vigil` or set DB_NAME (or DATABASE_URL) to an existing one',
  )
  assert.match(
    describeDatabaseFault(coded('28P01', 'password authentication failed'), PG),
    /refused the password of user "vigil"; check DB_USER and DB_PASSWORD/,
  )
  assert.match(
    describeDatabaseFault(coded('28000', 'role "vigil" does not exist'), PG),
    /has no role "vigil"; create it with `createuser -h db.internal -p 5433 -U postgres --pwprompt vigil`/,
  )
  assert.equal(
    describeDatabaseFault(coded('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:5433'), PG),
    'database vigil at db.internal:5433 is not available: connect ECONNREFUSED 10.0.0.5:5433',
  )
})
