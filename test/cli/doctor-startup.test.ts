import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, test } from 'node:test'
import { spawnVigil, type VigilProcess } from '../helpers/cli.js'
import { closedPort } from '../helpers/smtp-sink.js'

/** `vigil serve` as a real process in `cwd`, with only the given environment (plus PATH). */
function serve(env: Record<string, string>, cwd: string): VigilProcess {
  return spawnVigil(['serve'], cwd, env)
}

async function waitFor(run: VigilProcess, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!pattern.test(run.stdout())) {
    if (run.child.exitCode !== null)
      throw new Error(`exited early:\n${run.stdout()}\n${run.stderr()}`)
    if (Date.now() > deadline)
      throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${run.stdout()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** The structured log lines (pino JSON) of a run. */
function logLines(run: VigilProcess): Record<string, unknown>[] {
  return run
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

let dir: string
let running: VigilProcess | null = null
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-start-'))
})
afterEach(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGKILL')
    await running.exited
  }
  running = null
  rmSync(dir, { recursive: true, force: true })
})

const sqlite = () => ({ DB_NAME: join(dir, 'vigil.sqlite') })

test('T-29 SECRET_KEY=--- in production exits 78 with the SEC-001 text', async () => {
  running = serve(
    {
      ...sqlite(),
      SECRET_KEY: '---',
      NODE_ENV: 'production',
      SITE_ROOT: 'https://vigil.example.com',
    },
    dir,
  )
  assert.equal(await running.exited, 78)
  assert.match(running.stderr(), /refusing to start: 1 fatal configuration problem/)
  assert.match(
    running.stderr(),
    /FATAL SEC-001 \(vigil\.W001\) SECRET_KEY is not set or is the Healthchecks placeholder/,
  )
  const line = logLines(running).find((l) => l.check === 'SEC-001')
  assert.equal(line?.severity, 'fatal')
  assert.match(String(line?.message), /public default key/)
  assert.match(String(line?.hint), /ALLOW_INSECURE_SECRET_KEY/)
})

test('DOC-1 DEBUG=False counts as production (Healthchecks env files): SEC-001 is fatal there too', async () => {
  running = serve(
    { ...sqlite(), SECRET_KEY: '---', DEBUG: 'False', SITE_ROOT: 'https://vigil.example.com' },
    dir,
  )
  assert.equal(await running.exited, 78)
  assert.match(running.stderr(), /SEC-001/)
})

test('DOC-1 a SITE_ROOT with a query, or an ALLOWED_HOSTS without its host, refuses the start', async () => {
  const key = { SECRET_KEY: 'k'.repeat(48) }
  let run = serve({ ...sqlite(), ...key, SITE_ROOT: 'https://vigil.example.com/?x=1' }, dir)
  assert.equal(await run.exited, 78)
  assert.match(
    run.stderr(),
    /FATAL SITE-001 SITE_ROOT \(https:\/\/vigil\.example\.com\/\?x=1\) has a query or fragment/,
  )
  run = serve({ ...sqlite(), ...key, SITE_ROOT: 'gopher://vigil.example.com' }, dir)
  assert.equal(await run.exited, 78)
  assert.match(
    run.stderr(),
    /refusing to start: SITE-001 invalid setting SITE_ROOT: must start with http/,
  )
  run = serve(
    {
      ...sqlite(),
      ...key,
      SITE_ROOT: 'https://vigil.example.com',
      ALLOWED_HOSTS: 'old.example.com',
    },
    dir,
  )
  assert.equal(await run.exited, 78)
  assert.match(
    run.stderr(),
    /FATAL SITE-005 ALLOWED_HOSTS \(old\.example\.com\) does not include the SITE_ROOT host/,
  )
})

test('DOC-1 with no configuration at all (the README quick start) Vigil starts, logging its findings first', async () => {
  running = serve({}, dir)
  await waitFor(running, /is up: open http:\/\/localhost:/)
  const lines = logLines(running)
  // No SEC-001: a development instance generates its key (config/secret-key-file.ts).
  assert.equal(
    lines.find((l) => l.check === 'SEC-001'),
    undefined,
  )
  assert.ok(lines.some((l) => /^configuration check: 0 fatal, \d+ error/.test(String(l.msg))))
  // Findings are logged before the listener opens.
  const upAt = lines.findIndex((l) => /is up/.test(String(l.msg)))
  assert.ok(lines.findIndex((l) => l.check === 'MAIL-001') < upAt)
  running.child.kill('SIGTERM')
  assert.equal(await running.exited, 0)
})

test('DOC-1 ALLOW_INSECURE_SECRET_KEY=True lets production start with SEC-001 as an error', async () => {
  running = serve(
    {
      ...sqlite(),
      SECRET_KEY: '---',
      NODE_ENV: 'production',
      SITE_ROOT: 'http://localhost:8000',
      ALLOW_INSECURE_SECRET_KEY: 'True',
    },
    dir,
  )
  await waitFor(running, /is up/)
  assert.equal(logLines(running).find((l) => l.check === 'SEC-001')?.severity, 'error')
  running.child.kill('SIGTERM')
  assert.equal(await running.exited, 0)
})

test('DOC-1 the SMTP probe runs in the background after start and never holds up shutdown', async () => {
  running = serve(
    {
      ...sqlite(),
      SECRET_KEY: 'k'.repeat(48),
      EMAIL_HOST: '127.0.0.1',
      EMAIL_PORT: String(await closedPort()),
      EMAIL_USE_TLS: 'False',
      DEFAULT_FROM_EMAIL: 'vigil@vigil.example.net',
    },
    dir,
  )
  await waitFor(running, /is up/)
  await waitFor(running, /"check":"MAIL-005"/, 15_000)
  const started = Date.now()
  running.child.kill('SIGTERM')
  assert.equal(await running.exited, 0)
  assert.ok(Date.now() - started < 5000, 'shut down promptly')
})

test('SEC-003 a changed SECRET_KEY is logged at the next start', async () => {
  const env = { ...sqlite(), SITE_ROOT: 'http://localhost:8000' }
  let run = serve({ ...env, SECRET_KEY: 'a'.repeat(48) }, dir)
  await waitFor(run, /is up/)
  assert.ok(!logLines(run).some((l) => l.check === 'SEC-003'))
  run.child.kill('SIGTERM')
  assert.equal(await run.exited, 0)
  run = serve({ ...env, SECRET_KEY: 'b'.repeat(48) }, dir)
  running = run
  await waitFor(run, /is up/)
  const line = logLines(run).find((l) => l.check === 'SEC-003')
  assert.equal(line?.severity, 'warn')
  assert.match(
    String(line?.message),
    /Hashed API keys, login links and sessions are now invalid; TOTP secrets need ENCRYPTION_KEY/i,
  )
  run.child.kill('SIGTERM')
  assert.equal(await run.exited, 0)
})
