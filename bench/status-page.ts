/**
 * `npx tsx bench/status-page.ts`: how fast a public status page answers with 100 checks, on
 * SQLite and PostgreSQL, in process (buildApp + inject, so only Vigil's own work is timed). The
 * database holds 100 checks on one page, each with a flip every ~4.5 days over the 90-day window
 * (20 flips a check, 2,000 in all), and 10 notes with 3 updates each. Times, per format:
 * - cold: the 15 s output cache expired before each request (the clock is moved on), so each
 *   request runs the page's queries, the strip and incident rules and the rendering;
 * - warm: answered from the cache, as a burst of visitors is.
 * BENCH_SAMPLES (40) timed requests after 5 warm-up ones; BENCH_DBS (sqlite,postgres).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import pino from 'pino'
import { createUser } from '../src/accounts/users/create-user.js'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config/index.js'
import { migrateToLatest, openDatabase } from '../src/db/index.js'
import { createProject } from '../src/projects/create-project.js'
import { loadStatusView } from '../src/status-pages/index.js'
import { newUuid } from '../src/tokens.js'

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40)
const DBS = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',')
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const CHECKS = 100
const OUTAGES = Number(process.env.BENCH_OUTAGES ?? 5)
const DAY = 86_400_000

class Clock {
  t = Date.now()
  now() {
    return this.t
  }
}

async function run(dialect: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-status-'))
  const schema = `bench_status_${process.pid}`
  let env: Record<string, string>
  if (dialect === 'sqlite') env = { DB: 'sqlite', DB_NAME: join(dir, 'vigil.sqlite') }
  else {
    const admin = new pg.Client({ connectionString: PG_URL })
    await admin.connect()
    await admin.query(`drop schema if exists ${schema} cascade; create schema ${schema}`)
    await admin.end()
    env = { DATABASE_URL: `${PG_URL}?schema=${schema}` }
  }
  const config = loadConfig({ SECRET_KEY: 'bench-secret-key-0123456789', ...env })
  const db = openDatabase(config.db)
  const migrated = await migrateToLatest(db)
  if (migrated.error) throw migrated.error
  const clock = new Clock()
  const ctx = { db, clock, config, log: pino({ level: 'silent' }) }
  const user = await createUser(ctx, {
    email: 'bench@example.com',
    password: 'correct horse battery',
  })
  if (!user.ok) throw new Error(user.error.kind)
  const created = await createProject(ctx, { ownerEmail: 'bench@example.com', name: 'Bench' })
  if (!created.ok) throw new Error(created.error.kind)
  const project = created.value.project
  const k = db.kysely
  const now = clock.now()
  const checks = await k
    .insertInto('checks')
    .values(
      Array.from({ length: CHECKS }, (_, i) => ({
        code: newUuid(),
        badge_key: newUuid(),
        project_id: project.id,
        created: now - 120 * DAY,
        name: `job ${i}`,
        status: i % 10 === 0 ? ('down' as const) : ('up' as const),
        last_ping: now - 60_000,
      })),
    )
    .returning('id')
    .execute()
  // OUTAGES outages of each check in the window, two hours each, 10 % of the checks down now.
  const flips = checks.flatMap((c, i) => [
    ...Array.from({ length: OUTAGES }, (_, o) => {
      const start = now - 88 * DAY + o * Math.floor((85 * DAY) / OUTAGES) + i * 600_000
      return [
        {
          check_id: c.id,
          created: start,
          processed: now,
          old_status: 'up' as const,
          new_status: 'down' as const,
          reason: '',
        },
        {
          check_id: c.id,
          created: start + 2 * 3_600_000,
          processed: now,
          old_status: 'down' as const,
          new_status: 'up' as const,
          reason: '',
        },
      ]
    }).flat(),
    ...(i % 10 === 0
      ? [
          {
            check_id: c.id,
            created: now - 3_600_000,
            processed: now,
            old_status: 'up' as const,
            new_status: 'down' as const,
            reason: '',
          },
        ]
      : []),
  ])
  for (let i = 0; i < flips.length; i += 500)
    await k
      .insertInto('flips')
      .values(flips.slice(i, i + 500))
      .execute()
  const page = await k
    .insertInto('status_pages')
    .values({
      code: newUuid(),
      project_id: project.id,
      slug: 'bench',
      title: 'Bench',
      created: now,
      updated: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await k
    .insertInto('status_page_checks')
    .values(
      checks.map((c, position) => ({
        page_id: page.id,
        check_id: c.id,
        public_name: `Service ${position}`,
        position,
      })),
    )
    .execute()
  for (let n = 0; n < 10; n++) {
    const note = await k
      .insertInto('status_page_notes')
      .values({ page_id: page.id, title: `Note ${n}`, created: now - n * DAY, created_by: null })
      .returning('id')
      .executeTakeFirstOrThrow()
    await k
      .insertInto('status_page_note_updates')
      .values(
        ['investigating', 'monitoring', 'resolved'].map((state, u) => ({
          note_id: note.id,
          state,
          body: `Update ${u} of note ${n}.`,
          created: now - n * DAY + u * 3_600_000,
        })),
      )
      .execute()
  }
  const app = await buildApp(ctx)
  // Where a cold answer's time goes: the view-model (queries and rules) alone.
  const pageRow = await k
    .selectFrom('status_pages')
    .selectAll()
    .where('id', '=', page.id)
    .executeTakeFirstOrThrow()
  const viewTimes: number[] = []
  for (let i = 0; i < SAMPLES + 5; i++) {
    const t0 = process.hrtime.bigint()
    await loadStatusView(ctx, pageRow)
    if (i >= 5) viewTimes.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  viewTimes.sort((a, b) => a - b)
  console.log(
    `${dialect.padEnd(8)} view-model only: min ${viewTimes[0].toFixed(2)} ms, median ${viewTimes[Math.floor(viewTimes.length / 2)].toFixed(2)} ms`,
  )
  for (const [format, url] of [
    ['html', '/status/bench'],
    ['json', '/status/bench/status.json'],
    ['atom', '/status/bench/feed.atom'],
  ]) {
    for (const mode of ['cold', 'warm'] as const) {
      const times: number[] = []
      for (let i = 0; i < SAMPLES + 5; i++) {
        if (mode === 'cold') clock.t += 16_000
        const t0 = process.hrtime.bigint()
        const r = await app.inject({ method: 'GET', url })
        const ms = Number(process.hrtime.bigint() - t0) / 1e6
        if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode}`)
        if (i === 0 && mode === 'cold') console.log(`${format}: ${r.body.length} bytes`)
        if (i >= 5) times.push(ms)
      }
      times.sort((a, b) => a - b)
      const q = (p: number) =>
        times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2)
      console.log(
        `${dialect.padEnd(8)} ${format.padEnd(4)} ${mode}: min ${q(0)} ms, median ${q(0.5)} ms, p95 ${q(0.95)} ms`,
      )
    }
  }
  await app.close()
  await db.close()
  rmSync(dir, { recursive: true, force: true })
  if (dialect === 'postgres') {
    const c = new pg.Client({ connectionString: PG_URL })
    await c.connect()
    await c.query(`drop schema if exists ${schema} cascade`)
    await c.end()
  }
}

console.log(
  `status page with ${CHECKS} checks, ${SAMPLES} samples; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
for (const dialect of DBS) await run(dialect)
