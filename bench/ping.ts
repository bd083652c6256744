/**
 * `npm run bench:ping`: pings/s and latency of Vigil's ping endpoint against a bare node:http
 * server doing the same database work with the same durability (bench/bare-server.ts), on SQLite
 * and PostgreSQL. Load: autocannon, 50 connections, GET and POST (small body), spread over many
 * checks. Afterwards it counts the ping rows: every 200 must be a committed row.
 * Options (env): BENCH_SECONDS (default 10), BENCH_CHECKS (default 500), BENCH_DBS (sqlite,postgres).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import pg from 'pg'
import type { DbConfig } from '../src/config/index.js'
import { migrateToLatest, openDatabase } from '../src/db/index.js'
import { newUuid } from '../src/tokens.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CHECKS = Number(process.env.BENCH_CHECKS ?? 500)
const DBS = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',')
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
  for (let i = 0; i < codes.length; i += 100) {
    await db.kysely
      .insertInto('checks')
      .values(
        codes.slice(i, i + 100).map((code) => ({
          code,
          badge_key: newUuid(),
          project_id: project.id,
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

function startServer(
  script: string,
  env: Record<string, string>,
): Promise<{ port: number; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, script)], {
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let buf = ''
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString()
      const m = /LISTENING (\d+)/.exec(buf)
      if (m) resolve({ port: Number(m[1]), child })
    })
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)))
  })
}

interface Figures {
  rps: number
  p50: number
  p99: number
  ok: number
  errors: number
}

async function load(port: number, codes: string[], method: 'GET' | 'POST'): Promise<Figures> {
  let i = 0
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 50,
    duration: SECONDS,
    requests: [
      {
        method,
        setupRequest: (req) => {
          i = (i + 1) % codes.length
          return {
            ...req,
            path: `/ping/${codes[i]}`,
            body: method === 'POST' ? 'backup finished: 42 files, 0 errors' : undefined,
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

const rows: string[] = []
for (const dialect of DBS) {
  for (const method of ['GET', 'POST'] as const) {
    const figures: Record<string, Figures> = {}
    for (const [name, script] of [
      ['vigil', 'vigil-server.ts'],
      ['bare', 'bare-server.ts'],
    ] as const) {
      const prepared = await prepare(dialect)
      const { port, child } = await startServer(script, prepared.env)
      const f = await load(port, prepared.codes, method)
      child.removeAllListeners('exit')
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
      const stored = await prepared.countPings()
      if (stored < f.ok)
        throw new Error(`${name}/${dialect}: ${f.ok} pings answered 200 but only ${stored} stored`)
      await prepared.cleanup()
      figures[name] = f
      console.log(
        `${dialect} ${method} ${name}: ${f.rps.toFixed(0)} pings/s, p50 ${f.p50} ms, p99 ${f.p99} ms, ${f.ok} ok (all stored), ${f.errors} errors`,
      )
    }
    const ratio = figures.vigil.rps / figures.bare.rps
    rows.push(
      `| ${dialect} | ${method} | ${figures.vigil.rps.toFixed(0)} | ${figures.vigil.p50} / ${figures.vigil.p99} | ${figures.bare.rps.toFixed(0)} | ${figures.bare.p50} / ${figures.bare.p99} | ${ratio.toFixed(2)} |`,
    )
  }
}
console.log(
  `\n| db | method | Vigil pings/s | Vigil p50/p99 ms | bare pings/s | bare p50/p99 ms | ratio |\n|---|---|---|---|---|---|---|\n${rows.join('\n')}`,
)
