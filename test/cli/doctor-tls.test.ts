import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import { SMTPServer } from 'smtp-server'
import type { Env } from '../../src/config/index.js'
import { databaseEnv, runVigil } from '../helpers/cli.js'
import { createTestDatabase, describeEachDatabase } from '../helpers/databases.js'

/** A self-signed certificate for 127.0.0.1, made with openssl for this run. */
let dir: string
let certFile: string
let key: string
let cert: string
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'))
  certFile = join(dir, 'cert.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  )
  key = readFileSync(join(dir, 'key.pem'), 'utf8')
  cert = readFileSync(certFile, 'utf8')
})
after(() => rmSync(dir, { recursive: true, force: true }))

describeEachDatabase('SMTP with a self-signed certificate', (dialect) => {
  let env: Env
  let drop: () => Promise<void>
  let smtp: SMTPServer
  let delivered: number
  beforeEach(async () => {
    const t = await createTestDatabase(dialect)
    delivered = 0
    // STARTTLS with the self-signed certificate (smtp-server offers it when given key and cert).
    smtp = new SMTPServer({
      key,
      cert,
      authOptional: true,
      logger: false,
      onData(stream, _session, callback) {
        stream.resume()
        stream.on('end', () => {
          delivered++
          callback()
        })
      },
    })
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
    await t.db.kysely
      .insertInto('worker_heartbeats')
      .values({ worker_id: 't:1', role: 'worker', started: Date.now(), last_seen: Date.now() })
      .execute()
    env = {
      ...databaseEnv(t.dbConfig),
      SECRET_KEY: 'k'.repeat(48),
      EMAIL_HOST: '127.0.0.1',
      EMAIL_PORT: String((smtp.server.address() as AddressInfo).port),
      EMAIL_USE_TLS: 'True',
      EMAIL_TIMEOUT: '3',
      DEFAULT_FROM_EMAIL: 'vigil@vigil.example.net',
    }
    drop = t.drop
  })
  afterEach(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()))
    await drop()
  })

  test('T-31 without a CA file doctor --network reports MAIL-007; with EMAIL_TLS_CA_FILE it is OK', async () => {
    const bad = await runVigil(env, 'doctor', '--network')
    assert.equal(bad.code, 1)
    assert.match(
      bad.out,
      /ERROR MAIL-007 \(vigil\.E004\) The SMTP server 127\.0\.0\.1:\d+ cannot be used: .*self[- ]signed/,
    )
    assert.match(bad.out, /Provide EMAIL_TLS_CA_FILE for private CAs/)
    const good = await runVigil({ ...env, EMAIL_TLS_CA_FILE: certFile }, 'doctor', '--network')
    assert.equal(good.code, 0, good.out)
    assert.doesNotMatch(good.out, /MAIL-0(0[4-9]|10)/)
  })

  test('MAIL-007 the mail transport trusts EMAIL_TLS_CA_FILE too: a test email goes through STARTTLS', async () => {
    const r = await runVigil(
      { ...env, EMAIL_TLS_CA_FILE: certFile },
      'doctor',
      '--send-test-email',
      'ops@example.net',
    )
    assert.equal(r.code, 0, r.out)
    assert.match(r.out, /C: STARTTLS/)
    assert.equal(delivered, 1)
  })
})

test('EMAIL_TLS_CA_FILE that cannot be read is an invalid setting naming the variable', async () => {
  const r = await runVigil(
    { EMAIL_HOST: 'smtp.example.net', EMAIL_TLS_CA_FILE: '/nonexistent/ca.pem' },
    'doctor',
  )
  assert.equal(r.code, 1)
  assert.match(r.out, /Invalid setting EMAIL_TLS_CA_FILE: cannot read \/nonexistent\/ca\.pem/)
})
