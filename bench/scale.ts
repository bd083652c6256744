/**
 * `npm run bench:scale`: several web processes and workers on one PostgreSQL database. For each
 * configuration (N web, M workers) it starts N `vigil serve --role web` and M `vigil serve --role
 * worker` (real child processes, from source), a round-robin TCP balancer in this process
 * (node:net, loopback) in front of the web processes, loads pings through the balancer with wrk
 * for a fixed time, then makes 1,000 checks (one loopback webhook each) pass their grace at the
 * same moment. Reports pings/s, alert latency (grace end → webhook arrival) p50/p99/max,
 * duplicates and missing, and checks that every acknowledged (2xx) ping was stored (the pinged
 * checks' n_pings) and every alert arrived exactly once.
 * The database (one per run, a schema per configuration) is created at the start and dropped at
 * the end, also after a failure, Ctrl-C or the run's time limit; the child processes too.
 * Options (env): BENCH_CONFIGS (1x1,2x1,2x2: web x worker), BENCH_SECONDS (10), BENCH_CHECKS
 * (1000), BENCH_PING_CHECKS (100), BENCH_CONNECTIONS (32), BENCH_GIVE_UP_SECONDS (30: an alert
 * not arrived by then counts as missing), BENCH_PG_URL (a database to connect
 * to for CREATE/DROP DATABASE; postgres://postgres@127.0.0.1:5432/postgres).
 */
import type { ChildProcess } from 'node:child_process'
import net from 'node:net'
import { loadavg } from 'node:os'
import pg from 'pg'
import { type Db, migrateToLatest, openDatabase } from '../src/db/index.js'
import { newUuid } from '../src/tokens.js'
import {
  type AlertResult,
  type Capture,
  type Figures,
  freePort,
  hasWrk,
  measureAlerts,
  runWrk,
  seedProject,
  seedWebhookChecks,
  startCapture,
  startVigil,
  stopChild,
  waitForWeb,
  waitUntil,
} from './harness.js'

const CONFIGS = (process.env.BENCH_CONFIGS ?? '1x1,2x1,2x2').split(',').map((c) => {
  const [web, worker] = c.split('x').map(Number)
  if (!(web >= 1 && worker >= 1)) throw new Error(`BENCH_CONFIGS: "${c}" is not <web>x<worker>`)
  return { web, worker }
})
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CHECKS = Number(process.env.BENCH_CHECKS ?? 1000)
const PING_CHECKS = Number(process.env.BENCH_PING_CHECKS ?? 100)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const STARTUP_MS = 30_000
/** Alerts not arrived this long after grace end count as missing (the run must stay bounded). */
const GIVE_UP_MS = Number(process.env.BENCH_GIVE_UP_SECONDS ?? 30) * 1000
const SETTLE_MS = 2000
/** The whole run stops (and cleans up) after this, whatever happens. */
const RUN_LIMIT_MS = CONFIGS.length * (2 * STARTUP_MS + SECONDS * 1000 + GIVE_UP_MS + 10_000)

const database = `vigil_bench_scale_${process.pid}`
const dbUrl = new URL(ADMIN_URL)
dbUrl.pathname = `/${database}`

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL })
  await c.connect()
  try {
    await c.query(sql)
  } finally {
    await c.end()
  }
}

/** Everything a configuration started, so a failure anywhere can stop it. */
const children = new Set<ChildProcess>()
const closers = new Set<() => Promise<void>>()
let databaseCreated = false

async function cleanupAll(): Promise<void> {
  await Promise.allSettled([...children].map((c) => stopChild(c, 5000)))
  children.clear()
  await Promise.allSettled([...closers].map((f) => f()))
  closers.clear()
  if (databaseCreated) {
    databaseCreated = false
    await admin(`drop database if exists ${database} with (force)`).catch((e) =>
      console.error(`could not drop database ${database}: ${e}`),
    )
  }
}

