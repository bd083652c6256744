/**
 * `npx tsx bench/pages.ts` (the `bench:pages` script): how fast each main web page answers with
 * 1,000 checks in the project, on SQLite and PostgreSQL. Vigil runs in a child process
 * (bench/vigil-server.ts); this process fills the database first (1,000 checks with 10 pings
 * each, five integrations on every check, and one busy check with 1,000 retained pings, status
 * changes and notifications for the details and log pages), logs in through the real form, then
 * GETs every page sequentially: 5 warm-up requests, then BENCH_SAMPLES (40) timed ones.
 * Prints min, median and p95 per page and flags any page whose median is over 100 ms (the
 * machine's load average is printed too: other work on the same cores inflates the medians).
 * Options (env): BENCH_SAMPLES (40), BENCH_DBS (sqlite,postgres).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import pino from 'pino'
import { createUser } from '../src/accounts/users/create-user.js'
import { loadConfig } from '../src/config/index.js'
import { systemClock } from '../src/context.js'
import { migrateToLatest, openDatabase, type PingKind } from '../src/db/index.js'
import { createProject } from '../src/projects/create-project.js'
import { newUuid } from '../src/tokens.js'

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40)
const DBS = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',')
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const CHECKS = 1000
const BUDGET_MS = 100
const EMAIL = 'bench@example.com'
const PASSWORD = 'correct horse battery staple'

interface Prepared {
  env: Record<string, string>
  projectCode: string
  busyCode: string
  cleanup(): Promise<void>
}

async function prepare(dialect: string): Promise<Prepared> {
  let env: Record<string, string>
  let cleanupExtra: () => Promise<void>
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-pages-'))
    const file = join(dir, 'vigil.sqlite')
    env = { DB: 'sqlite', DB_NAME: file }
    cleanupExtra = async () => rmSync(dir, { recursive: true, force: true })
  } else {
    const schema = `bench_pages_${process.pid}`
    const admin = new pg.Client({ connectionString: PG_URL })
    await admin.connect()
    await admin.query(`drop schema if exists ${schema} cascade; create schema ${schema}`)
    await admin.end()
    env = { DATABASE_URL: `${PG_URL}?schema=${schema}` }
    cleanupExtra = async () => {
      const c = new pg.Client({ connectionString: PG_URL })
      await c.connect()
      await c.query(`drop schema if exists ${schema} cascade`)
      await c.end()
    }
  }
  const config = loadConfig({ ...process.env, ...env })
  const db = openDatabase(config.db)
  const migrated = await migrateToLatest(db)
  if (migrated.error) throw migrated.error
  const ctx = { db, clock: systemClock, config, log: pino({ level: 'silent' }) }
  const user = await createUser(ctx, { email: EMAIL, password: PASSWORD })
  if (!user.ok) throw new Error(`createUser: ${user.error.kind}`)
  const created = await createProject(ctx, { ownerEmail: EMAIL, name: 'Bench' })
  if (!created.ok) throw new Error(`createProject: ${created.error.kind}`)
  const project = created.value.project
  const k = db.kysely
  await k
    .updateTable('projects')
    .set({ ping_log_limit: 1000 })
    .where('id', '=', project.id)
    .execute()
  const now = Date.now()
  const checkRows = Array.from({ length: CHECKS }, (_, i) => ({
    code: newUuid(),
    badge_key: newUuid(),
    project_id: project.id,
    created: now - 30 * 86_400_000 + i,
    name: `check ${i}`,
    slug: `check-${i}`,
    tags: ['prod', 'staging db', 'backup'][i % 3],
    status: i % 10 === 0 ? ('down' as const) : ('up' as const),
    last_ping: now - i * 1000,
    n_pings: i === 0 ? 1000 : 10,
  }))
  for (let i = 0; i < checkRows.length; i += 200) {
    await k
      .insertInto('checks')
      .values(checkRows.slice(i, i + 200))
      .execute()
  }
  const checks = await k
    .selectFrom('checks')
    .select(['id', 'code'])
    .where('project_id', '=', project.id)
    .orderBy('id')
    .execute()
  for (let c = 0; c < 5; c++) {
    const channel = await k
      .insertInto('channels')
      .values({
        code: newUuid(),
        project_id: project.id,
        kind: 'webhook',
        name: `hook ${c}`,
        value: JSON.stringify({ url_down: `https://hooks.example.org/${c}` }),
        created: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (let i = 0; i < checks.length; i += 500) {
      await k
        .insertInto('check_channels')
        .values(checks.slice(i, i + 500).map((ch) => ({ check_id: ch.id, channel_id: channel.id })))
        .execute()
    }
  }
  const ping = (checkId: number, n: number, created: number, kind: PingKind) => ({
    check_id: checkId,
    n,
    created,
    kind,
    scheme: 'https',
    remote_addr: '203.0.113.7',
    method: 'POST',
    ua: 'curl/8.5.0',
    body: Buffer.from(`run ${n}: 42 files copied, 0 errors`),
    exitstatus: kind === 'fail' ? 1 : 0,
    rid: null,
  })
  const pings = checks
    .slice(1)
    .flatMap((ch) =>
      Array.from({ length: 10 }, (_, i) =>
        ping(ch.id, i + 1, now - (10 - i) * 3_600_000, 'success'),
      ),
    )
  const busy = checks[0]
  for (let n = 1; n <= 1000; n++) {
    const kind: PingKind = n % 2 === 1 ? 'start' : n % 50 === 0 ? 'fail' : 'success'
    pings.push(ping(busy.id, n, now - (1000 - n) * 60_000 - (n % 2 === 1 ? 30_000 : 0), kind))
  }
  for (let i = 0; i < pings.length; i += 500) {
    await k
      .insertInto('pings')
      .values(pings.slice(i, i + 500))
      .execute()
  }
  const flips = Array.from({ length: 40 }, (_, i) => ({
    check_id: busy.id,
    created: now - (1000 - i * 25) * 60_000,
    processed: now - (1000 - i * 25) * 60_000,
    old_status: i % 2 === 0 ? ('up' as const) : ('down' as const),
    new_status: i % 2 === 0 ? ('down' as const) : ('up' as const),
    reason: i % 2 === 0 ? 'fail' : '',
  }))
  const flipIds = await k.insertInto('flips').values(flips).returning(['id', 'created']).execute()
  const channel = await k
    .selectFrom('channels')
    .select('id')
    .where('project_id', '=', project.id)
    .executeTakeFirstOrThrow()
  await k
    .insertInto('notifications')
    .values(
      flipIds.map((f) => ({
        code: newUuid(),
        check_id: busy.id,
        channel_id: channel.id,
        flip_id: f.id,
        check_status: 'down',
        created: f.created + 1,
        status: 'sent' as const,
        next_attempt_at: 0,
        claimed_by: null,
        claimed_at: null,
        sent_at: f.created + 1,
      })),
    )
    .execute()
  await db.close()
  return {
    env,
    projectCode: project.code,
    busyCode: busy.code,
    cleanup: cleanupExtra,
  }
}

function startServer(env: Record<string, string>): Promise<{ port: number; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const script = join(import.meta.dirname, 'vigil-server.ts')
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let buf = ''
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString()
      const m = /LISTENING (\d+)/.exec(buf)
      if (m) resolve({ port: Number(m[1]), child })
    })
    child.on('exit', (code) => reject(new Error(`vigil-server exited with ${code}`)))
  })
}

/** A cookie jar of one: enough for the log-in form and the session. */
class Client {
  private cookies = new Map<string, string>()
  constructor(private readonly base: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const r = await fetch(`${this.base}${path}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie },
    })
    for (const line of r.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = pair.indexOf('=')
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1))
    }
    return r
  }

  async logIn(): Promise<void> {
    const page = await (await this.request('/login')).text()
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1]
    if (!csrf) throw new Error('no CSRF field on /login')
    const r = await this.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, email: EMAIL, password: PASSWORD }).toString(),
    })
    await r.text()
    if (r.status !== 303) throw new Error(`log-in answered ${r.status}`)
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

async function time(
  client: Client,
  path: string,
): Promise<{ min: number; median: number; p95: number }> {
  const samples: number[] = []
  for (let i = 0; i < 5 + SAMPLES; i++) {
    const started = performance.now()
    const r = await client.request(path)
    await r.arrayBuffer()
    const ms = performance.now() - started
    if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}`)
    if (i >= 5) samples.push(ms)
  }
  samples.sort((a, b) => a - b)
  return { min: samples[0], median: percentile(samples, 50), p95: percentile(samples, 95) }
}

