/**
 * `npm run bench:100k`: going-down detection with 100,000 active checks (issue 12, item 2).
 * Seeds 100,000 up checks (multi-row inserts in one transaction; deadlines spread over the next
 * day), `BENCH_DUE` (1,000) of them with a loopback webhook each, starts real processes from
 * source (SQLite: one `vigil serve`; PostgreSQL: `serve --role web` + `serve --role worker`),
 * reads each process's CPU time over an idle stretch (the per-tick cost with nothing due), then
 * moves the due checks' deadlines to one moment 3 s ahead and measures grace end → flip row
 * committed, → notification queued (both polled every 50 ms from this process) and → webhook
 * arrival (p50/p99/max), that no other check flipped, and each process's RSS (VmRSS, peak VmHWM).
 * It also prints the plan of the worker's due-check claim on the seeded data.
 * Options (env): BENCH_DBS (sqlite,postgres), BENCH_CHECKS (100000), BENCH_DUE (1000),
 * BENCH_IDLE_SECONDS (10), BENCH_FROM_SOURCE (1: run the processes from source with tsx instead of
 * the build), TEST_DATABASE_URL.
 */
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { CompiledQuery } from 'kysely'
import pg from 'pg'
import { claimDueChecksQuery } from '../src/alerts/index.js'
import type { DbConfig } from '../src/config/index.js'
import { type Db, migrateToLatest, openDatabase } from '../src/db/index.js'
import { newUuid } from '../src/tokens.js'
import {
  cpuMs,
  freePort,
  measureAlerts,
  memory,
  quantile,
  seedProject,
  seedWebhookChecks,
  startCapture,
  startVigil,
  stopChild,
  waitForWeb,
  waitUntil,
} from './harness.js'

const TOTAL = Number(process.env.BENCH_CHECKS ?? 100_000)
const DUE = Number(process.env.BENCH_DUE ?? 1000)
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10)
const DBS = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',')
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
/** The build users run (bin/vigil.js, dist/) unless BENCH_FROM_SOURCE=1 (tsx costs ~60 MB of RSS). */
const COMPILED = process.env.BENCH_FROM_SOURCE !== '1'
const GIVE_UP_MS = 60_000
const DAY = 86_400_000
/** Rows per INSERT: 10 columns each stays under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 1000

interface Bench {
  db: Db
  env: Record<string, string>
  cleanup(): Promise<void>
}

async function openBench(dialect: string): Promise<Bench> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-100k-'))
    const file = join(dir, 'vigil.sqlite')
    const db = openDatabase({ kind: 'sqlite', file })
    return {
      db,
      env: { DB: 'sqlite', DB_NAME: file },
      async cleanup() {
        await db.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  const schema = `bench_100k_${process.pid}`
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: PG_URL })
    await c.connect()
    await c.query(q)
    await c.end()
  }
  await admin(`drop schema if exists ${schema} cascade; create schema ${schema}`)
  const u = new URL(PG_URL)
  const cfg: DbConfig = {
    kind: 'postgres',
    host: u.hostname,
    port: Number(u.port || 5432),
    database: u.pathname.slice(1),
    user: u.username || 'postgres',
    password: '',
    schema,
  }
  const db = openDatabase(cfg)
  return {
    db,
    env: { DATABASE_URL: `${PG_URL}?schema=${schema}` },
    async cleanup() {
      await db.close()
      await admin(`drop schema if exists ${schema} cascade`)
    },
  }
}

/** Up checks with no channel, deadlines spread over the next day: in the index, never due here. */
async function seedQuietChecks(db: Db, projectId: number, n: number, now: number) {
  await db.kysely.transaction().execute(async (trx) => {
    for (let from = 0; from < n; from += ROWS_PER_INSERT) {
      const rows = []
      for (let i = from; i < Math.min(n, from + ROWS_PER_INSERT); i++) {
        const alertAfter = now + 3_600_000 + Math.floor((i / n) * DAY)
        rows.push({
          code: newUuid(),
          badge_key: newUuid(),
          project_id: projectId,
          created: now,
          name: `quiet ${i}`,
          timeout: 86_400,
          grace: 3600,
          status: 'up' as const,
          last_ping: alertAfter - 86_400_000 - 3_600_000,
          alert_after: alertAfter,
        })
      }
      await trx.insertInto('checks').values(rows).execute()
    }
  })
}

/** The plan of the worker's due-check claim on this data, one line per plan row. */
async function claimPlan(db: Db, now: number): Promise<string> {
  const q = claimDueChecksQuery(db.kysely, db.dialect, now, 500).compile()
  const prefix = db.dialect === 'sqlite' ? 'explain query plan ' : 'explain '
  const r = await db.kysely.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(prefix + q.sql, [...q.parameters]),
  )
  return r.rows
    .map((row) => String(db.dialect === 'sqlite' ? row.detail : row['QUERY PLAN']))
    .join('\n    ')
}

const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const load = () => loadavg()[0].toFixed(2)

function summary(latencies: number[]): string {
  const s = [...latencies].sort((a, b) => a - b)
  return `p50 ${fmtS(quantile(s, 0.5))}  p99 ${fmtS(quantile(s, 0.99))}  max ${fmtS(s[s.length - 1] ?? Number.NaN)}  (${s.length})`
}

