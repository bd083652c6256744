import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, test } from 'node:test'
import Database from 'better-sqlite3'
import { spawnVigil, type VigilProcess } from '../helpers/cli.js'

// Issue 13 §3: the README quick start (`npm start`, then `npx vigil doctor`) in a fresh folder,
// with no settings at all, as real processes.

function vigil(args: string[], cwd: string, env: Record<string, string> = {}): VigilProcess {
  return spawnVigil(args, cwd, env)
}

/** Polls `done` (no fixed sleep decides the outcome); fails with `what` after 30 s. */
async function until(done: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

function hasHeartbeat(file: string): boolean {
  if (!existsSync(file)) return false
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return (db.prepare('select count(*) as n from worker_heartbeats').get() as { n: number }).n > 0
  } catch {
    return false // not migrated yet
  } finally {
    db.close()
  }
}

let dir: string
let server: VigilProcess | null = null
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-first-'))
})
afterEach(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGKILL')
    await server.exited
  }
  server = null
  rmSync(dir, { recursive: true, force: true })
})

const keyFile = () => join(dir, 'data', 'secret_key')

test('a fresh first start stores a generated SECRET_KEY (0600) and `vigil doctor` then exits 0', async () => {
  server = vigil(['serve'], dir, { LOG_FORMAT: 'json' })
  const s = server
  await until(
    () => /is up/.test(s.stdout()) && hasHeartbeat(join(dir, 'data', 'vigil.sqlite')),
    () => `${s.stdout()}\n${s.stderr()}`,
  )
  assert.match(s.stdout(), /generated a random one and stored it in data\/secret_key/)
  assert.doesNotMatch(s.stdout(), /SEC-001/)
  assert.equal(statSync(keyFile()).mode & 0o777, 0o600)
  const key = readFileSync(keyFile(), 'utf8').trim()
  assert.ok(key.length >= 64, 'at least 48 random bytes')

  const doctor = vigil(['doctor'], dir)
  const code = await doctor.exited
  assert.equal(code, 0, doctor.stdout() + doctor.stderr())
  assert.doesNotMatch(doctor.stdout(), /SEC-00[13]/)
  assert.match(doctor.stdout(), /OK {4}no errors found/)

  s.child.kill('SIGTERM')
  assert.equal(await s.exited, 0)
  server = vigil(['serve'], dir, { LOG_FORMAT: 'json' })
  const again = server
  await until(
    () => /is up/.test(again.stdout()),
    () => again.stdout(),
  )
  assert.match(again.stdout(), /using the one generated on first start, stored in data\/secret_key/)
  assert.doesNotMatch(again.stdout(), /SEC-00[13]/, 'same key: no SEC-003 "key changed" either')
  assert.equal(readFileSync(keyFile(), 'utf8').trim(), key)
})

test('an explicit SECRET_KEY wins and no key file is written', async () => {
  const doctor = vigil(['doctor', '--json'], dir, { SECRET_KEY: 'k'.repeat(48) })
  await doctor.exited
  assert.equal(existsSync(keyFile()), false)
  assert.doesNotMatch(doctor.stdout(), /SEC-001/)
})

test('production never generates a key: SEC-001 stays fatal', async () => {
  const run = vigil(['serve'], dir, {
    NODE_ENV: 'production',
    SITE_ROOT: 'https://vigil.example.com',
  })
  assert.equal(await run.exited, 78)
  assert.match(run.stderr(), /FATAL SEC-001/)
  assert.equal(existsSync(keyFile()), false)
})
