/**
 * SEC-DB-OUTAGE: while the database cannot serve, every route answers 503 with Retry-After (pages
 * a short "database unavailable" page, the API `{"error": "database unavailable"}`, pings plain
 * text), never a 500 or a stack trace, and within the configured timeouts: a PostgreSQL port that
 * refuses, a loopback server that accepts and never answers (a hung server), and a statement stuck
 * behind another session's lock on both databases.
 */
import assert from 'node:assert/strict'
import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import pino from 'pino'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config/index.js'
import { type Ctx, systemClock } from '../../src/context.js'
import { type Db, openDatabase } from '../../src/db/index.js'
import { buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { closedPort } from '../helpers/smtp-sink.js'

const CHECK = '6e0a1b8a-3c1f-4b8e-9a7e-6f2f3f1b0c11'

/** A real app on PostgreSQL at 127.0.0.1:`port`, with the given timeouts. */
async function appOn(port: number, env: Record<string, string> = {}, readTimeoutMarginMs?: number) {
  const config = loadConfig({
    SECRET_KEY: 'test-secret-key-0123456789',
    DB: 'postgres',
    DB_HOST: '127.0.0.1',
    DB_PORT: String(port),
    DB_CONNECT_TIMEOUT: '0.3',
    DB_STATEMENT_TIMEOUT: '0.5',
    ...env,
  })
  const db = openDatabase({ ...config.db, readTimeoutMarginMs })
  const ctx: Ctx = { db, clock: systemClock, config, log: pino({ level: 'silent' }) }
  return { app: await buildApp(ctx), db }
}

interface Probe {
  status: number
  ms: number
  type: string
  retryAfter: string | undefined
  body: string
}

async function probe(app: FastifyInstance, method: 'GET' | 'POST', url: string): Promise<Probe> {
  const started = Date.now()
  const r = await app.inject({
    method,
    url,
    headers: url.startsWith('/api/v3/checks') ? { 'x-api-key': 'k'.repeat(32) } : {},
    ...(method === 'POST' ? { payload: { name: 'x' } } : {}),
  })
  return {
    status: r.statusCode,
    ms: Date.now() - started,
    type: String(r.headers['content-type'] ?? ''),
    retryAfter: r.headers['retry-after'] as string | undefined,
    body: r.body,
  }
}

function assertOutageAnswers(page: Probe, api: Probe, ping: Probe, status: Probe): void {
  for (const r of [page, api, ping, status]) {
    assert.equal(r.status, 503, r.body)
    assert.doesNotMatch(r.body, /\bat .*\.(ts|js):\d+/, 'no stack trace')
  }
  assert.match(page.type, /^text\/html/)
  assert.match(page.body, /Database unavailable/)
  assert.match(page.body, /temporary/)
  assert.match(page.body, /vigil doctor/)
  assert.equal(page.retryAfter, '5')
  assert.match(api.type, /^application\/json/)
  assert.deepEqual(JSON.parse(api.body), { error: 'database unavailable' })
  assert.equal(api.retryAfter, '5')
  assert.equal(ping.body, 'database unavailable, try again')
}

test('SEC-DB-OUTAGE: with PostgreSQL refusing connections, pages, API and pings answer 503', async () => {
  const { app, db } = await appOn(await closedPort())
  try {
    const page = await probe(app, 'GET', '/')
    const api = await probe(app, 'GET', '/api/v3/checks/')
    const ping = await probe(app, 'GET', `/ping/${CHECK}`)
    const status = await probe(app, 'GET', '/api/v3/status/')
    assertOutageAnswers(page, api, ping, status)
  } finally {
    await app.close()
    await db.close()
  }
})

test('SEC-DB-OUTAGE: a server that accepts and never answers gets 503 within DB_CONNECT_TIMEOUT', async () => {
  // A black hole: the TCP connection opens, the start-up handshake never gets an answer.
  const sockets = new Set<Socket>()
  const hole: Server = createServer((s) => {
    sockets.add(s)
    s.on('error', () => {})
  })
  await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve))
  const port = (hole.address() as { port: number }).port
  const { app, db } = await appOn(port)
  try {
    const page = await probe(app, 'GET', '/')
    const api = await probe(app, 'GET', '/api/v3/checks/')
    const ping = await probe(app, 'POST', `/ping/${CHECK}`)
    const status = await probe(app, 'GET', '/api/v3/status/')
    assertOutageAnswers(page, api, ping, status)
    assert.ok(sockets.size > 0, 'the app did connect to the black hole')
    // 0.3 s connect timeout; the rest is slack for a loaded machine, far below "forever".
    for (const r of [page, api, ping, status]) assert.ok(r.ms < 2500, `answered in ${r.ms} ms`)
  } finally {
    await app.close()
    await db.close()
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => hole.close(() => resolve()))
  }
})

