/**
 * `npm run bench:alerts`: how long 1,000 alerts take to arrive when everything breaks at once.
 * 1,000 checks with one loopback webhook channel each (a capture server in this process) plus 10
 * checks whose channels point at an endpoint that never answers (WEBHOOK_TIMEOUT applies). Two
 * scenarios: (a) all 1,010 checks pass the end of their grace at the same moment; (b) 1,000
 * `/fail` pings sent at once. Reports the time from grace end / ping to webhook arrival
 * (p50/p99/max), duplicates and missing. SQLite: one `vigil serve`; PostgreSQL: `serve --role web`
 * plus `serve --role worker`, real child processes. Options (env): BENCH_DBS (sqlite,postgres),
 * BENCH_CHECKS (1000), TEST_DATABASE_URL.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { DbConfig } from '../src/config/index.js'
import { type Db, migrateToLatest, openDatabase } from '../src/db/index.js'
import { newUuid } from '../src/tokens.js'

const CHECKS = Number(process.env.BENCH_CHECKS ?? 1000)
const HANGING = 10
const DBS = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',')
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
/** How long after the last expected arrival we keep counting (duplicates, stragglers). */
const SETTLE_MS = 3000
const GIVE_UP_MS = 120_000

interface Capture {
  url: string
  arrivals: Map<string, number[]>
  close(): Promise<void>
}

