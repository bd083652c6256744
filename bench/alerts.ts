/**
 * `npm run bench:alerts`: how long 1,000 alerts take to arrive when everything breaks at once.
 * 1,000 checks with one loopback webhook channel each (a capture server in this process) plus 10
 * checks whose channels point at an endpoint that never answers (WEBHOOK_TIMEOUT applies). Two
 * scenarios: (a) all 1,010 checks pass the end of their grace at the same moment; (b) 1,000
 * `/fail` pings sent at once. Reports the time from grace end / ping to webhook arrival
 * (p50/p99/max), duplicates and missing. SQLite: one `vigil serve`; PostgreSQL: `serve --role web`
 * plus `serve --role worker`, real child processes. Options (env): BENCH_DBS (sqlite,postgres),
 * BENCH_CHECKS (1000), TEST_DATABASE_URL, BENCH_SCENARIOS (grace,fail), BENCH_PROFILE (a directory:
 * the Vigil processes run with --cpu-prof there; `node bench/profile-top.mjs <file>` lists the
 * top frames), BENCH_NODE_ARGS (more node options for the Vigil processes, space-separated).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { DbConfig } from '../src/config/index.js'
import { type Db, migrateToLatest, openDatabase } from '../src/db/index.js'
import { newUuid } from '../src/tokens.js'
import {
  type AlertResult,
  type Capture,
  cpuMs,
  freePort,
  measureAlerts,
  seedProject,
  seedWebhookChecks,
  startCapture,
  startVigil,
  waitForWeb,
  waitUntil,
} from './harness.js'

const CHECKS = Number(process.env.BENCH_CHECKS ?? 1000)
const HANGING = 10
const DBS = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',')
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'grace,fail').split(',')
const PROFILE = process.env.BENCH_PROFILE
const nodeArgs = [
  ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : []),
  ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
]
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
/** How long after the last expected arrival we keep counting (duplicates, stragglers). */
const SETTLE_MS = 3000
const GIVE_UP_MS = 120_000

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
  const projectId = await seedProject(db, now)
  const codes = Array.from({ length: CHECKS }, () => newUuid())
  const hangingCodes = Array.from({ length: HANGING }, () => newUuid())
  const all = [...codes.map((c) => [c, good.url]), ...hangingCodes.map((c) => [c, hanging.url])]
  await seedWebhookChecks(db, projectId, all, now)
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

/** Waits for every code's webhook, then reports latency from `startOf(code)`. */
function measure(good: Capture, codes: string[], startOf: (code: string) => number) {
  return measureAlerts(good, codes, startOf, GIVE_UP_MS, SETTLE_MS)
}

/** The Vigil processes' CPU time (user + system) per alert, from the trigger to the last arrival. */
interface Run extends AlertResult {
  cpuMsPerAlert: number
}

async function runScenario(dialect: string, scenario: 'grace' | 'fail'): Promise<Run> {
  const good = await startCapture(false)
  const hanging = await startCapture(true)
  const setup = await prepare(dialect, good, hanging)
  const port = await freePort()
  const children =
    dialect === 'sqlite'
      ? [startVigil('all', setup.env, port, { nodeArgs })]
      : [
          startVigil('web', setup.env, port, { nodeArgs }),
          startVigil('worker', setup.env, port, { nodeArgs }),
        ]
  try {
    await waitForWeb(port)
    await waitUntil('a worker heartbeat', async () => {
      const row = await setup.db.kysely
        .selectFrom('worker_heartbeats')
        .select('worker_id')
        .executeTakeFirst()
      return row !== undefined
    })
    let result: AlertResult
    const cpuOf = () => children.reduce((sum, c) => sum + cpuMs(c.pid as number), 0)
    const cpuBefore = cpuOf()
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
    // The settle time after the last arrival is idle and costs next to nothing.
    return { ...result, cpuMsPerAlert: (cpuOf() - cpuBefore) / setup.codes.length }
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
  for (const scenario of SCENARIOS as ('grace' | 'fail')[]) {
    const r = await runScenario(dialect, scenario)
    const processes = dialect === 'sqlite' ? 'serve' : 'serve --role web + --role worker'
    console.log(
      `${dialect.padEnd(8)} ${processes.padEnd(34)} ${scenario === 'grace' ? 'grace end → webhook' : '/fail → webhook     '}  p50 ${fmt(r.p50)}  p99 ${fmt(r.p99)}  max ${fmt(r.max)}  duplicates ${r.duplicates}  missing ${r.missing}  CPU ${r.cpuMsPerAlert.toFixed(2)} ms/alert  (load ${loadavg()[0].toFixed(2)})`,
    )
  }
}
