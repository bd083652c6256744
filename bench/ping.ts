/**
 * `npm run bench:ping`: pings/s and latency of `vigil serve` (role all: HTTP and worker in one
 * process, as users run it) against the minimal correct ping server (bench/bare-server.ts: one
 * lookup, one update, one insert per ping, group commit, same durability), in the same run, on
 * SQLite and PostgreSQL. Load: wrk (when installed, else autocannon), 32 connections, GET and POST
 * (small body), against one check by default. Afterwards it sums the checks' n_pings: every 200
 * must be a committed ping.
 * Options (env): BENCH_SECONDS (10), BENCH_CHECKS (1), BENCH_CONNECTIONS (32),
 * BENCH_DBS (sqlite,postgres), BENCH_METHODS (GET,POST), BENCH_LOAD (wrk or autocannon),
 * BENCH_PROFILE (a directory: both servers run with --cpu-prof and write their profiles to its
 * subdirectories vigil/ and bare/, so the two can be compared frame by frame),
 * BENCH_ROUNDS (3: each server runs that many times, alternating; the table shows medians).
 * Besides pings/s it reports each server's CPU time per acknowledged ping (from /proc), which
 * the load of other processes on the machine disturbs far less than throughput.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import pg from 'pg'
import type { DbConfig } from '../src/config/index.js'
import { migrateToLatest, openDatabase } from '../src/db/index.js'
import { newUuid } from '../src/tokens.js'
import { type Figures, hasWrk, runWrk, seedProject } from './harness.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CHECKS = Number(process.env.BENCH_CHECKS ?? 1)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const DBS = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',')
const METHODS = (process.env.BENCH_METHODS ?? 'GET,POST').split(',') as ('GET' | 'POST')[]
const PROFILE = process.env.BENCH_PROFILE
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const BODY = 'backup finished: 42 files, 0 errors'
const LOAD = process.env.BENCH_LOAD ?? (hasWrk() ? 'wrk' : 'autocannon')
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

interface Prepared {
  env: Record<string, string>
  codes: string[]
  countPings(): Promise<number>
  cleanup(): Promise<void>
}

async function prepare(dialect: string): Promise<Prepared> {
  let dbConfig: DbConfig
  let env: Record<string, string>
  let cleanupExtra: () => Promise<void>
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'))
    const file = join(dir, 'vigil.sqlite')
    dbConfig = { kind: 'sqlite', file }
    env = { DB: 'sqlite', DB_NAME: file, BENCH_DB: 'sqlite', BENCH_SQLITE_FILE: file }
    cleanupExtra = async () => rmSync(dir, { recursive: true, force: true })
  } else {
    const schema = `bench_${process.pid}`
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
    env = {
      DATABASE_URL: `${PG_URL}?schema=${schema}`,
      BENCH_DB: 'postgres',
      BENCH_PG_URL: PG_URL,
      BENCH_PG_SCHEMA: schema,
    }
    cleanupExtra = async () => {
      const c = new pg.Client({ connectionString: PG_URL })
      await c.connect()
      await c.query(`drop schema if exists ${schema} cascade`)
      await c.end()
    }
  }
  const db = openDatabase(dbConfig)
  const r = await migrateToLatest(db)
  if (r.error) throw r.error
  const now = Date.now()
  const projectId = await seedProject(db, now)
  const codes = Array.from({ length: CHECKS }, () => newUuid())
  for (let i = 0; i < codes.length; i += 100) {
    await db.kysely
      .insertInto('checks')
      .values(
        codes.slice(i, i + 100).map((code) => ({
          code,
          badge_key: newUuid(),
          project_id: projectId,
          created: now,
          name: code.slice(0, 8),
        })),
      )
      .execute()
  }
  return {
    env,
    codes,
    async countPings() {
      // Pings are pruned to each project's ping_log_limit, so count what the checks recorded.
      const row = await db.kysely
        .selectFrom('checks')
        .select((eb) => eb.fn.sum<number>('n_pings').as('n'))
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },
    async cleanup() {
      await db.close()
      await cleanupExtra()
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0))
    })
  })
}

/** Starts bench/bare-server.ts, or `vigil serve` (role all) from source, and waits until it answers. */
async function startServer(
  name: 'vigil' | 'bare',
  env: Record<string, string>,
): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort()
  const profile = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(PROFILE, name)}`] : []
  const args =
    name === 'bare'
      ? [...profile, '--import', 'tsx', join(import.meta.dirname, 'bare-server.ts')]
      : [
          ...profile,
          '--import',
          'tsx',
          join(import.meta.dirname, '..', 'src', 'cli', 'main-entry.ts'),
          'serve',
        ]
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      ...env,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      SITE_ROOT: `http://127.0.0.1:${port}`,
      SECRET_KEY: 'bench-secret-key-bench-secret-key-0123456789',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let exited: number | null | undefined
  child.once('exit', (code) => {
    exited = code
  })
  let buf = ''
  const listening = new Promise<number>((resolve) => {
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString()
      const m = /LISTENING (\d+)/.exec(buf)
      if (m) resolve(Number(m[1]))
    })
  })
  if (name === 'bare') return { port: await listening, child }
  for (let i = 0; i < 600; i++) {
    if (exited !== undefined) throw new Error(`vigil serve exited with ${exited}: ${buf}`)
    const ok = await fetch(`http://127.0.0.1:${port}/ping/00000000-0000-4000-8000-000000000000`)
      .then((r) => r.status === 404)
      .catch(() => false)
    if (ok) return { port, child }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('vigil serve did not answer within 60 s')
}