async function run(dialect: string): Promise<void> {
  const capture = await startCapture(false)
  const bench = await openBench(dialect)
  const { db } = bench
  const children: { name: string; child: ChildProcess }[] = []
  try {
    const m = await migrateToLatest(db)
    if (m.error) throw m.error
    const now = Date.now()
    const projectId = await seedProject(db, now)
    const codes = Array.from({ length: DUE }, () => newUuid())
    await seedWebhookChecks(
      db,
      projectId,
      codes.map((c) => [c, capture.url]),
      now,
    )
    const seedStart = Date.now()
    await seedQuietChecks(db, projectId, TOTAL - DUE, now)
    if (dialect === 'postgres') await db.kysely.executeQuery(CompiledQuery.raw('analyze checks'))
    console.log(
      `${dialect}: seeded ${TOTAL - DUE} quiet checks in ${fmtS(Date.now() - seedStart)} (+${DUE} with a webhook)`,
    )
    console.log(`  due-check claim plan:\n    ${await claimPlan(db, Date.now())}`)

    const port = await freePort()
    const roles = dialect === 'sqlite' ? ['all'] : ['web', 'worker']
    for (const role of roles)
      children.push({
        name: `serve --role ${role}`,
        child: startVigil(role, bench.env, port, { compiled: COMPILED }),
      })
    await waitForWeb(port)
    await waitUntil('a worker heartbeat', async () => {
      const row = await db.kysely
        .selectFrom('worker_heartbeats')
        .select('worker_id')
        .executeTakeFirst()
      return row !== undefined
    })

    // Idle: nothing due, so this is what a tick costs with TOTAL checks in the table.
    await new Promise((r) => setTimeout(r, 2000))
    const cpu0 = children.map(({ child }) => cpuMs(child.pid as number))
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000))
    for (const [i, { name, child }] of children.entries()) {
      const used = cpuMs(child.pid as number) - cpu0[i]
      const mem = memory(child.pid as number)
      console.log(
        `  idle ${IDLE_SECONDS} s, ${name}: CPU ${(used / IDLE_SECONDS).toFixed(0)} ms/s, RSS ${mem.rss.toFixed(0)} MB (load ${load()})`,
      )
    }

    // The burst: DUE deadlines at one moment 3 s ahead (period 1 day, grace 60 s).
    const graceEnd = Date.now() + 3000
    const ids = new Map<number, string>()
    for (let i = 0; i < codes.length; i += 500) {
      const slice = codes.slice(i, i + 500)
      const rows = await db.kysely
        .updateTable('checks')
        .set({ last_ping: graceEnd - 86_460_000, alert_after: graceEnd })
        .where('code', 'in', slice)
        .returning(['id', 'code'])
        .execute()
      for (const r of rows) ids.set(Number(r.id), r.code)
    }
    const flipSeen = new Map<number, number>()
    const queuedSeen = new Map<number, number>()
    let lastFlip = 0
    let lastNotification = 0
    const deadline = Date.now() + GIVE_UP_MS
    while ((flipSeen.size < DUE || queuedSeen.size < DUE) && Date.now() < deadline) {
      const flips = await db.kysely
        .selectFrom('flips')
        .select(['id', 'check_id'])
        .where('id', '>', lastFlip)
        .orderBy('id')
        .execute()
      const notifications = await db.kysely
        .selectFrom('notifications')
        .select(['id', 'check_id'])
        .where('id', '>', lastNotification)
        .orderBy('id')
        .execute()
      const at = Date.now()
      for (const f of flips) {
        lastFlip = Math.max(lastFlip, Number(f.id))
        if (!flipSeen.has(Number(f.check_id))) flipSeen.set(Number(f.check_id), at)
      }
      for (const n of notifications) {
        lastNotification = Math.max(lastNotification, Number(n.id))
        if (n.check_id !== null && !queuedSeen.has(Number(n.check_id)))
          queuedSeen.set(Number(n.check_id), at)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
    const webhooks = await measureAlerts(capture, codes, () => graceEnd, GIVE_UP_MS, 1000)
    const others = [...flipSeen.keys()].filter((id) => !ids.has(id)).length
    const lat = (seen: Map<number, number>) =>
      [...seen].filter(([id]) => ids.has(id)).map(([, at]) => at - graceEnd)
    console.log(`  grace end → flip committed:     ${summary(lat(flipSeen))}  (load ${load()})`)
    console.log(`  grace end → notification queued: ${summary(lat(queuedSeen))}`)
    console.log(
      `  grace end → webhook:             p50 ${fmtS(webhooks.p50)}  p99 ${fmtS(webhooks.p99)}  max ${fmtS(webhooks.max)}  duplicates ${webhooks.duplicates}  missing ${webhooks.missing}`,
    )
    console.log(`  other checks flipped: ${others} (expected 0)`)
    for (const { name, child } of children) {
      const mem = memory(child.pid as number)
      console.log(`  ${name}: RSS ${mem.rss.toFixed(0)} MB, peak (VmHWM) ${mem.hwm.toFixed(0)} MB`)
    }
  } finally {
    for (const { child } of children) await stopChild(child)
    await capture.close()
    await bench.cleanup()
  }
}

console.log(
  `bench:100k ${TOTAL} checks, ${DUE} due at once; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
for (const dialect of DBS) await run(dialect)
