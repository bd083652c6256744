import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, test } from 'node:test'
import { SMTPServer } from 'smtp-server'
import type { Env } from '../../src/config/index.js'
import { loadConfig } from '../../src/config/index.js'
import { classifySmtpProblem, configFindings } from '../../src/doctor/findings.js'
import { databaseEnv, runVigil } from '../helpers/cli.js'
import { createTestDatabase, describeEachDatabase } from '../helpers/databases.js'

const ids = (env: Env) =>
  configFindings(loadConfig({ SECRET_KEY: 'x'.repeat(40), ...env })).map((f) => f.id)

test('an SMTP failure is classified by what nodemailer says, not by the digits of the port or host', () => {
  const id = (problem: string) => classifySmtpProblem(problem).id
  // Every port: a refused connection is MAIL-005 even on ports 530, 25350, 30534 or 21535.
  for (let port = 1; port <= 65_535; port++) {
    const refused = `connect ECONNREFUSED 127.0.0.1:${port}`
    if (id(refused) !== 'MAIL-005') assert.fail(`${refused} -> ${id(refused)}`)
  }
  assert.equal(id('connect ECONNREFUSED [::1]:25350'), 'MAIL-005')
  assert.equal(id('connect ECONNREFUSED auth.example.net:535'), 'MAIL-005')
  assert.equal(id('getaddrinfo ENOTFOUND smtp-auth.example.net'), 'MAIL-004')
  assert.equal(id('Invalid login: 535 5.7.8 Authentication failed'), 'MAIL-008')
  assert.equal(id('Mail command failed: 530 5.7.0 Must issue a STARTTLS command first'), 'MAIL-008')
  assert.equal(id('Greeting never received'), 'MAIL-006')
  assert.equal(id('unable to verify the first certificate'), 'MAIL-007')
  assert.equal(id('Mail command failed: 553 sender rejected'), 'MAIL-009')
})

test('T-32 SITE_ROOT https://hc.example.com with RP ID example.org disables keys with WEBAUTHN-001', () => {
  const findings = configFindings(
    loadConfig({
      SECRET_KEY: 'x'.repeat(40),
      SITE_ROOT: 'https://hc.example.com',
      WEBAUTHN_RP_ID: 'example.org',
    }),
  )
  const f = findings.find((x) => x.id === 'WEBAUTHN-001')
  assert.ok(f)
  assert.equal(f.severity, 'error')
  assert.match(f.message, /Security keys are disabled/)
})

test('WEBAUTHN-003 an http SITE_ROOT other than localhost warns that keys need https', () => {
  assert.ok(ids({ SITE_ROOT: 'http://vigil.example.com' }).includes('WEBAUTHN-003'))
  assert.ok(!ids({ SITE_ROOT: 'https://vigil.example.com' }).some((i) => i.startsWith('WEBAUTHN')))
})

test('SEC-001 SEC-002 the placeholder secret is an error, a short one a warning', () => {
  assert.ok(ids({ SECRET_KEY: '---' }).includes('SEC-001'))
  assert.ok(ids({ SECRET_KEY: 'short-secret' }).includes('SEC-002'))
  assert.ok(!ids({}).some((i) => i.startsWith('SEC-')))
})

test('MAIL-002 MAIL-003 REG-001 sender at example.org, port 465 with STARTTLS, open sign-up without mail', () => {
  const mail = { EMAIL_HOST: 'smtp.example.net', DEFAULT_FROM_EMAIL: 'vigil@example.com' }
  assert.ok(ids(mail).includes('MAIL-002'))
  assert.ok(ids({ ...mail, EMAIL_PORT: '465' }).includes('MAIL-003'))
  assert.ok(ids({ REGISTRATION_OPEN: 'True' }).includes('REG-001'))
  assert.ok(!ids({ REGISTRATION_OPEN: 'False' }).includes('REG-001'))
})

describeEachDatabase('vigil doctor --network', (dialect) => {
  let env: Env
  let drop: () => Promise<void>
  let smtp: SMTPServer
  let port: number
  beforeEach(async () => {
    const t = await createTestDatabase(dialect)
    env = databaseEnv(t.dbConfig)
    drop = t.drop
    // A server that offers AUTH over plain text and refuses every credential with 535.
    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(_auth, _session, callback) {
        const e = new Error('Authentication credentials invalid') as Error & {
          responseCode: number
        }
        e.responseCode = 535
        callback(e)
      },
    })
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
    port = (smtp.server.address() as AddressInfo).port
  })
  afterEach(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()))
    await drop()
  })

  test('T-30 an SMTP server answering 535 makes doctor --network exit 1 with MAIL-008', async () => {
    const r = await runVigil(
      {
        ...env,
        SECRET_KEY: 'x'.repeat(40),
        EMAIL_HOST: '127.0.0.1',
        EMAIL_PORT: String(port),
        EMAIL_USE_TLS: 'False',
        EMAIL_HOST_USER: 'vigil',
        EMAIL_HOST_PASSWORD: 'wrong',
        EMAIL_TIMEOUT: '2',
      },
      'doctor',
      '--network',
    )
    assert.equal(r.code, 1)
    assert.match(
      r.out,
      /ERROR MAIL-008 \(vigil\.E004\) The SMTP server 127\.0\.0\.1:\d+ cannot be used/,
    )
    // The probe's outcome is kept: the mail status is now degraded (MAIL-1).
    const again = await runVigil(
      {
        ...env,
        SECRET_KEY: 'x'.repeat(40),
        EMAIL_HOST: '127.0.0.1',
        EMAIL_PORT: String(port),
        EMAIL_USE_TLS: 'False',
      },
      'doctor',
    )
    assert.match(again.out, /MAIL-010 Outgoing email is degraded/)
  })
})