async function startCapture(hang: boolean): Promise<Capture> {
  const arrivals = new Map<string, number[]>()
  const server = http.createServer((req, res) => {
    const at = Date.now()
    req.resume()
    req.on('end', () => {
      const code = (req.url ?? '').replace('/hook/', '')
      const list = arrivals.get(code) ?? []
      list.push(at)
      arrivals.set(code, list)
      if (!hang) res.end('OK')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

interface Setup {
  db: Db
  env: Record<string, string>
  codes: string[]
  hangingCodes: string[]
  cleanup(): Promise<void>
}

async function prepare(dialect: string, good: Capture, hanging: Capture): Promise<Setup> {
  let dbConfig: DbConfig
  let env: Record<string, string>
  let drop: () => Promise<void>
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-alerts-'))
    const file = join(dir, 'vigil.sqlite')
    dbConfig = { kind: 'sqlite', file }
    env = { DB: 'sqlite', DB_NAME: file }
    drop = async () => rmSync(dir, { recursive: true, force: true })
  } else {
    const schema = `bench_alerts_${process.pid}`
    const admin = new pg.Client({ connectionString: PG_URL })
    await admin.connect()
    await admin.query(`drop schema if exists ${schema} cascade; create schema ${schema}`)
    await admin.end()
    const u = new URL(PG_URL)
    dbConfig = {
      kind: 'postgres',
      host: u.hostname,
      port: Number(u.port || 5432),
      database: u.pathname.slice(1),
      user: u.username || 'postgres',
      password: '',
      schema,
    }
    env = { DATABASE_URL: `${PG_URL}?schema=${schema}` }
    drop = async () => {
      const c = new pg.Client({ connectionString: PG_URL })
      await c.connect()
      await c.query(`drop schema if exists ${schema} cascade`)
      await c.end()
    }
  }
  const db = openDatabase(dbConfig)
  const m = await migrateToLatest(db)
  if (m.error) throw m.error
  const now = Date.now()
  const user = await db.kysely
    .insertInto('users')
    .values({ email: 'bench@example.com', password_hash: null, created: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  const project = await db.kysely
    .insertInto('projects')
    .values({
      code: newUuid(),
      name: 'Bench',
      owner_id: user.id,
      api_key_hash: null,
      api_key_readonly_hash: null,
      ping_key: null,
      badge_key: newUuid(),
      created: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const codes = Array.from({ length: CHECKS }, () => newUuid())
  const hangingCodes = Array.from({ length: HANGING }, () => newUuid())
  const all = [...codes.map((c) => [c, good.url]), ...hangingCodes.map((c) => [c, hanging.url])]
  for (let i = 0; i < all.length; i += 100) {
    const slice = all.slice(i, i + 100)
    const checks = await db.kysely
      .insertInto('checks')
      .values(
        slice.map(([code]) => ({
          code,
          badge_key: newUuid(),
          project_id: project.id,
          created: now,
          name: code.slice(0, 8),
          timeout: 86_400,
          grace: 60,
          status: 'up' as const,
          last_ping: now,
          alert_after: now + 86_460_000,
        })),
      )
      .returning(['id', 'code'])
      .execute()
    const channels = await db.kysely
      .insertInto('channels')
      .values(
        slice.map(([code, url]) => ({
          code: newUuid(),
          project_id: project.id,
          kind: 'webhook',
          value: JSON.stringify({
            method_down: 'POST',
            url_down: `${url}/hook/${code}`,
            body_down: '$STATUS',
            url_up: '',
          }),
          email_verified: 1,
          created: now,
        })),
      )
      .returning('id')
      .execute()
    await db.kysely
      .insertInto('check_channels')
      .values(checks.map((c, j) => ({ check_id: c.id, channel_id: channels[j].id })))
      .execute()
  }
  return {
    db,
    env,
    codes,
    hangingCodes,
    async cleanup() {
      await db.close()
      await drop()
    },
  }
}

function startVigil(role: string, env: Record<string, string>, port: number): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'vigil-cli.ts'), 'serve', '--role', role],
    {
      env: {
        PATH: process.env.PATH,
        ...env,
        SECRET_KEY: 'bench-secret-key-0123456789abcdef0123',
        SITE_ROOT: `http://127.0.0.1:${port}`,
        PORT: String(port),
        HOST: '127.0.0.1',
        INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
}

async function waitUntil(what: string, cond: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await cond().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
}

interface Result {
  p50: number
  p99: number
  max: number
  duplicates: number
  missing: number
}

/** Waits for every code's webhook, then reports latency from `startOf(code)`. */
async function measure(good: Capture, codes: string[], startOf: (code: string) => number) {
  const deadline = Date.now() + GIVE_UP_MS
  while (codes.some((c) => !good.arrivals.has(c)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100))
  await new Promise((r) => setTimeout(r, SETTLE_MS))
  const latencies: number[] = []
  let duplicates = 0
  let missing = 0
  for (const c of codes) {
    const at = good.arrivals.get(c)
    if (!at) {
      missing++
      continue
    }
    duplicates += at.length - 1
    latencies.push(at[0] - startOf(c))
  }
  latencies.sort((a, b) => a - b)
  return {
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: latencies[latencies.length - 1] ?? Number.NaN,
    duplicates,
    missing,
  } satisfies Result
}

async function runScenario(dialect: string, scenario: 'grace' | 'fail'): Promise<Result> {
  const good = await startCapture(false)
  const hanging = await startCapture(true)
  const setup = await prepare(dialect, good, hanging)
  const port = await freePort()
  const children =
    dialect === 'sqlite'
      ? [startVigil('all', setup.env, port)]
      : [startVigil('web', setup.env, port), startVigil('worker', setup.env, port)]
  try {
    await waitUntil('the web process', async () => {
      const r = await fetch(`http://127.0.0.1:${port}/ping/${newUuid()}`)
      return r.status === 404
    })
    await waitUntil('a worker heartbeat', async () => {
      const row = await setup.db.kysely
        .selectFrom('worker_heartbeats')
        .select('worker_id')
        .executeTakeFirst()
      return row !== undefined
    })
    let result: Result
    if (scenario === 'grace') {
      // Every deadline at the same moment, 3 s from now (period 1 day, grace 60 s).
      const graceEnd = Date.now() + 3000
      await setup.db.kysely
        .updateTable('checks')
        .set({ last_ping: graceEnd - 86_460_000, alert_after: graceEnd })
        .execute()
      result = await measure(good, setup.codes, () => graceEnd)
    } else {
      const sentAt = new Map<string, number>()
      const agent = new http.Agent({ keepAlive: true, maxSockets: 100 })
      await Promise.all(
        [...setup.codes, ...setup.hangingCodes].map(
          (code) =>
            new Promise<void>((resolve, reject) => {
              sentAt.set(code, Date.now())
              http
                .get(`http://127.0.0.1:${port}/ping/${code}/fail`, { agent }, (res) => {
                  res.resume()
                  res.on('end', () => resolve())
                })
                .on('error', reject)
            }),
        ),
      )
      agent.destroy()
      result = await measure(good, setup.codes, (c) => sentAt.get(c) ?? 0)
    }
    return result
  } finally {
    for (const c of children) {
      c.kill('SIGTERM')
      await new Promise((r) => (c.exitCode === null ? c.once('exit', r) : r(null)))
    }
    await good.close()
    await hanging.close()
    await setup.cleanup()
  }
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`
console.log(
  `bench:alerts ${CHECKS} checks (+${HANGING} on a hanging endpoint), load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
for (const dialect of DBS) {
  for (const scenario of ['grace', 'fail'] as const) {
    const r = await runScenario(dialect, scenario)
    const processes = dialect === 'sqlite' ? 'serve' : 'serve --role web + --role worker'
    console.log(
      `${dialect.padEnd(8)} ${processes.padEnd(34)} ${scenario === 'grace' ? 'grace end → webhook' : '/fail → webhook     '}  p50 ${fmt(r.p50)}  p99 ${fmt(r.p99)}  max ${fmt(r.max)}  duplicates ${r.duplicates}  missing ${r.missing}  (load ${loadavg()[0].toFixed(2)})`,
    )
  }
}