function spawnVigil(role: string, env: Record<string, string>, port: number): ChildProcess {
  const child = startVigil(role, env, port)
  children.add(child)
  child.once('exit', (code, signal) => {
    if (children.has(child)) console.error(`vigil --role ${role} exited (${code ?? signal})`)
  })
  return child
}

interface Balancer {
  port: number
  /** Connections handed to each backend. */
  perBackend: number[]
  close(): Promise<void>
}

/** A round-robin TCP balancer on 127.0.0.1: each client connection goes to the next backend. */
async function startBalancer(backends: number[]): Promise<Balancer> {
  let next = 0
  const perBackend = backends.map(() => 0)
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const i = next++ % backends.length
    perBackend[i]++
    const upstream = net.connect(backends[i], '127.0.0.1')
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.setNoDelay(true)
      s.on('close', () => sockets.delete(s))
    }
    client.pipe(upstream)
    upstream.pipe(client)
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as net.AddressInfo).port,
    perBackend,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy()
        server.close(() => r())
      }),
  }
}

interface Outcome {
  load: Figures
  stored: number
  alerts: AlertResult
  /** Burst checks the workers had flipped to down when the measurement ended. */
  flipped: number
  perBackend: number[]
  seconds: number
}

async function runConfig(web: number, worker: number): Promise<Outcome> {
  const started = Date.now()
  const schema = `c${web}x${worker}`
  // The schema lives in the run's database, not in ADMIN_URL's.
  const c = new pg.Client({ connectionString: dbUrl.href })
  await c.connect()
  await c.query(`create schema ${schema}`)
  await c.end()
  const db: Db = openDatabase({
    kind: 'postgres',
    host: dbUrl.hostname,
    port: Number(dbUrl.port || 5432),
    database,
    user: dbUrl.username || 'postgres',
    password: decodeURIComponent(dbUrl.password),
    schema,
  })
  const closeDb = () => db.close()
  closers.add(closeDb)
  const m = await migrateToLatest(db)
  if (m.error) throw m.error
  const now = Date.now()
  const projectId = await seedProject(db, now)
  const pingCodes = Array.from({ length: PING_CHECKS }, () => newUuid())
  for (let i = 0; i < pingCodes.length; i += 100)
    await db.kysely
      .insertInto('checks')
      .values(
        pingCodes.slice(i, i + 100).map((code) => ({
          code,
          badge_key: newUuid(),
          project_id: projectId,
          created: now,
          name: code.slice(0, 8),
        })),
      )
      .execute()
  const capture: Capture = await startCapture(false)
  closers.add(capture.close)
  const alertCodes = Array.from({ length: CHECKS }, () => newUuid())
  await seedWebhookChecks(
    db,
    projectId,
    alertCodes.map((code) => [code, capture.url]),
    now,
  )

  const env = { DATABASE_URL: `${dbUrl.href}?schema=${schema}` }
  const webPorts: number[] = []
  for (let i = 0; i < web; i++) webPorts.push(await freePort())
  const balancer = await startBalancer(webPorts)
  closers.add(balancer.close)
  for (const port of webPorts) spawnVigil('web', env, port)
  for (let i = 0; i < worker; i++) spawnVigil('worker', env, balancer.port)
  await Promise.all(webPorts.map((p) => waitForWeb(p, STARTUP_MS)))
  await waitUntil(
    `${worker} worker heartbeat(s)`,
    async () => {
      const r = await db.kysely
        .selectFrom('worker_heartbeats')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      return Number(r.n) >= worker
    },
    STARTUP_MS,
  )
  balancer.perBackend.fill(0)

  // 1. Pings through the balancer.
  const load = await runWrk({
    port: balancer.port,
    codes: pingCodes,
    method: 'GET',
    body: '',
    connections: CONNECTIONS,
    seconds: SECONDS,
  })
  const row = await db.kysely
    .selectFrom('checks')
    .where('code', 'in', pingCodes)
    .select((eb) => eb.fn.sum<number>('n_pings').as('n'))
    .executeTakeFirstOrThrow()
  const stored = Number(row.n ?? 0)

  // 2. 1,000 checks pass their grace 3 s from now (period 1 day, grace 60 s).
  const graceEnd = Date.now() + 3000
  await db.kysely
    .updateTable('checks')
    .set({ last_ping: graceEnd - 86_460_000, alert_after: graceEnd })
    .where('code', 'in', alertCodes)
    .execute()
  const alerts = await measureAlerts(capture, alertCodes, () => graceEnd, GIVE_UP_MS, SETTLE_MS)
  const down = await db.kysely
    .selectFrom('checks')
    .where('code', 'in', alertCodes)
    .where('status', '=', 'down')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()

  const mine = [...children]
  children.clear()
  await Promise.all(mine.map((ch) => stopChild(ch)))
  for (const f of [balancer.close, capture.close, closeDb]) {
    closers.delete(f)
    await f()
  }
  return {
    load,
    stored,
    alerts,
    flipped: Number(down.n),
    perBackend: balancer.perBackend,
    seconds: (Date.now() - started) / 1000,
  }
}