test('SEC-DB-OUTAGE: a server that goes silent after the handshake gets 503 within DB_STATEMENT_TIMEOUT + the read margin', async () => {
  // Speaks just enough of the PostgreSQL protocol to log the client in (AuthenticationOk,
  // ReadyForQuery), then never answers a query: packets dropped after connecting.
  const sockets = new Set<Socket>()
  const silent: Server = createServer((s) => {
    sockets.add(s)
    s.on('error', () => {})
    s.once('data', () => {
      const authOk = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0])
      const ready = Buffer.from([0x5a, 0, 0, 0, 5, 0x49])
      s.write(Buffer.concat([authOk, ready]))
    })
  })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  const port = (silent.address() as { port: number }).port
  // The client-side read timeout fires 0.3 s after the statement timeout here (1 s by default):
  // four probes waited 4.8 s, and at load ~22 one of them missed the 3.5 s bound below.
  const { app, db } = await appOn(port, { DB_STATEMENT_TIMEOUT: '0.2' }, 300)
  try {
    const page = await probe(app, 'GET', '/')
    const api = await probe(app, 'GET', '/api/v3/checks/')
    const ping = await probe(app, 'POST', `/ping/${CHECK}`)
    const status = await probe(app, 'GET', '/api/v3/status/')
    assertOutageAnswers(page, api, ping, status)
    // 0.2 s statement timeout + 0.3 s client-side margin; the rest is slack for a loaded machine.
    for (const r of [page, api, ping, status]) assert.ok(r.ms < 3500, `answered in ${r.ms} ms`)
  } finally {
    await app.close()
    await db.close()
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => silent.close(() => resolve()))
  }
})

test('SEC-DB-OUTAGE: DB_CONNECT_TIMEOUT and DB_STATEMENT_TIMEOUT accept seconds, fractions and ms', () => {
  const base = { DB: 'postgres' }
  const db = (env: Record<string, string>) => loadConfig({ ...base, ...env }).db
  assert.deepEqual(
    [db({}).connectTimeoutMs, db({}).statementTimeoutMs],
    [5000, 5000],
    'defaults: 5 s each',
  )
  assert.equal(db({ DB_CONNECT_TIMEOUT: '0.25' }).connectTimeoutMs, 250)
  assert.equal(db({ DB_STATEMENT_TIMEOUT: '750ms' }).statementTimeoutMs, 750)
  assert.equal(db({ DB_STATEMENT_TIMEOUT: '0' }).statementTimeoutMs, 0)
  assert.throws(() => db({ DB_CONNECT_TIMEOUT: '0' }), /DB_CONNECT_TIMEOUT/)
  assert.throws(
    () => db({ DB_STATEMENT_TIMEOUT: 'soon' }),
    /DB_STATEMENT_TIMEOUT: expected a number of seconds/,
  )
})

describeEachDatabase('SEC-DB-OUTAGE: a statement stuck behind a lock', (dialect) => {
  let t: TestContext
  let db: Db
  let app: FastifyInstance
  let release: () => Promise<void>

  beforeEach(async () => {
    t = await createTestContext(dialect)
    // The app under test: the same database with a short statement timeout.
    const dbConfig = { ...t.config.db, connectTimeoutMs: 2000, statementTimeoutMs: 300 }
    db = openDatabase(dbConfig)
    app = await buildApp({ ...t, db, config: Object.freeze({ ...t.config, db: dbConfig }) })
  })
  afterEach(async () => {
    await release?.()
    await app.close()
    await db.close()
    await t.drop()
  })

  /** Another session takes the write lock (and, on PostgreSQL, every lock on the tables named). */
  async function holdLock(tables: string[]): Promise<void> {
    const cfg = t.config.db
    if (cfg.kind === 'sqlite') {
      const other = openDatabase({ kind: 'sqlite', file: cfg.file })
      other.sqlite?.exec('BEGIN IMMEDIATE')
      release = async () => {
        other.sqlite?.exec('ROLLBACK')
        await other.close()
      }
      return
    }
    const client = new pg.Client({
      host: cfg.host,
      port: cfg.port,
      user: cfg.user,
      password: cfg.password,
      database: cfg.database,
      options: `-c search_path=${cfg.schema}`,
    })
    await client.connect()
    await client.query('begin')
    for (const table of tables) await client.query(`lock table ${table} in access exclusive mode`)
    release = async () => {
      await client.query('rollback')
      await client.end()
    }
  }

  test('an API write answers 503 JSON within DB_STATEMENT_TIMEOUT', async () => {
    const { apiKey } = await buildProject(t)
    await holdLock(['checks'])
    const started = Date.now()
    const r = await app.inject({
      method: 'POST',
      url: '/api/v3/checks/',
      headers: { 'x-api-key': apiKey },
      payload: { name: 'nightly backup' },
    })
    const ms = Date.now() - started
    assert.equal(r.statusCode, 503, r.body)
    assert.deepEqual(r.json(), { error: 'database unavailable' })
    assert.equal(r.headers['retry-after'], '5')
    assert.ok(ms < 3000, `answered in ${ms} ms`)
  })

  if (dialect === 'postgres') {
    test('a page answers the 503 page within DB_STATEMENT_TIMEOUT', async () => {
      await holdLock(['users'])
      const started = Date.now()
      const r = await app.inject({ method: 'GET', url: '/' })
      const ms = Date.now() - started
      assert.equal(r.statusCode, 503, r.body)
      assert.match(r.body, /Database unavailable/)
      assert.ok(ms < 3000, `answered in ${ms} ms`)
    })
  }
})
