/**
 * Helpers shared by the benchmarks that start real `vigil serve` processes (bench/alerts.ts,
 * bench/scale.ts): a loopback webhook capture server, seeding checks with one webhook channel
 * each, starting `vigil serve --role …` from source, waiting, latency summaries, and ping load
 * with wrk (bench/ping.ts too).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Db } from '../src/db/index.js'
import { newUuid } from '../src/tokens.js'

export interface Capture {
  url: string
  /** Webhook arrivals (Date.now()) by the check code in the hook path. */
  arrivals: Map<string, number[]>
  close(): Promise<void>
}

/** A loopback HTTP server that records `/hook/<code>` requests; `hang` never answers them. */
export async function startCapture(hang: boolean): Promise<Capture> {
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

/** One user and one project; returns the project id. */
export async function seedProject(db: Db, now: number): Promise<number> {
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
  return project.id
}

/**
 * Checks that are up with a deadline a day away (period 1 day, grace 60 s), each with its own
 * webhook channel posting to `<url>/hook/<code>`. Pairs are [check code, capture base URL].
 */
export async function seedWebhookChecks(
  db: Db,
  projectId: number,
  pairs: string[][],
  now: number,
): Promise<void> {
  for (let i = 0; i < pairs.length; i += 100) {
    const slice = pairs.slice(i, i + 100)
    const checks = await db.kysely
      .insertInto('checks')
      .values(
        slice.map(([code]) => ({
          code,
          badge_key: newUuid(),
          project_id: projectId,
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
          project_id: projectId,
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
}

/**
 * `vigil serve --role <role>`, a real child process listening on `port`: from source (tsx), or
 * with `compiled` the build users run (`bin/vigil.js`, which builds dist/ first when it is stale).
 * `nodeArgs` go to node before the script (e.g. `--cpu-prof`).
 */
export function startVigil(
  role: string,
  env: Record<string, string>,
  port: number,
  options: { nodeArgs?: string[]; compiled?: boolean } = {},
): ChildProcess {
  const root = join(import.meta.dirname, '..')
  const script = options.compiled
    ? [join(root, 'bin', 'vigil.js')]
    : ['--import', 'tsx', join(import.meta.dirname, 'vigil-cli.ts')]
  return spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), ...script, 'serve', '--role', role],
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

/** SIGTERM, then waits for the exit (SIGKILL after `graceMs`). */
export async function stopChild(c: ChildProcess, graceMs = 10_000): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return
  const exited = new Promise((r) => c.once('exit', r))
  c.kill('SIGTERM')
  const timer = setTimeout(() => c.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

export async function waitUntil(what: string, cond: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await cond().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Until the web process at `port` answers a ping of an unknown check (404). */
export function waitForWeb(port: number, timeoutMs = 60_000): Promise<void> {
  return waitUntil(
    `the web process on port ${port}`,
    async () => (await fetch(`http://127.0.0.1:${port}/ping/${newUuid()}`)).status === 404,
    timeoutMs,
  )
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}

/** user + system CPU time of a process in ms (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** VmRSS and VmHWM (peak) of a process in MB. */
export function memory(pid: number): { rss: number; hwm: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(text)?.[1] ?? 0)
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 }
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
}

export interface AlertResult {
  p50: number
  p99: number
  max: number
  duplicates: number
  missing: number
}

/**
 * Waits (at most `giveUpMs`) for every code's webhook, keeps counting for `settleMs` more
 * (duplicates, stragglers), then reports latency from `startOf(code)` to the first arrival.
 */
export async function measureAlerts(
  capture: Capture,
  codes: string[],
  startOf: (code: string) => number,
  giveUpMs: number,
  settleMs: number,
): Promise<AlertResult> {
  const deadline = Date.now() + giveUpMs
  while (codes.some((c) => !capture.arrivals.has(c)) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100))
  await new Promise((r) => setTimeout(r, settleMs))
  const latencies: number[] = []
  let duplicates = 0
  let missing = 0
  for (const c of codes) {
    const at = capture.arrivals.get(c)
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
  }
}

export function hasWrk(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' })
    return true
  } catch (e) {
    // wrk --version exits 1 after printing its version.
    return (e as { status?: number }).status === 1
  }
}

/** Figures of one load run: requests/s, latency (ms), 2xx answers, everything else. */
export interface Figures {
  rps: number
  p50: number
  p99: number
  ok: number
  errors: number
}

/** wrk's "1.23ms" / "450.00us" / "1.02s" in ms. */
function wrkMs(text: string): number {
  const m = /([\d.]+)(us|ms|s)/.exec(text)
  if (!m) return Number.NaN
  const v = Number(m[1])
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v
}

/** `wrk -t2` pinging `codes` round-robin at 127.0.0.1:`port` (GET, or POST with `body`). */
export async function runWrk(o: {
  port: number
  codes: string[]
  method: 'GET' | 'POST'
  body: string
  connections: number
  seconds: number
}): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-wrk-'))
  const script = join(dir, 'ping.lua')
  writeFileSync(
    script,
    `local codes = {${o.codes.map((c) => `"${c}"`).join(',')}}
local i = 0
wrk.method = "${o.method}"
${o.method === 'POST' ? `wrk.body = "${o.body}"\nwrk.headers["Content-Type"] = "text/plain"` : ''}
request = function()
  i = i % #codes + 1
  return wrk.format(nil, "/ping/" .. codes[i])
end
`,
  )
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      'wrk',
      [
        '-t2',
        `-c${o.connections}`,
        `-d${o.seconds}s`,
        '--latency',
        '-s',
        script,
        `http://127.0.0.1:${o.port}`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let text = ''
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString()
    })
    child.on('error', reject)
    child.on('exit', () => resolve(text))
  })
  rmSync(dir, { recursive: true, force: true })
  const total = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0)
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0)
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    out,
  )
  const errors =
    non2xx + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0)
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p50: wrkMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? ''),
    p99: wrkMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? ''),
    ok: total - non2xx,
    errors,
  }
}
