import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { afterEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import pino from 'pino'
import {
  breachCount,
  checkBreachedPassword,
  passwordHashRange,
} from '../../src/accounts/passwords/breached-passwords.js'
import { verifyPassword } from '../../src/accounts/passwords/passwords.js'
import { setPasswordByOperator } from '../../src/accounts/users/operator-recovery.js'
import { buildApp } from '../../src/app.js'
import { ConfigError, loadConfig } from '../../src/config/index.js'
import { buildUser } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { closedPort } from '../helpers/smtp-sink.js'
import { FormClient } from '../web/form-client.js'

const BREACHED = 'summer holiday 2019'
const FRESH = 'a long enough password'
const PASSWORD = 'correct horse battery'
const BREACHED_TEXT = /This password has appeared in a data breach/

/** A padded range answer (as Add-Padding gives) listing BREACHED 42 times. */
function rangeBody(): string {
  const { suffix } = passwordHashRange(BREACHED)
  const lines = [`${suffix}:42`]
  for (let i = 0; i < 20; i++) lines.push(`${i.toString(16).toUpperCase().padStart(35, '0')}:0`)
  return lines.join('\r\n')
}

test('LG-1 the range query sends the first 5 hex digits of the SHA-1 and keeps the rest', () => {
  // SHA-1("password") = 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8
  assert.deepEqual(passwordHashRange('password'), {
    prefix: '5BAA6',
    suffix: '1E4C9B93F3F0682250B6CF8331B7EE68FD8',
  })
})

test('LG-1 range answers: the count of the suffix; padding lines (count 0) never match', () => {
  const { suffix } = passwordHashRange(BREACHED)
  assert.equal(breachCount(rangeBody(), suffix), 42)
  assert.equal(breachCount(rangeBody().toLowerCase(), suffix), 42)
  assert.equal(breachCount(rangeBody(), passwordHashRange(FRESH).suffix), 0)
  assert.equal(breachCount(`${'0'.repeat(35)}:0\n`, '0'.repeat(35)), 0)
  assert.equal(breachCount('<html>maintenance</html>', suffix), null)
})

test('LG-1 PASSWORD_BREACH_CHECK is off or hibp; the API URL defaults to Pwned Passwords', () => {
  const c = (env: Record<string, string>) =>
    loadConfig({ SECRET_KEY: 'test-secret-key-0123456789', ...env }).accounts
  assert.equal(c({}).passwordBreachCheck, 'off')
  assert.equal(c({}).passwordBreachApiUrl, 'https://api.pwnedpasswords.com')
  assert.equal(c({ PASSWORD_BREACH_CHECK: 'HIBP' }).passwordBreachCheck, 'hibp')
  assert.equal(
    c({ PASSWORD_BREACH_API_URL: 'http://127.0.0.1:9999/pp/' }).passwordBreachApiUrl,
    'http://127.0.0.1:9999/pp',
  )
  assert.throws(() => c({ PASSWORD_BREACH_CHECK: 'on' }), ConfigError)
  assert.throws(() => c({ PASSWORD_BREACH_API_URL: 'ftp://x' }), ConfigError)
})

describeEachDatabase('breached-password check (LG-1, PASSWORD_BREACH_CHECK=hibp)', (dialect) => {
  let ctx: TestContext | undefined
  let app: FastifyInstance | undefined
  let api: CaptureServer | undefined
  let browser: FormClient
  let logged: string[]

  async function start(env: Record<string, string> = {}) {
    api = await startCaptureServer()
    api.script({ status: 200, body: rangeBody() })
    ctx = await createTestContext(dialect, {
      PASSWORD_BREACH_CHECK: 'hibp',
      PASSWORD_BREACH_API_URL: api.url,
      SIGNUP_WITH_PASSWORD: 'True',
      ...env,
    })
    logged = []
    const sink = new Writable({
      write(chunk, _enc, done) {
        logged.push(String(chunk))
        done()
      },
    })
    ctx.log = pino({ level: 'warn' }, sink)
    app = await buildApp(ctx)
    browser = new FormClient(app, ctx.clock)
    await buildUser(ctx, 'alice@example.org', PASSWORD)
  }
  afterEach(async () => {
    await app?.close()
    await ctx?.drop()
    await api?.close()
    app = ctx = api = undefined
  })
  const t = () => ctx as TestContext
  const users = () => t().db.kysely.selectFrom('users').select('email').orderBy('id').execute()
  const signUp = (password: string) =>
    browser.submit('/signup', '/signup', { email: 'new@example.org', password })
  const logIn = () =>
    browser.submit('/login', '/login', { email: 'alice@example.org', password: PASSWORD })
  const changePassword = (password: string) =>
    browser.submit('/account/password', '/account/password', { current: PASSWORD, password })

  test('LG-1 the range query asks only for the prefix, with Add-Padding: true', async () => {
    await start()
    const before = (api as CaptureServer).requests.length
    const v = await checkBreachedPassword(t(), BREACHED)
    assert.deepEqual(v, { kind: 'breached', count: 42 })
    const req = (api as CaptureServer).requests[before]
    const { prefix, suffix } = passwordHashRange(BREACHED)
    assert.equal(req.method, 'GET')
    assert.equal(req.url, `/range/${prefix}`)
    assert.equal(req.headers['add-padding'], 'true')
    assert.ok(!JSON.stringify(req).includes(suffix), 'the rest of the hash never leaves')
  })

  test('LG-1 sign-up with a breached password: 400 with a clear message, no account', async () => {
    await start()
    const r = await signUp(BREACHED)
    assert.equal(r.statusCode, 400)
    assert.match(r.body, BREACHED_TEXT)
    assert.deepEqual(await users(), [{ email: 'alice@example.org' }])
    assert.equal((await signUp(FRESH)).statusCode, 200)
    assert.equal((await users()).length, 2)
  })

  test('LG-1 password change with a breached password: 400, the old password still works', async () => {
    await start()
    await logIn()
    const r = await changePassword(BREACHED)
    assert.equal(r.statusCode, 400)
    assert.match(r.body, BREACHED_TEXT)
    const row = await t()
      .db.kysely.selectFrom('users')
      .select('password_hash')
      .where('email', '=', 'alice@example.org')
      .executeTakeFirstOrThrow()
    assert.equal(await verifyPassword(row.password_hash, PASSWORD), true)
    assert.equal((await changePassword(FRESH)).statusCode, 200)
  })

  test('LG-1 set-password by the operator refuses a breached password too', async () => {
    await start()
    const r = await setPasswordByOperator(t(), 'alice@example.org', BREACHED)
    assert.equal(!r.ok && r.error.kind, 'password-breached')
  })

  test('LG-1 the API answering 503 does not block the user: accepted, with a warning logged', async () => {
    await start()
    ;(api as CaptureServer).script(503)
    const r = await signUp(BREACHED)
    assert.equal(r.statusCode, 200)
    assert.equal((await users()).length, 2)
    assert.ok(
      logged.some(
        (l) => /did not answer; the new password was accepted/.test(l) && /HTTP 503/.test(l),
      ),
      logged.join('\n'),
    )
  })

  test('LG-1 an unreachable API fails open as well', async () => {
    const port = await closedPort()
    await start({ PASSWORD_BREACH_API_URL: `http://127.0.0.1:${port}` })
    const v = await checkBreachedPassword(t(), BREACHED)
    assert.deepEqual(v, { kind: 'unavailable', reason: 'could not connect' })
    assert.equal((await signUp(BREACHED)).statusCode, 200)
  })

  test('LG-1 an API that hangs is given up after PASSWORD_BREACH_CHECK_TIMEOUT (3 s by default) and the password accepted', async () => {
    await start({ PASSWORD_BREACH_CHECK_TIMEOUT: '0.3' })
    ;(api as CaptureServer).script({ status: 200, hang: true })
    const started = Date.now()
    const v = await checkBreachedPassword(t(), BREACHED)
    const took = Date.now() - started
    assert.deepEqual(v, { kind: 'unavailable', reason: 'timed out' })
    assert.ok(took >= 280 && took < 3000, `took ${took} ms`)
  })

  test('LG-1 with PASSWORD_BREACH_CHECK=off no request is made', async () => {
    await start({ PASSWORD_BREACH_CHECK: 'off' })
    assert.equal((await signUp(BREACHED)).statusCode, 200)
    assert.equal((api as CaptureServer).requests.length, 0)
  })
})
