import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { logInRules } from '../../src/accounts/login/log-in.js'
import { consumeAttempt } from '../../src/accounts/login/login-throttle.js'
import { rateLimitEmailKey } from '../../src/accounts/login/sign-in-mail-limits.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useFileSmtpSink } from '../helpers/file-servers.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import type { SmtpSink } from '../helpers/smtp-sink.js'
import { csrfFrom } from './form-client.js'

const PASSWORD = 'correct horse battery'
const MINUTE = 60_000

test('RL-L1 the per-address key folds dots and +tags only for the configured domains', () => {
  const gmail = ['gmail.com', 'googlemail.com']
  assert.equal(rateLimitEmailKey(' J.Doe+news@GoogleMail.com ', gmail), 'jdoe@gmail.com')
  assert.equal(rateLimitEmailKey('j.doe+news@example.org', gmail), 'j.doe+news@example.org')
  assert.equal(rateLimitEmailKey('j.doe+news@example.org', ['example.org']), 'jdoe@example.org')
})

describeEachDatabase('log-in and sign-in mail rate limits over HTTP', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let sink: SmtpSink | null = null
  const fileSink = useFileSmtpSink()
  let csrf = ''
  let preSession: Record<string, string> = {}

  async function start(env: Record<string, string> = {}) {
    // The LG-2 answer floor (1.5 s a request) is tested in sign-up.test.ts; here it would only
    // make the dozens of requests slow.
    ctx = await createTestContext(dialect, { SIGN_IN_LINK_MIN_ANSWER_MS: '0', ...env })
    app = await testApp(ctx)
    await buildUser(ctx, 'owner@example.org', PASSWORD)
    // One pre-session cookie and its CSRF token serve every anonymous form post below.
    const page = await app.inject({ method: 'GET', url: '/login' })
    csrf = csrfFrom(page.body)
    preSession = Object.fromEntries(
      (page.cookies as { name: string; value: string }[]).map((c) => [c.name, c.value]),
    )
  }
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
    sink = null
  })

  const post = (
    url: string,
    fields: Record<string, string>,
    remoteAddress: string,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> =>
    app.inject({
      method: 'POST',
      url,
      remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      cookies: preSession,
      payload: new URLSearchParams({ ...fields, csrf }).toString(),
    })
  const logIn = (email: string, password: string, ip: string, xff?: string) =>
    post('/login', { email, password }, ip, xff ? { 'x-forwarded-for': xff } : {})

  test('T-17 a spoofed X-Forwarded-For from an untrusted peer is ignored by the per-IP limit', async () => {
    await start()
    // 100 failures from one socket address, each claiming another client and trying another account.
    for (let i = 0; i < 100; i++) {
      const r = await logIn(`user${i}@example.org`, 'wrong', '203.0.113.5', `198.51.100.${i}`)
      assert.equal(r.statusCode, 200, `attempt ${i + 1}`)
    }
    const r = await logIn('owner@example.org', PASSWORD, '203.0.113.5', '198.51.100.250')
    assert.equal(r.statusCode, 429)
    assert.equal(r.headers['retry-after'], String(60 * 60))
    assert.match(r.body, /Too many failed attempts\. Try again in 60 minutes\./)
    // Another client address is not affected.
    assert.equal((await logIn('owner@example.org', PASSWORD, '203.0.113.6')).statusCode, 303)
  })

  test('RL-P2 from a trusted proxy the right-most untrusted X-Forwarded-For entry is the client', async () => {
    await start({ TRUSTED_PROXY_CIDRS: '10.0.0.0/8' })
    const now = ctx.clock.now()
    for (let i = 0; i < 100; i++)
      await consumeAttempt(ctx, logInRules(`user${i}@example.org`, '203.0.113.5')[2], now)
    // The left entries are whatever the client sent; 10.0.0.9 is a second proxy hop (trusted).
    const blocked = await logIn(
      'owner@example.org',
      PASSWORD,
      '10.0.0.1',
      '192.0.2.77, 203.0.113.5, 10.0.0.9',
    )
    assert.equal(blocked.statusCode, 429)
    const otherClient = await logIn(
      'owner@example.org',
      PASSWORD,
      '10.0.0.1',
      '203.0.113.5, 203.0.113.6',
    )
    assert.equal(otherClient.statusCode, 303)
  })

  test('RL-L1 the sixth sign-in link request for one address within the hour gets 429, known or not', async () => {
    sink = await fileSink()
    await start(sink.env)
    const answers: Record<string, LightMyRequestResponse> = {}
    for (const email of ['owner@example.org', 'nobody@example.org']) {
      // Five from five addresses: the per-IP limit is not what stops the sixth.
      for (let i = 0; i < 5; i++) {
        const r = await post('/login/email', { email }, `192.0.2.${i + 1}`)
        assert.equal(r.statusCode, 200, `${email} request ${i + 1}`)
        assert.match(r.body, /Check your email/)
      }
      answers[email] = await post('/login/email', { email }, '192.0.2.99')
    }
    for (const r of Object.values(answers)) {
      assert.equal(r.statusCode, 429)
      assert.equal(r.headers['retry-after'], '720')
      assert.match(r.body, /Too many sign-in link requests\. Try again in 12 minutes\./)
    }
    // LG-2: the refusal says nothing about whether the account exists.
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '')
    assert.equal(
      strip(answers['owner@example.org'].body),
      strip(answers['nobody@example.org'].body),
    )
    assert.equal((await sink.waitFor(5)).length, 5)
    ctx.clock.advance(12 * MINUTE)
    assert.equal(
      (await post('/login/email', { email: 'owner@example.org' }, '192.0.2.99')).statusCode,
      200,
      'a token is back after 12 minutes',
    )
  })

  test('RL-L1 sign-up and sign-in link requests share the per-address limit, dots and +tags folded for Gmail', async () => {
    sink = await fileSink()
    await start(sink.env)
    const forms: [string, string][] = [
      ['/login/email', 'jane.doe@gmail.com'],
      ['/signup', 'janedoe@gmail.com'],
      ['/login/email', 'jane.doe+a@gmail.com'],
      ['/signup', 'JaneDoe+b@googlemail.com'],
      ['/login/email', 'j.a.n.e.doe@gmail.com'],
    ]
    for (const [i, [url, email]] of forms.entries())
      assert.equal((await post(url, { email }, `192.0.2.${i + 1}`)).statusCode, 200, email)
    const r = await post('/signup', { email: 'jane.doe@gmail.com' }, '192.0.2.50')
    assert.equal(r.statusCode, 429)
    assert.equal(r.headers['retry-after'], '720')
    assert.match(r.body, /Too many sign-up requests\. Try again in 12 minutes\./)
  })

  test('RL-L2 the 21st sign-in mail request from one IP within the hour gets 429, whatever the address', async () => {
    sink = await fileSink()
    await start(sink.env)
    for (let i = 0; i < 20; i++) {
      const r = await post('/login/email', { email: `person${i}@example.org` }, '198.51.100.7')
      assert.equal(r.statusCode, 200, `request ${i + 1}`)
    }
    const r = await post('/signup', { email: 'fresh@example.org' }, '198.51.100.7')
    assert.equal(r.statusCode, 429)
    assert.equal(r.headers['retry-after'], String(3 * 60))
    assert.match(r.body, /Try again in 3 minutes\./)
    const users = await ctx.db.kysely.selectFrom('users').select('email').execute()
    assert.deepEqual(users, [{ email: 'owner@example.org' }], 'the refused sign-up created nothing')
    assert.equal(
      (await post('/signup', { email: 'fresh@example.org' }, '198.51.100.8')).statusCode,
      200,
      'another address is not affected',
    )
  })
})