const la = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`

let failed = false
const watchdog = setTimeout(async () => {
  console.error(`bench:scale: run limit of ${RUN_LIMIT_MS / 1000} s reached, stopping`)
  await cleanupAll()
  process.exit(1)
}, RUN_LIMIT_MS)
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, async () => {
    await cleanupAll()
    process.exit(130)
  })

if (!hasWrk()) {
  console.error('bench:scale needs wrk (apt-get install wrk)')
  process.exit(1)
}
console.log(
  `bench:scale: PostgreSQL database ${database}; pings: wrk -t2 -c${CONNECTIONS} -d${SECONDS}s over ${PING_CHECKS} checks through a round-robin balancer; burst: ${CHECKS} checks pass their grace together, one loopback webhook each; load average ${la()}`,
)
const rows: string[] = []
try {
  await admin(`create database ${database}`)
  databaseCreated = true
  for (const { web, worker } of CONFIGS) {
    const o = await runConfig(web, worker)
    const acked = o.load.ok
    const pingsOk = o.stored >= acked && o.load.errors === 0
    const alertsOk = o.alerts.duplicates === 0 && o.alerts.missing === 0
    if (!pingsOk || !alertsOk) failed = true
    console.log(
      `web ${web} worker ${worker}: ${o.load.rps.toFixed(0)} pings/s (p50 ${o.load.p50} ms, p99 ${o.load.p99} ms; connections per web ${o.perBackend.join('/')}), ${acked} acknowledged, ${o.stored} stored${pingsOk ? '' : ' MISMATCH'}, ${o.load.errors} errors; alerts p50 ${fmt(o.alerts.p50)} p99 ${fmt(o.alerts.p99)} max ${fmt(o.alerts.max)} duplicates ${o.alerts.duplicates} missing ${o.alerts.missing} (flipped down ${o.flipped}); ${o.seconds.toFixed(0)} s; load ${la()}`,
    )
    rows.push(
      `| ${web} | ${worker} | ${o.load.rps.toFixed(0)} | ${o.load.p50} / ${o.load.p99} | ${acked} / ${o.stored} | ${fmt(o.alerts.p50)} | ${fmt(o.alerts.p99)} | ${fmt(o.alerts.max)} | ${o.alerts.duplicates} | ${o.alerts.missing} | ${o.flipped} | ${loadavg()[0].toFixed(2)} |`,
    )
  }
} catch (e) {
  failed = true
  console.error(e)
} finally {
  clearTimeout(watchdog)
  await cleanupAll()
}
console.log(`
| web | worker | pings/s | ping p50 / p99 ms | acknowledged / stored | alert p50 | alert p99 | alert max | duplicates | missing after ${GIVE_UP_MS / 1000} s | flipped down | load (1 min) |
|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}`)
if (failed)
  console.log(
    'FAILED: an acknowledged ping was not stored, an alert missing or duplicated, or a step failed',
  )
process.exit(failed ? 1 : 0)
