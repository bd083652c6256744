/**
 * The confirm page (spec 5.3 RA-3, RA-7, RA-10), recovery codes as a re-auth method (RC-4), and
 * the e-mailed code's text and headers (OOB-3, MAIL-7), against real SMTP.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { replaceRecoveryCodes } from '../../src/accounts/factors/recovery-codes/recovery-codes.js'
import { newTotpSecret, totpCodeAt, totpStep } from '../../src/accounts/factors/totp/totp.js'
import { saveTotp } from '../../src/accounts/factors/totp/totp-devices.js'
import { createSession } from '../../src/accounts/sessions/sessions.js'
import { createUser } from '../../src/accounts/users/create-user.js'
import type { User } from '../../src/db/index.js'
import { enqueueMail, sendDueMail } from '../../src/mail/index.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useFileSmtpSink } from '../helpers/file-servers.js'
import { signInLinkOnlyUser } from '../helpers/link-only-user.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import type { SmtpSink } from '../helpers/smtp-sink.js'
import { csrfFrom, FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'
const MINUTE = 60_000

async function events(ctx: TestContext, type: string) {
  return ctx.db.kysely.selectFrom('security_events').selectAll().where('type', '=', type).execute()
}

describeEachDatabase('the confirm page', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient
  let alice: User
  let secret: string
  let codes: string[]
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
    alice = await buildUser(ctx, 'alice@example.org', PASSWORD)
    secret = newTotpSecret()
    const now = ctx.clock.now()
    await saveTotp(ctx, alice.id, secret, totpStep(now) - 2, now)
    codes = await replaceRecoveryCodes(ctx, alice.id, now)
    ctx.clock.advance(MINUTE)
  })
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  /** Password and app code, then 31 minutes so the log-in's own grant has run out. */
  async function logInLongAgo(client = browser) {
    const first = await client.submit('/login', '/login', {
      email: 'alice@example.org',
      password: PASSWORD,
    })
    assert.equal(first.headers.location, '/login/second-step')
    const done = await client.submit('/login/second-step', '/login/second-step', {
      method: 'totp',
      code: totpCodeAt(secret, ctx.clock.now()),
    })
    assert.equal(done.statusCode, 303)
    ctx.clock.advance(31 * MINUTE)
  }

  const CONFIRM = '/account/confirm?next=%2Faccount%2Fpassword'

  test('RA-7 the first available method is shown, the others are "Use another method" links', async () => {
    await logInLongAgo()
    const page = await browser.get(CONFIRM)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<label for="value">Code from your authenticator app<\/label>/)
    assert.doesNotMatch(page.body, /<label for="value">Password<\/label>/)
    const nav = /<h2>Use another method<\/h2>([\s\S]*?)<\/nav>/.exec(page.body)?.[1] ?? ''
    assert.match(
      nav,
      /href="\/account\/confirm\?next=%2Faccount%2Fpassword&amp;method=recovery_code"/,
    )
    assert.match(nav, /href="\/account\/confirm\?next=%2Faccount%2Fpassword&amp;method=password"/)
    assert.doesNotMatch(nav, /method=totp/, 'the shown method is not linked again')
    const other = await browser.get(`${CONFIRM}&method=password`)
    assert.match(other.body, /<label for="value">Password<\/label>/)
    assert.match(other.body, /method=totp/)
  })

  test('RA-7 a failed verification answers 400 with a message for that method', async () => {
    await logInLongAgo()
    const cases = [
      ['totp', '000000', /That code didn(&#x27;|')t work\. Check the time on your device/],
      ['recovery_code', 'AAAA-AAAA-AAAA', /That recovery code didn(&#x27;|')t work/],
      ['password', 'not it', /That password is not right\. Try again\./],
    ] as const
    for (const [method, value, message] of cases) {
      const r = await browser.submit(`${CONFIRM}&method=${method}`, '/account/confirm', {
        next: '/account/password',
        method,
        value,
      })
      assert.equal(r.statusCode, 400, method)
      assert.match(r.body, message, method)
      assert.match(r.body, /<form/, 'the form is shown again')
    }
    assert.equal((await browser.get('/account/password')).statusCode, 303, 'still no grant')
  })

  test('RA-10 the sixth failure in 5 minutes answers 429, Retry-After and the wait in minutes', async () => {
    await logInLongAgo()
    for (let i = 0; i < 5; i++) {
      const r = await browser.submit(`${CONFIRM}&method=password`, '/account/confirm', {
        next: '/account/password',
        method: 'password',
        value: `wrong ${i}`,
      })
      assert.equal(r.statusCode, 400, `attempt ${i + 1}`)
    }
    const blocked = await browser.submit(`${CONFIRM}&method=password`, '/account/confirm', {
      next: '/account/password',
      method: 'password',
      value: PASSWORD,
    })
    assert.equal(blocked.statusCode, 429)
    assert.equal(blocked.headers['retry-after'], '300')
    assert.match(blocked.body, /Too many attempts\. Try again in 5 minutes\./)
    assert.equal((await browser.get('/account/password')).statusCode, 303, 'the right one too')
  })

  test('RA-3 granting sudo rotates the session id and audits reauth.success with the method', async () => {
    await logInLongAgo()
    const before = browser.cookies.get('hc_session')
    const r = await browser.submit(`${CONFIRM}&method=password`, '/account/confirm', {
      next: '/account/password',
      method: 'password',
      value: PASSWORD,
    })
    assert.equal(r.statusCode, 303)
    const after = browser.cookies.get('hc_session')
    assert.ok(after)
    assert.notEqual(after, before)
    const stale = new FormClient(app, ctx.clock)
    stale.cookies.set('hc_session', before as string)
    assert.equal((await stale.get('/account/security')).statusCode, 303, 'the old id is dead')
    const audit = await events(ctx, 'reauth.success')
    assert.equal(audit.length, 1)
    assert.deepEqual(JSON.parse(audit[0].details), { method: 'password' })
    assert.equal(audit[0].subject_user_id, alice.id)
  })

  test('RC-4 a recovery code confirms sudo once; the same code fails on every later path', async () => {
    await logInLongAgo()
    const r = await browser.submit(`${CONFIRM}&method=recovery_code`, '/account/confirm', {
      next: '/account/password',
      method: 'recovery_code',
      value: codes[0],
    })
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/account/password')
    assert.equal((await events(ctx, 'recovery_code.used')).length, 1)
    // Used up: not again for sudo, nor as the second step of a log-in.
    ctx.clock.advance(31 * MINUTE)
    const again = await browser.submit(`${CONFIRM}&method=recovery_code`, '/account/confirm', {
      next: '/account/password',
      method: 'recovery_code',
      value: codes[0],
    })
    assert.equal(again.statusCode, 400)
    const other = new FormClient(app, ctx.clock)
    await other.submit('/login', '/login', { email: 'alice@example.org', password: PASSWORD })
    const step = await other.submit('/login/second-step', '/login/second-step', {
      method: 'recovery_code',
      code: codes[0],
    })
    assert.equal(step.statusCode, 400)
    assert.equal(other.cookies.has('hc_session'), false)
  })

  test('TOTP-7 only failures count: four misses and a success leave room for one more miss', async () => {
    await browser.submit('/login', '/login', { email: 'alice@example.org', password: PASSWORD })
    for (let i = 0; i < 4; i++) {
      const r = await browser.submit('/login/second-step', '/login/second-step', {
        method: 'totp',
        code: '000000',
      })
      assert.equal(r.statusCode, 400, `miss ${i + 1}`)
    }
    const ok = await browser.submit('/login/second-step', '/login/second-step', {
      method: 'totp',
      code: totpCodeAt(secret, ctx.clock.now()),
    })
    assert.equal(ok.statusCode, 303)
    const other = new FormClient(app, ctx.clock)
    await other.submit('/login', '/login', { email: 'alice@example.org', password: PASSWORD })
    const fifth = await other.submit('/login/second-step', '/login/second-step', {
      method: 'totp',
      code: '000000',
    })
    assert.equal(fifth.statusCode, 400, 'the success took nothing from RL-F1')
    const sixth = await other.submit('/login/second-step', '/login/second-step', {
      method: 'totp',
      code: '000000',
    })
    assert.equal(sixth.statusCode, 429, 'five failures do')
  })

  test('RC-4 a recovery code is never a first factor', async () => {
    const login = await browser.get('/login')
    assert.doesNotMatch(login.body, /[Rr]ecovery code/)
    const r = await browser.submit('/login', '/login', {
      email: 'alice@example.org',
      password: codes[1],
    })
    assert.notEqual(r.headers.location, '/login/second-step')
    assert.match(r.body, /Incorrect email or password\./)
    assert.equal(browser.cookies.has('hc_session'), false)
    assert.equal(browser.cookies.has('vigil_pending'), false)
    // Straight to the second step without a first factor: no session either.
    const step = await browser.post('/login/second-step', {
      csrf: csrfFrom(login.body),
      method: 'recovery_code',
      code: codes[1],
    })
    assert.ok(step.statusCode < 500)
    assert.equal(browser.cookies.has('hc_session'), false)
    assert.equal((await events(ctx, 'recovery_code.used')).length, 0, 'the code is not spent')
  })
})

describeEachDatabase('the e-mailed confirmation code', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient
  let sink: SmtpSink
  const fileSink = useFileSmtpSink()
  beforeEach(async () => {
    sink = await fileSink()
    ctx = await createTestContext(dialect, {
      ...sink.env,
      DEFAULT_FROM_EMAIL: 'Vigil <noreply@mail.example.net>',
      EMAIL_MAIL_FROM_TMPL: 'bounces+%s@bounce.example.com',
    })
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
    await signInLinkOnlyUser(ctx, browser)
    ctx.clock.advance(31 * MINUTE)
  })
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  async function sendCodeFor(next: string) {
    const page = await browser.get(`/account/confirm?next=${encodeURIComponent(next)}`)
    const sent = await browser.post('/account/confirm/send-code', {
      csrf: csrfFrom(page.body),
      next,
    })
    assert.match(sent.body, /We sent a code/)
  }

  test('OOB-3 the mail gives the code, the 10-minute expiry, the action and what to do if unasked', async () => {
    await sendCodeFor('/account/password')
    await sendCodeAfterAMinute('/account/close')
    const [first, second] = await sink.waitFor(2)
    const code = /code is: (\d{6})/.exec(first.text)?.[1]
    assert.ok(code)
    assert.match(first.text, /expires in 10 minutes/)
    assert.match(first.text, /so you can change your password\./)
    assert.match(second.text, /so you can close your account\./)
    assert.match(
      first.text,
      /If you didn't request this, change your password and review your sessions\./,
    )
  })

  async function sendCodeAfterAMinute(next: string) {
    ctx.clock.advance(61_000)
    await sendCodeFor(next)
  }

  test('MAIL-7 the code mail: fixed subject without the code, Message-ID at the DEFAULT_FROM_EMAIL domain', async () => {
    await sendCodeFor('/account/password')
    const [mail] = await sink.waitFor(1)
    const code = /code is: (\d{6})/.exec(mail.text)?.[1] as string
    assert.equal(mail.subject, 'Vigil confirmation code')
    assert.ok(!mail.subject.includes(code))
    assert.match(String(mail.headers.get('message-id')), /^<[^@<>]+@mail\.example\.net>$/)
    assert.doesNotMatch(mail.text, /utm_|<img/i, 'no tracking')
  })

  test('MAIL-7 the sign-in link mail: same subject, no link in it, Message-ID at the From domain', async () => {
    const visitor = new FormClient(app, ctx.clock)
    await createUser(ctx, { email: 'bob@example.org', password: null })
    const login = await visitor.get('/login')
    await visitor.post('/login/email', { csrf: csrfFrom(login.body), email: 'bob@example.org' })
    const [mail] = await sink.waitFor(1)
    assert.equal(mail.subject, 'Vigil confirmation code')
    assert.match(mail.text, /\/login\/link\?token=/)
    assert.match(String(mail.headers.get('message-id')), /@mail\.example\.net>$/)
  })

  test('MAIL-7 outbox mail with a bounce template: bounce envelope sender, Message-ID still at the From domain', async () => {
    await enqueueMail(
      ctx.db,
      {
        to: 'carol@example.org',
        subject: 'Hello',
        text: 'Hi',
        headers: { 'X-Bounce-ID': 'abc123' },
      },
      ctx.clock.now(),
    )
    await sendDueMail(ctx)
    const [mail] = await sink.waitFor(1)
    assert.equal(mail.envelopeFrom, 'bounces+abc123@bounce.example.com')
    assert.match(String(mail.headers.get('message-id')), /^<[^@<>]+@mail\.example\.net>$/)
  })
})

describeEachDatabase('confirmation without any method', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    app = await testApp(ctx)
  })
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  async function signedIn(email: string, password: string | null, superuser = false) {
    const r = await createUser(ctx, { email, password })
    assert.ok(r.ok)
    if (superuser)
      await ctx.db.kysely
        .updateTable('users')
        .set({ is_superuser: 1 })
        .where('id', '=', r.value.id)
        .execute()
    const { token } = await createSession(ctx, r.value.id, { amr: ['link'] })
    const client = new FormClient(app, ctx.clock)
    client.cookies.set('hc_session', token)
    return client
  }

  test('RA-12 with no method the settings page keeps the buttons and says "Confirmation unavailable – see why"', async () => {
    const linkOnly = await signedIn('link@example.org', null)
    const withPassword = await signedIn('pw@example.org', PASSWORD)
    ctx.clock.advance(31 * MINUTE)
    const page = await linkOnly.get('/account/security')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<a href="\/account\/totp">Set up authenticator app<\/a>/)
    assert.match(
      page.body,
      /<a class="hint" href="\/account\/confirm\?next=%2Faccount%2Ftotp">Confirmation unavailable – see why<\/a>/,
    )
    const fine = await withPassword.get('/account/security')
    assert.match(fine.body, /Set up authenticator app/)
    assert.doesNotMatch(fine.body, /Confirmation unavailable/)
  })

  test('INV-3 only a superuser sees the one-line Admin hint with the check ID; nobody sees SMTP details', async () => {
    const user = await signedIn('link@example.org', null)
    const admin = await signedIn('root@example.org', null, true)
    ctx.clock.advance(31 * MINUTE)
    const url = '/account/confirm?next=%2Faccount%2Fpassword'
    const plain = await user.get(url)
    assert.equal(plain.statusCode, 200)
    assert.doesNotMatch(plain.body, /Admin:/)
    const shown = await admin.get(url)
    assert.match(
      shown.body,
      /Admin: outgoing email is unconfigured — see System status \(MAIL-001\)\./,
    )
    for (const body of [plain.body, shown.body])
      assert.doesNotMatch(body, /EMAIL_HOST|SMTP|ECONN|\b(25|465|587)\b/)
  })
})
