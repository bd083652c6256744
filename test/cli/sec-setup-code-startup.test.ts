/**
 * SEC-SETUP at start: a fresh `vigil serve` logs the first-run setup code (doctor's SETUP-001)
 * before it listens, and it is the code `vigil setup-code` prints from another process; on the
 * server.s own loopback the first-run page asks for none (test/web/sec-first-run-setup-code.test.ts).
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { runVigil } from '../helpers/cli.js'
import { nodeArgsFor } from '../helpers/paths.js'

const VIGIL = nodeArgsFor(import.meta.url, '../../src/cli/main-entry')

const dir = mkdtempSync(join(tmpdir(), 'vigil-setup-'))
let child: ChildProcess | null = null
after(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

test('SEC-SETUP vigil serve logs the setup code before listening, the same as vigil setup-code', async () => {
  const env = { DB_NAME: join(dir, 'vigil.sqlite'), SECRET_KEY: 'k'.repeat(48) }
  const proc = spawn(process.execPath, [...VIGIL, 'serve', '--role', 'web'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child = proc
  let out = ''
  proc.stdout?.on('data', (c: Buffer) => {
    out += c.toString()
  })
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)))
  const deadline = Date.now() + 30_000
  while (!/is up: open/.test(out)) {
    assert.equal(proc.exitCode, null, `exited early:\n${out}`)
    assert.ok(Date.now() < deadline, `not up in time:\n${out}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  const lines = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
  const setupAt = lines.findIndex((l) => l.check === 'SETUP-001')
  assert.ok(setupAt >= 0, 'SETUP-001 is logged')
  assert.ok(setupAt < lines.findIndex((l) => /is up/.test(String(l.msg))), 'before listening')
  const logged = /setup code ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(String(lines[setupAt].msg))
  assert.ok(logged, String(lines[setupAt].msg))

  const cli = await runVigil(env, 'setup-code')
  assert.equal(cli.code, 0, cli.err)
  assert.equal(cli.out, logged[1])

  proc.kill('SIGTERM')
  assert.equal(await exited, 0)
})
