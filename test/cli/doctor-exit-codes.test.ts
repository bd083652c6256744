import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, test } from 'node:test'
import { SMTPServer } from 'smtp-server'
import type { Env } from '../../src/config/index.js'
import type { Db } from '../../src/db/index.js'
import { databaseEnv, runVigil } from '../helpers/cli.js'
import { createTestDatabase, describeEachDatabase } from '../helpers/databases.js'
import { closedPort } from '../helpers/smtp-sink.js'

const GOOD_SECRET = 'k'.repeat(48)

/** A live worker, so vigil.E003 does not fire and only the settings decide the exit code. */
async function beat(db: Db) {
  await db.kysely
    .insertInto('worker_heartbeats')
    .values({ worker_id: 'test:1', role: 'worker', started: Date.now(), last_seen: Date.now() })
    .execute()
}

test('DOC-2 exit 2 when the database does not answer', async () => {
  const port = await closedPort()
  const r = await runVigil(
    { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/vigil`, SECRET_KEY: GOOD_SECRET },
    'doctor',
  )
  assert.equal(r.code, 2)
  assert.match(
    r.out,
    /ERROR vigil\.E001 The doctor could not run: cannot (open|migrate) the database/,
  )
})

test('DOC-2 an invalid SITE_ROOT is reported as SITE-001 and exits 1', async () => {
  const r = await runVigil({ SITE_ROOT: 'ftp://vigil.example.com' }, 'doctor', '--json')
  assert.equal(r.code, 1)
  const out = JSON.parse(r.out) as { findings: { check: string; severity: string }[] }
  assert.deepEqual(
    out.findings.map((f) => [f.check, f.severity]),
    [['SITE-001', 'fatal']],
  )
})

describeEachDatabase('vigil doctor exit codes', (dialect) => {
  let env: Env
  let db: Db
  let drop: () => Promise<void>
  beforeEach(async () => {
    const t = await createTestDatabase(dialect)
    env = { ...databaseEnv(t.dbConfig), SECRET_KEY: GOOD_SECRET }
    db = t.db
    drop = t.drop
  })
  afterEach(async () => {
    await drop()
  })

  test('DOC-2 exit 0 with warnings only, 1 for the same under --strict', async () => {
    await runVigil(env, 'migrate')
    await beat(db)
    const r = await runVigil(env, 'doctor')
    assert.equal(r.code, 0, r.out)
    assert.match(r.out, /WARN {2}MAIL-001/)
    assert.match(r.out, /OK {4}no errors found/)
    const strict = await runVigil(env, 'doctor', '--strict')
    assert.equal(strict.code, 1)
  })

  test('DOC-2 exit 1 when a finding is an error', async () => {
    await runVigil(env, 'migrate')
    await beat(db)
    const r = await runVigil({ ...env, SECRET_KEY: '---' }, 'doctor')
    assert.equal(r.code, 1)
    assert.match(r.out, /ERROR SEC-001/)
  })

  test('DOC-2 --json prints every finding with check, severity, message and hint', async () => {
    await runVigil(env, 'migrate')
    await beat(db)
    const r = await runVigil({ ...env, TWILIO_ACCOUNT: 'AC1' }, 'doctor', '--json')
    assert.equal(r.code, 0)
    const out = JSON.parse(r.out) as {
      status: string
      findings: { check: string; severity: string; message: string; hint: string | null }[]
    }
    assert.equal(out.status, 'ok')
    const sms = out.findings.find((f) => f.check === 'SMS-001')
    assert.equal(sms?.severity, 'warn')
    assert.match(
      sms?.message ?? '',
      /TWILIO_AUTH and TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID are missing/,
    )
    assert.ok(sms?.hint)
    const failing = await runVigil({ ...env, SECRET_KEY: '---' }, 'doctor', '--json')
    assert.equal(failing.code, 1)
    assert.equal((JSON.parse(failing.out) as { status: string }).status, 'problems')
  })
})

describeEachDatabase('vigil doctor --send-test-email', (dialect) => {
  let env: Env
  let drop: () => Promise<void>
  let smtp: SMTPServer
  let received: string[]
  beforeEach(async () => {
    const t = await createTestDatabase(dialect)
    received = []
    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        callback(null, { user: auth.username })
      },
      onData(stream, _session, callback) {
        stream.on('data', (c: Buffer) => received.push(c.toString()))
        stream.on('end', () => callback())
      },
    })
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
    env = {
      ...databaseEnv(t.dbConfig),
      SECRET_KEY: GOOD_SECRET,
      EMAIL_HOST: '127.0.0.1',
      EMAIL_PORT: String((smtp.server.address() as AddressInfo).port),
      EMAIL_USE_TLS: 'False',
      EMAIL_HOST_USER: 'mailer-account',
      EMAIL_HOST_PASSWORD: 'hunter2-very-secret',
      EMAIL_TIMEOUT: '2',
      DEFAULT_FROM_EMAIL: 'vigil@vigil.example.net',
    }
    await beat(t.db)
    drop = t.drop
  })
  afterEach(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()))
    await drop()
  })

  test('DOC-2 --send-test-email sends a real message and prints the transcript without credentials', async () => {
    const r = await runVigil(env, 'doctor', '--send-test-email', 'ops@example.net')
    assert.equal(r.code, 0, r.out)
    assert.match(r.out, /C: AUTH PLAIN \/\* redacted \*\//)
    assert.match(r.out, /S: 235/)
    assert.match(r.out, /C: MAIL FROM:<vigil@vigil\.example\.net>/)
    assert.match(r.out, /OK {4}test email accepted by 127\.0\.0\.1 for ops@example\.net/)
    const plain = Buffer.from('\u0000mailer-account\u0000hunter2-very-secret').toString('base64')
    assert.ok(!r.out.includes('hunter2'), 'no password')
    assert.ok(!r.out.includes(plain.slice(0, 12)), 'no AUTH PLAIN payload')
    assert.ok(
      !r.out.includes(Buffer.from('mailer-account').toString('base64')),
      'no AUTH LOGIN user',
    )
    assert.ok(received.join('').includes('can send email'))
  })

  test('DOC-2 a test email to an unreachable SMTP server exits 1 with the reason', async () => {
    const r = await runVigil(
      { ...env, EMAIL_PORT: String(await closedPort()) },
      'doctor',
      '--send-test-email',
      'ops@example.net',
    )
    assert.equal(r.code, 1)
    assert.match(r.out, /ERROR test email failed: .*ECONNREFUSED/)
  })
})