async function loadAutocannon(
  port: number,
  codes: string[],
  method: 'GET' | 'POST',
): Promise<Figures> {
  let i = 0
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method,
        setupRequest: (req) => {
          i = (i + 1) % codes.length
          return {
            ...req,
            path: `/ping/${codes[i]}`,
            body: method === 'POST' ? BODY : undefined,
          }
        },
      },
    ],
  })
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    errors: result.non2xx + result.errors + result.timeouts,
  }
}

function loadWrk(port: number, codes: string[], method: 'GET' | 'POST'): Promise<Figures> {
  return runWrk({ port, codes, method, body: BODY, connections: CONNECTIONS, seconds: SECONDS })
}

const load = LOAD === 'wrk' ? loadWrk : loadAutocannon

console.log(
  `load: ${LOAD}, ${CONNECTIONS} connections, ${SECONDS} s, ${CHECKS} check(s); load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
/** CPU time (user + system, ms) the process has used so far; null where /proc is missing. */
function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return null
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const fmt = (x: number | null) => (x === null || Number.isNaN(x) ? '–' : x.toFixed(0))

const rows: string[] = []
for (const dialect of DBS) {
  for (const method of METHODS) {
    const runs: Record<'vigil' | 'bare', (Figures & { cpuPerPing: number | null })[]> = {
      vigil: [],
      bare: [],
    }
    // Rounds alternate the two servers, so both see the same background load.
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of ['vigil', 'bare'] as const) {
        const prepared = await prepare(dialect)
        const { port, child } = await startServer(name, prepared.env)
        const cpuBefore = cpuMs(child.pid)
        const f = await load(port, prepared.codes, method)
        const cpuAfter = cpuMs(child.pid)
        child.removeAllListeners('exit')
        child.kill('SIGTERM')
        await new Promise((r) => child.once('exit', r))
        const stored = await prepared.countPings()
        if (stored < f.ok)
          throw new Error(
            `${name}/${dialect}: ${f.ok} pings answered 2xx but only ${stored} stored`,
          )
        await prepared.cleanup()
        const cpuPerPing =
          cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) * 1000) / f.ok
        runs[name].push({ ...f, cpuPerPing })
        console.log(
          `${dialect} ${method} ${name}: ${f.rps.toFixed(0)} pings/s, p50 ${f.p50} ms, p99 ${f.p99} ms, ${fmt(cpuPerPing)} µs CPU/ping, ${f.ok} ok (all stored), ${f.errors} errors; load ${loadavg()[0].toFixed(1)}`,
        )
      }
    }
    const v = runs.vigil
    const b = runs.bare
    const rps = (xs: Figures[]) => median(xs.map((x) => x.rps))
    const cpu = (xs: { cpuPerPing: number | null }[]) =>
      xs.some((x) => x.cpuPerPing === null) ? null : median(xs.map((x) => x.cpuPerPing as number))
    const vc = cpu(v)
    const bc = cpu(b)
    rows.push(
      `| ${dialect} | ${method} | ${fmt(rps(v))} | ${median(v.map((x) => x.p50))} / ${median(v.map((x) => x.p99))} | ${fmt(vc)} | ${fmt(rps(b))} | ${median(b.map((x) => x.p50))} / ${median(b.map((x) => x.p99))} | ${fmt(bc)} | ${(rps(v) / rps(b)).toFixed(2)} | ${vc === null || bc === null ? '–' : (bc / vc).toFixed(2)} |`,
    )
  }
}
console.log(
  `\nload average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}; medians of ${ROUNDS} round(s)\n
| db | method | Vigil pings/s | Vigil p50/p99 ms | Vigil µs CPU/ping | bare pings/s | bare p50/p99 ms | bare µs CPU/ping | ratio pings/s | ratio CPU/ping (bare/Vigil) |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}`,
)