const rows: string[] = []
const slow: string[] = []
console.log(
  `load average before: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`,
)
for (const dialect of DBS) {
  const prepared = await prepare(dialect)
  const { port, child } = await startServer(prepared.env)
  try {
    const client = new Client(`http://127.0.0.1:${port}`)
    await client.logIn()
    const p = prepared.projectCode
    const c = prepared.busyCode
    const pages: [string, string][] = [
      ['projects overview', '/projects/'],
      ['dashboard', `/projects/${p}/checks/`],
      ['dashboard, filtered and sorted', `/projects/${p}/checks/?tag=prod&sort=name`],
      ['dashboard live status.json', `/projects/${p}/checks/status.json`],
      ['check details (1,000 pings)', `/checks/${c}/details/`],
      ['check details, page 10', `/checks/${c}/details/?page=10`],
      ['check log', `/checks/${c}/log/`],
      [
        'check log, all kinds + dates',
        `/checks/${c}/log/?filtered=1&kind=success&kind=fail&kind=start&kind=flip&kind=notification&from=2000-01-01`,
      ],
      [
        'check log live events.json (idle)',
        `/checks/${c}/events.json?after=999999999-999999999-999999999`,
      ],
      ['ping body viewer', `/checks/${c}/pings/1000/`],
      ['add check form', `/projects/${p}/checks/add`],
      ['edit check form', `/checks/${c}/edit`],
      ['transfer page', `/checks/${c}/transfer/`],
      ['integrations', `/projects/${p}/integrations/`],
      ['badges', `/projects/${p}/badges/`],
      ['project settings', `/projects/${p}/settings/`],
      ['team', `/projects/${p}/settings/team`],
      ['account security', '/account/security'],
      ['account profile', '/account/profile'],
      ['account sessions', '/account/sessions'],
    ]
    for (const [name, path] of pages) {
      const f = await time(client, path)
      const flag = f.median > BUDGET_MS ? ' **over 100 ms**' : ''
      if (flag) slow.push(`${dialect} ${name}`)
      console.log(
        `${dialect} ${name}: min ${f.min.toFixed(1)} ms, median ${f.median.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms${flag}`,
      )
      rows.push(
        `| ${dialect} | ${name} | ${f.min.toFixed(1)} | ${f.median.toFixed(1)} | ${f.p95.toFixed(1)} |${flag}`,
      )
    }
  } finally {
    child.removeAllListeners('exit')
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    await prepared.cleanup()
  }
}
console.log(
  `\n| db | page | min ms | median ms | p95 ms |\n|---|---|---|---|---|\n${rows.join('\n')}`,
)
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`,
)
console.log(
  slow.length
    ? `\nOver ${BUDGET_MS} ms: ${slow.join(', ')}`
    : `\nEvery page under ${BUDGET_MS} ms.`,
)
