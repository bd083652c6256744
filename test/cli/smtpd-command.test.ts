/**
 * `vigil smtpd` and `vigil serve` with SMTPD_PORT as real processes: they listen for SMTP, record
 * a mailed ping in the database, and exit 0 on SIGTERM. SQLite in a temporary directory.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, test } from 'node:test'
import nodemailer from 'nodemailer'
import { openDatabase } from '../../src/db/index.js'
import { runVigil } from '../helpers/cli.js'
import { nodeArgsFor } from '../helpers/paths.js'

const VIGIL = nodeArgsFor(import.meta.url, '../../src/cli/main-entry')
const DOMAIN = 'ping.example.org'

let dir: string
let env: Record<string, string>
let child: ChildProcess | null = null
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-smtpd-'))
  env = {
    DB: 'sqlite',
    DB_NAME: join(dir, 'vigil.sqlite'),
    SECRET_KEY: 'test-secret-key-0123456789',
    PING_EMAIL_DOMAIN: DOMAIN,
    HOST: '127.0.0.1',
    PORT: '0',
  }
})
afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL')
    await new Promise((r) => child?.once('exit', r))
  }
  child = null
  rmSync(dir, { recursive: true, force: true })
})

/** A check made through the CLI; returns its UUID. */
async function makeCheck(): Promise<string> {
  const user = await runVigil(
    env,
    'user',
    'create',
    '--email',
    'a@example.org',
    '--password',
    'correct horse battery',
  )
  assert.equal(user.code, 0, user.err)
  const project = await runVigil(
    env,
    'project',
    'create',
    '--owner',
    'a@example.org',
    '--name',
    'P',
  )
  assert.equal(project.code, 0, project.err)
  const { uuid } = JSON.parse(project.out) as { uuid: string }
  const check = await runVigil(env, 'check', 'create', '--project', uuid, '--name', 'backup')
  assert.equal(check.code, 0, check.err)
  return (JSON.parse(check.out) as { ping_url: string }).ping_url.split('/').pop() as string
}

/** Starts `vigil <args>`; resolves with the SMTP port from its start-up log line. */
async function startVigil(args: string[], extra: Record<string, string> = {}): Promise<number> {
  const proc = spawn(process.execPath, [...VIGIL, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child = proc
  let out = ''
  let err = ''
  proc.stderr?.on('data', (c: Buffer) => {
    err += c.toString()
  })
  return new Promise<number>((resolve, reject) => {
    proc.stdout?.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /ping by email: SMTP on 127\.0\.0\.1:(\d+) for @ping\.example\.org/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    proc.once('exit', (code) => reject(new Error(`vigil exited ${code}: ${err}${out}`)))
  })
}

async function mail(port: number, code: string): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true })
  await transport.sendMail({ from: 'cron@example.org', to: `${code}@${DOMAIN}`, text: 'done' })
}

async function pingSchemes(): Promise<string[]> {
  const db = openDatabase({ kind: 'sqlite', file: env.DB_NAME })
  try {
    const rows = await db.kysely.selectFrom('pings').select('scheme').execute()
    return rows.map((r) => r.scheme)
  } finally {
    await db.close()
  }
}

async function stop(): Promise<number | null> {
  const proc = child as ChildProcess
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)))
  proc.kill('SIGTERM')
  return exited
}

test('vigil smtpd --port 0 records a mailed ping and exits 0 on SIGTERM', {
  timeout: 60_000,
}, async () => {
  const code = await makeCheck()
  const port = await startVigil(['smtpd', '--port', '0'])
  await mail(port, code)
  assert.deepEqual(await pingSchemes(), ['email'])
  assert.equal(await stop(), 0)
})

test('vigil serve runs the SMTP server too when SMTPD_PORT is set', {
  timeout: 60_000,
}, async () => {
  const code = await makeCheck()
  const port = await startVigil(['serve'], { SMTPD_PORT: '0' })
  await mail(port, code)
  assert.deepEqual(await pingSchemes(), ['email'])
  assert.equal(await stop(), 0)
})

test('vigil smtpd --help and a bad --port', async () => {
  const help = await runVigil({}, 'smtpd', '--help')
  assert.equal(help.code, 0)
  assert.match(help.out, /vigil smtpd \[--port N\]/)
  const bad = await runVigil({}, 'smtpd', '--port', 'x')
  assert.equal(bad.code, 2)
  assert.match(bad.err, /--port must be a port number/)
})

test('vigil serve --role accepts smtpd and names it when refusing another role', async () => {
  const r = await runVigil({}, 'serve', '--role', 'nope')
  assert.equal(r.code, 2)
  assert.match(r.err, /all, web, worker or smtpd/)
})
