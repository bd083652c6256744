import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { recordMailProbe } from '../../src/mail/mail-status.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useFileSmtpSink } from '../helpers/file-servers.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { closedPort, type SmtpSink } from '../helpers/smtp-sink.js'
import { csrfFrom, FormClient } from './form-client.js'

describeEachDatabase('sign-up and sign-in links', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient
  let sink: SmtpSink | null = null
  const fileSink = useFileSmtpSink()

  async function start(env: Record<string, string> = {}) {
    ctx = await createTestContext(dialect, env)
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
    // Someone exists, so /login shows the log-in form rather than the first-run page.
    await buildUser(ctx, 'owner@example.org', 'correct horse battery')
  }
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
    sink = null
  })

  const users = () => ctx.db.kysely.selectFrom('users').select('email').orderBy('id').execute()
  const loginCsrf = async () => csrfFrom((await browser.get('/login')).body)

  test('T-03 with mail unconfigured there is no sign-up link and a POST creates nothing with 200', async () => {
    await start()
    const login = await browser.get('/login')
    assert.doesNotMatch(login.body, /href="\/signup"/)
    assert.doesNotMatch(login.body, /Email me a sign-in link/)
    assert.equal((await browser.get('/signup')).statusCode, 404)
    const r = await browser.post('/signup', {
      csrf: csrfFrom(login.body),
      email: 'new@example.org',
    })
    assert.equal(r.statusCode, 200)
    assert.match(
      r.body,
      /New accounts can&#x27;t sign up by email on this server|New accounts can't sign up by email on this server/,
    )
    assert.deepEqual(await users(), [{ email: 'owner@example.org' }])
  })

  test('LG-2 EMAIL_LOGIN=off hides sign-in links and link sign-up even with working mail', async () => {
    sink = await fileSink()
    await start({ ...sink.env, EMAIL_LOGIN: 'off' })
    const login = await browser.get('/login')
    assert.doesNotMatch(login.body, /Email me a sign-in link/)
    assert.doesNotMatch(login.body, /href="\/signup"/)
    const r = await browser.post('/login/email', {
      csrf: csrfFrom(login.body),
      email: 'owner@example.org',
    })
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /Sign-in links aren(&#x27;|')t available on this server/)
    const signup = await browser.post('/signup', {
      csrf: await loginCsrf(),
      email: 'new@example.org',
    })
    assert.equal(signup.statusCode, 200)
    assert.deepEqual(await users(), [{ email: 'owner@example.org' }])
    assert.equal(sink.messages.length, 0, 'nothing was mailed')
  })

  test('T-02 when the SMTP server refuses connections, sign-up leaves no user and shows the LG-4 text', async () => {
    await start({
      EMAIL_HOST: '127.0.0.1',
      EMAIL_PORT: String(await closedPort()),
      EMAIL_USE_TLS: 'False',
      EMAIL_TIMEOUT: '2',
    })
    const page = await browser.get('/signup')
    assert.equal(page.statusCode, 200)
    const r = await browser.post('/signup', { csrf: csrfFrom(page.body), email: 'new@example.org' })
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /We couldn't send the sign-in email\. Please try again later\./)
    assert.deepEqual(await users(), [{ email: 'owner@example.org' }])
  })

  test('LG-4 with mail, sign-up mails a one-time link that signs the new user in', async () => {
    sink = await fileSink()
    await start(sink.env)
    const login = await browser.get('/login')
    assert.match(login.body, /href="\/signup"/)
    const page = await browser.get('/signup')
    const r = await browser.post('/signup', { csrf: csrfFrom(page.body), email: 'New@Example.org' })
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /Check your email/)
    const [mail] = await sink.waitFor(1)
    assert.equal(mail.subject, 'Vigil confirmation code')
    const url = /http:\/\/localhost:8000(\/login\/link\?token=[A-Za-z0-9_-]{43})/.exec(
      mail.text,
    )?.[1]
    assert.ok(url)
    const interstitial = await browser.get(url)
    const token = /name="token" value="([^"]+)"/.exec(interstitial.body)?.[1] as string
    const done = await browser.post('/login/link', { csrf: csrfFrom(interstitial.body), token })
    assert.equal(done.statusCode, 303)
    assert.equal((await browser.get('/account/security')).statusCode, 200)
    assert.deepEqual(await users(), [{ email: 'owner@example.org' }, { email: 'new@example.org' }])
  })

  test('LG-4 with SIGNUP_WITH_PASSWORD and no mail, sign-up creates an unverified account with a password', async () => {
    await start({ SIGNUP_WITH_PASSWORD: 'True' })
    const page = await browser.get('/signup')
    assert.match(page.body, /name="password"/)
    const r = await browser.post('/signup', {
      csrf: csrfFrom(page.body),
      email: 'pw@example.org',
      password: 'a long enough password',
    })
    // SEC-F8: the answer is the log-in page, the same for an address that had an account.
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /If this address was new, your account is ready/)
    const row = await ctx.db.kysely
      .selectFrom('users')
      .select(['email_verified', 'password_hash'])
      .where('email', '=', 'pw@example.org')
      .executeTakeFirstOrThrow()
    assert.equal(row.email_verified, 0)
    assert.ok(row.password_hash?.startsWith('$argon2id$'))
  })

  test('LG-1 password sign-up refuses a common password with 400 and creates nothing', async () => {
    await start({ SIGNUP_WITH_PASSWORD: 'True' })
    const page = await browser.get('/signup')
    const r = await browser.post('/signup', {
      csrf: csrfFrom(page.body),
      email: 'pw@example.org',
      password: 'Password123',
    })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /This password is too common\. Choose a less common one\./)
    assert.deepEqual(await users(), [{ email: 'owner@example.org' }])
  })

  test('LG-4 REGISTRATION_OPEN=False closes sign-up even with mail', async () => {
    sink = await fileSink()
    await start({ ...sink.env, REGISTRATION_OPEN: 'False' })
    assert.doesNotMatch((await browser.get('/login')).body, /href="\/signup"/)
    assert.equal((await browser.get('/signup')).statusCode, 404)
    const r = await browser.post('/signup', { csrf: await loginCsrf(), email: 'new@example.org' })
    assert.equal(r.statusCode, 200)
    assert.equal((await users()).length, 1)
  })

  test('T-28 with mail degraded, a sign-in link request answers the same for known and unknown addresses', async () => {
    sink = await fileSink()
    await start(sink.env)
    await recordMailProbe(ctx, false, ctx.clock.now())
    const known = await browser.post('/login/email', {
      csrf: await loginCsrf(),
      email: 'owner@example.org',
    })
    const unknown = await browser.post('/login/email', {
      csrf: await loginCsrf(),
      email: 'nobody@example.org',
    })
    assert.equal(known.statusCode, 200)
    assert.equal(unknown.statusCode, 200)
    const text = (body: string) => /<p class="error" role="alert">([^<]+)<\/p>/.exec(body)?.[1]
    assert.equal(
      text(known.body),
      "We can't send sign-in emails right now. Try again later or log in with your password.",
    )
    assert.equal(text(known.body), text(unknown.body))
    assert.equal(sink.messages.length, 0)
  })

  test('LG-2 a sign-in link request takes as long for an unknown address as for a known one', async () => {
    sink = await fileSink()
    // The production floor: a real send to the sink must fit inside it.
    await start({ ...sink.env, SIGN_IN_LINK_MIN_ANSWER_MS: '1500' })
    const timed = async (email: string) => {
      const csrf = await loginCsrf()
      const started = Date.now()
      const r = await browser.post('/login/email', { csrf, email })
      return { r, ms: Date.now() - started }
    }
    const known = await timed('owner@example.org')
    assert.equal((await sink.waitFor(1)).length, 1, 'the known address got its link')
    const unknown = await timed('nobody@example.org')
    for (const { r } of [known, unknown]) {
      assert.equal(r.statusCode, 200)
      assert.match(r.body, /Check your email: we sent you a link to sign in\./)
    }
    for (const { ms } of [known, unknown])
      assert.ok(ms >= ctx.config.accounts.signInLinkMinAnswerMs - 20, `answered after ${ms} ms`)
    assert.ok(
      Math.abs(known.ms - unknown.ms) < 400,
      `known ${known.ms} ms, unknown ${unknown.ms} ms`,
    )
    assert.equal(sink.messages.length, 1, 'nothing was mailed to the unknown address')
    assert.deepEqual(await users(), [{ email: 'owner@example.org' }])
  })

  test('LG-2 with mail unconfigured, a direct sign-in link POST gets 200 and the links-off text', async () => {
    await start()
    const r = await browser.post('/login/email', {
      csrf: await loginCsrf(),
      email: 'owner@example.org',
    })
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /Sign-in links aren't available on this server/)
  })
})
