import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { smsCapability } from '../../src/accounts/codes/sms-capability.js'
import { replaceRecoveryCodes } from '../../src/accounts/factors/recovery-codes/recovery-codes.js'
import { newTotpSecret, totpStep } from '../../src/accounts/factors/totp/totp.js'
import { saveTotp } from '../../src/accounts/factors/totp/totp-devices.js'
import { createSession } from '../../src/accounts/sessions/sessions.js'
import type { Env } from '../../src/config/index.js'
import type { User } from '../../src/db/index.js'
import { buildUser } from '../helpers/builders.js'
import type { CaptureServer } from '../helpers/capture-server.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useFileCaptureServer } from '../helpers/file-servers.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { csrfFrom, FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'
const MINUTE = 60_000
const PHONE = '+14155550123'
const RISK = 'less secure (vulnerable to SIM swap)'
const SMS_FAILED =
  "We couldn't send the code because this server can't send text messages right now. Choose another way to confirm:"

function twilioEnv(capture: CaptureServer): Env {
  return {
    SMS_REAUTH_ENABLED: 'True',
    TWILIO_ACCOUNT: 'ACtest',
    TWILIO_AUTH: 'twilio-token',
    TWILIO_FROM: '+15005550006',
    TWILIO_API_URL: capture.url,
    SMS_TIMEOUT: '1',
  }
}

/** The fields of a form POST Twilio received. */
function formOf(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body))
}

/** The code in the last text message, checking the whole body is the OOB-4 text. */
function codeOf(capture: CaptureServer): string {
  const last = capture.requests[capture.requests.length - 1]
  const body = formOf(last.body).Body
  const m = /^(\d{6}) is your Vigil confirmation code$/.exec(body)
  assert.ok(m, `OOB-4 text message body is only the code sentence, got "${body}"`)
  return m[1]
}

async function events(ctx: TestContext, type: string) {
  return ctx.db.kysely.selectFrom('security_events').selectAll().where('type', '=', type).execute()
}

async function setPhone(ctx: TestContext, user: User, verified = true) {
  await ctx.db.kysely
    .updateTable('users')
    .set({ phone: PHONE, phone_verified_at: verified ? ctx.clock.now() : null })
    .where('id', '=', user.id)
    .execute()
}

describeEachDatabase('SMS re-authentication', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient
  let capture: CaptureServer
  let alice: User
  const fileCapture = useFileCaptureServer({ status: 201, body: '{"sid":"SM1","status":"queued"}' })
  beforeEach(async () => {
    capture = await fileCapture()
    ctx = await createTestContext(dialect, twilioEnv(capture))
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
    alice = await buildUser(ctx, 'alice@example.org', PASSWORD)
  })
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  const logIn = () =>
    browser.submit('/login', '/login', { email: 'alice@example.org', password: PASSWORD })
  const expireSudo = () => ctx.clock.advance(31 * MINUTE)

  async function sendSms(next: string) {
    const page = await browser.get(`/account/confirm?next=${encodeURIComponent(next)}`)
    return browser.post('/account/confirm/send-sms', { csrf: csrfFrom(page.body), next })
  }

  test('OOB-4 a phone is verified by a texted code bound to that number, and labelled less secure', async () => {
    await logIn()
    const security = await browser.get('/account/security')
    assert.match(security.body, /Add phone number/)
    assert.ok(security.body.includes(RISK))
    const page = await browser.get('/account/phone')
    assert.equal(page.statusCode, 200)
    assert.ok(page.body.includes(RISK))

    const bad = await browser.post('/account/phone', {
      csrf: csrfFrom(page.body),
      phone: '555-0123',
    })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /Enter the number in international format/)
    assert.equal(capture.requests.length, 0, 'an invalid number is never texted')

    const sent = await browser.post('/account/phone', {
      csrf: csrfFrom(bad.body),
      phone: '+1 (415) 555-0123',
    })
    assert.equal(sent.statusCode, 200)
    assert.match(sent.body, /We sent a code to •••• 0123\./)
    const [req] = await capture.waitFor(1)
    assert.equal(req.method, 'POST')
    assert.equal(req.url, '/2010-04-01/Accounts/ACtest/Messages.json')
    assert.equal(
      req.headers.authorization,
      `Basic ${Buffer.from('ACtest:twilio-token').toString('base64')}`,
    )
    const form = formOf(req.body)
    assert.equal(form.To, PHONE)
    assert.equal(form.From, '+15005550006')
    const code = codeOf(capture)

    // The code proves only the number it was sent to (bound by its purpose).
    const other = await browser.post('/account/phone/verify', {
      csrf: csrfFrom(sent.body),
      phone: '+14155550999',
      code,
    })
    assert.equal(other.statusCode, 400)
    assert.match(other.body, /That code didn't match the one we texted/)
    const ok = await browser.post('/account/phone/verify', {
      csrf: csrfFrom(other.body),
      phone: PHONE,
      code,
    })
    assert.equal(ok.statusCode, 200)
    assert.match(ok.body, /Your phone number •••• 0123 is verified/)
    const row = await ctx.db.kysely
      .selectFrom('users')
      .select(['phone', 'phone_verified_at'])
      .where('id', '=', alice.id)
      .executeTakeFirstOrThrow()
    assert.equal(row.phone, PHONE)
    assert.equal(Number(row.phone_verified_at), ctx.clock.now())
    const audit = await events(ctx, 'phone.verified')
    assert.equal(audit.length, 1)
    assert.doesNotMatch(String(audit[0].details), /4155550123/, 'no full number in the audit log')
    // Single use: the same code does not verify again.
    const again = await browser.post('/account/phone/verify', {
      csrf: csrfFrom(ok.body),
      phone: PHONE,
      code,
    })
    assert.equal(again.statusCode, 400)
    assert.match((await browser.get('/account/security')).body, /•••• 0123 \(verified\)/)
  })

  test('RA-1 adding or removing a phone needs a fresh confirmation; removal is audited', async () => {
    await setPhone(ctx, alice)
    await logIn()
    expireSudo()
    const r = await browser.get('/account/phone')
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/account/confirm?next=%2Faccount%2Fphone')
    const csrf = csrfFrom((await browser.get('/account/security')).body)
    const post = await browser.post('/account/phone/remove', { csrf })
    assert.equal(post.statusCode, 303)
    assert.equal(
      post.headers.location,
      '/account/confirm?next=%2Faccount%2Fphone%2Fremove&unsaved=1',
    )
    const confirm = await browser.submit('/account/confirm', '/account/confirm', {
      next: '/account/phone/remove',
      method: 'password',
      value: PASSWORD,
    })
    assert.equal(confirm.statusCode, 303)
    const page = await browser.get('/account/phone/remove')
    const removed = await browser.post('/account/phone/remove', { csrf: csrfFrom(page.body) })
    assert.equal(removed.statusCode, 200)
    assert.match(removed.body, /Your phone number was removed\./)
    assert.equal((await events(ctx, 'phone.removed')).length, 1)
    const row = await ctx.db.kysely
      .selectFrom('users')
      .select('phone')
      .where('id', '=', alice.id)
      .executeTakeFirstOrThrow()
    assert.equal(row.phone, null)
  })

  test('RA-4 sms_code is offered only for a verified phone, with the SIM-swap label', async () => {
    await logIn()
    expireSudo()
    const url = '/account/confirm?next=%2Faccount%2Fpassword'
    assert.doesNotMatch((await browser.get(url)).body, /Text me a code/, 'no phone')
    await setPhone(ctx, alice, false)
    assert.doesNotMatch((await browser.get(url)).body, /Text me a code/, 'phone not verified')
    await setPhone(ctx, alice, true)
    const page = await browser.get(url)
    assert.match(page.body, /Text me a code/)
    assert.ok(page.body.includes(RISK))
    const json = await browser.get('/account/password', { accept: 'application/json' })
    assert.equal(json.statusCode, 401)
    assert.deepEqual(JSON.parse(json.body).methods, ['password', 'sms_code'])
  })

  test('RA-8 OOB-4 a GET never texts; "Send code" texts the code that opens sudo mode once', async () => {
    await setPhone(ctx, alice)
    await logIn()
    expireSudo()
    const page = await browser.get('/account/confirm?next=%2Faccount%2Fpassword&method=sms_code')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Send code/)
    assert.ok(page.body.includes(RISK))
    await new Promise((r) => setTimeout(r, 100))
    assert.equal(capture.requests.length, 0, 'T-09 for SMS: rendering sends nothing')

    const sent = await browser.post('/account/confirm/send-sms', {
      csrf: csrfFrom(page.body),
      next: '/account/password',
    })
    assert.equal(sent.statusCode, 200)
    assert.match(sent.body, /We sent a code to •••• 0123\./)
    await capture.waitFor(1)
    assert.equal(formOf(capture.requests[0].body).To, PHONE)
    const code = codeOf(capture)
    // OOB-2: no second text within 60 s.
    const soon = await browser.post('/account/confirm/send-sms', {
      csrf: csrfFrom(sent.body),
      next: '/account/password',
    })
    assert.match(soon.body, /We sent a code less than a minute ago/)
    assert.equal(capture.requests.length, 1)

    const r = await browser.post('/account/confirm', {
      csrf: csrfFrom(soon.body),
      next: '/account/password',
      method: 'sms_code',
      value: code,
    })
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/account/password')
    assert.equal((await browser.get('/account/password')).statusCode, 200)
    const success = await events(ctx, 'reauth.success')
    assert.equal(JSON.parse(String(success.at(-1)?.details)).method, 'sms_code')
    // An e-mailed-code purpose never matches a texted code (and the code is used up anyway).
    expireSudo()
    const reuse = await browser.submit('/account/confirm', '/account/confirm', {
      next: '/account/password',
      method: 'sms_code',
      value: code,
    })
    assert.equal(reuse.statusCode, 400)
  })

  test('OOB-1 five wrong texted codes invalidate the code', async () => {
    await setPhone(ctx, alice)
    await logIn()
    expireSudo()
    const sent = await sendSms('/account/password')
    assert.equal(sent.statusCode, 200)
    await capture.waitFor(1)
    const code = codeOf(capture)
    const wrong = code === '000000' ? '111111' : '000000'
    let csrf = csrfFrom(sent.body)
    for (let i = 0; i < 5; i++) {
      const r = await browser.post('/account/confirm', {
        csrf,
        next: '/account/password',
        method: 'sms_code',
        value: wrong,
      })
      assert.equal(r.statusCode, 400)
      assert.match(r.body, /That code didn't match the one we texted/)
      csrf = csrfFrom(r.body)
    }
    // Past the RL-F1 window (5 minutes) but inside the code's 10: the code itself is dead.
    ctx.clock.advance(5 * MINUTE + 1000)
    const r = await browser.submit('/account/confirm', '/account/confirm', {
      next: '/account/password',
      method: 'sms_code',
      value: code,
    })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /That code has expired or was replaced/)
  })

  test('RA-5 OOB-4 SMS is never offered for a class D action and is refused with 403', async () => {
    await setPhone(ctx, alice)
    const now = ctx.clock.now()
    await saveTotp(ctx, alice.id, newTotpSecret(), totpStep(now) - 2, now)
    await replaceRecoveryCodes(ctx, alice.id, now)
    // A session as after a full log-in long ago (the log-in itself would ask for the app code).
    const { token } = await createSession(ctx, alice.id, { amr: ['password', 'totp'] })
    browser.cookies.set('hc_session', token)
    expireSudo()

    const page = await browser.get('/account/confirm?next=%2Faccount%2Ftotp%2Fremove')
    assert.equal(page.statusCode, 200)
    assert.doesNotMatch(page.body, /Text me a code/)
    const send = await browser.post('/account/confirm/send-sms', {
      csrf: csrfFrom(page.body),
      next: '/account/totp/remove',
    })
    assert.equal(send.statusCode, 403)
    assert.match(send.body, /A code by text message can(&#39;|')t confirm this change/)
    assert.equal(capture.requests.length, 0, 'nothing is texted for a class D action')
    const confirm = await browser.post('/account/confirm', {
      csrf: csrfFrom(send.body),
      next: '/account/totp/remove',
      method: 'sms_code',
      value: '123456',
    })
    assert.equal(confirm.statusCode, 403)
    const blocked = await events(ctx, 'reauth.downgrade_blocked')
    assert.equal(blocked.length, 2)
    assert.ok(blocked.every((e) => JSON.parse(String(e.details)).method === 'sms_code'))
    // For a class S action the same user is offered SMS.
    assert.match(
      (await browser.get('/account/confirm?next=%2Faccount%2Fpassword')).body,
      /Text me a code/,
    )
  })

  test('RA-9 Twilio answering 500: 200, the SMS banner, the other methods, audited', async () => {
    capture.script(500)
    await setPhone(ctx, alice)
    await logIn()
    expireSudo()
    const r = await sendSms('/account/password')
    assert.equal(r.statusCode, 200)
    assert.ok(r.body.includes(SMS_FAILED), 'the RA-9 banner, word for word')
    assert.doesNotMatch(r.body, /We sent/)
    assert.match(r.body, /data-reauth-state="channel-failed"/)
    assert.match(r.body, /<label for="value">Password<\/label>/, 'the password is still offered')
    assert.doesNotMatch(r.body, /Text me a code/)
    const audit = await events(ctx, 'reauth.channel_unavailable')
    assert.equal(audit.length, 1)
    assert.equal(JSON.parse(String(audit[0].details)).channel, 'sms')
    assert.doesNotMatch(r.body, /Admin:/, 'the Admin line is for superusers only')
  })

  test('DOC-4 a superuser whose text failed also gets the Admin line naming the checks', async () => {
    capture.script(500)
    await ctx.db.kysely
      .updateTable('users')
      .set({ is_superuser: 1 })
      .where('id', '=', alice.id)
      .execute()
    await setPhone(ctx, alice)
    await logIn()
    expireSudo()
    const r = await sendSms('/account/password')
    assert.equal(r.statusCode, 200)
    assert.ok(r.body.includes(SMS_FAILED))
    assert.match(
      r.body,
      /Admin: Twilio did not take the text message — see System status \(SMS-001, SMS-002\)\./,
    )
    assert.doesNotMatch(r.body, /api\.twilio|127\.0\.0\.1|ECONN/)
  })

  test('RA-9 INV-1 Twilio that never answers: 200 with the banner within SMS_TIMEOUT', async () => {
    capture.script({ status: 201, hang: true })
    await setPhone(ctx, alice)
    await logIn()
    expireSudo()
    const started = Date.now()
    const r = await sendSms('/account/password')
    assert.ok(Date.now() - started < 5000, 'answered after the 1 s cap, not hanging')
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /this server can(&#39;|')t send text messages right now/)
    assert.match(r.body, /<label for="value">Password<\/label>/)
  })

  test('RL-O1 a fourth text within 15 minutes is refused with 429 and Retry-After', async () => {
    await setPhone(ctx, alice)
    await logIn()
    expireSudo()
    for (let i = 0; i < 3; i++) {
      const r = await sendSms('/account/password')
      assert.match(r.body, /We sent a code/)
      ctx.clock.advance(61_000)
    }
    const r = await sendSms('/account/password')
    assert.equal(r.statusCode, 429)
    assert.ok(Number(r.headers['retry-after']) > 0)
    assert.match(r.body, /Too many attempts\. Try again in \d+ minutes?\./)
    assert.equal(capture.requests.length, 3)
  })

  test('RL-O2 texts to one number are limited to 10 a day, whichever user asks', async () => {
    await setPhone(ctx, alice)
    const bob = await buildUser(ctx, 'bob@example.org', PASSWORD)
    await setPhone(ctx, bob)
    await logIn()
    expireSudo()
    for (let i = 0; i < 10; i++) {
      // Past RL-O1's 3 per 15 minutes, within its 10 a day.
      if (i > 0 && i % 3 === 0) ctx.clock.advance(16 * MINUTE)
      assert.match((await sendSms('/account/password')).body, /We sent a code/, `text ${i + 1}`)
      ctx.clock.advance(61_000)
    }
    browser = new FormClient(app, ctx.clock)
    await browser.submit('/login', '/login', { email: 'bob@example.org', password: PASSWORD })
    expireSudo()
    const r = await sendSms('/account/password')
    assert.equal(r.statusCode, 429, 'Bob has sent nothing: the number is what is full')
    assert.ok(Number(r.headers['retry-after']) > 0)
    assert.equal(capture.requests.length, 10)
  })

  test('SMS-002 Twilio answering 401 turns the sms capability off until the credentials change', async () => {
    capture.script(401)
    await setPhone(ctx, alice)
    await logIn()
    expireSudo()
    const r = await sendSms('/account/password')
    assert.equal(r.statusCode, 200)
    assert.deepEqual(await smsCapability(ctx), { enabled: false, reason: 'credentials-rejected' })
    assert.doesNotMatch(
      (await browser.get('/account/confirm?next=%2Faccount%2Fpassword')).body,
      /Text me a code/,
    )
    const fixed = {
      ...ctx,
      config: Object.freeze({
        ...ctx.config,
        integrations: { ...ctx.config.integrations, twilioAuth: 'new-token' },
      }),
    }
    assert.deepEqual(await smsCapability(fixed), { enabled: true })
  })
})

describeEachDatabase('SMS re-authentication switched off', (dialect) => {
  let capture: CaptureServer
  const fileCapture = useFileCaptureServer()
  beforeEach(async () => {
    capture = await fileCapture()
  })

  for (const [name, env] of [
    [
      'SMS_REAUTH_ENABLED unset',
      (c: CaptureServer) => ({ ...twilioEnv(c), SMS_REAUTH_ENABLED: undefined }),
    ],
    [
      'Twilio without a sender',
      (c: CaptureServer) => ({ ...twilioEnv(c), TWILIO_FROM: undefined }),
    ],
  ] as const) {
    test(`RA-4 with ${name}: no phone page and no sms_code, even for a verified phone`, async () => {
      const ctx = await createTestContext(dialect, env(capture))
      const app = await testApp(ctx)
      try {
        const browser = new FormClient(app, ctx.clock)
        const alice = await buildUser(ctx, 'alice@example.org', PASSWORD)
        await setPhone(ctx, alice)
        await browser.submit('/login', '/login', { email: 'alice@example.org', password: PASSWORD })
        assert.equal((await browser.get('/account/phone')).statusCode, 404)
        ctx.clock.advance(31 * MINUTE)
        const page = await browser.get('/account/confirm?next=%2Faccount%2Fpassword')
        assert.doesNotMatch(page.body, /Text me a code/)
        const send = await browser.post('/account/confirm/send-sms', {
          csrf: csrfFrom(page.body),
          next: '/account/password',
        })
        assert.equal(send.statusCode, 200)
        assert.equal(capture.requests.length, 0)
        // The stored number can still be taken back.
        assert.match((await browser.get('/account/security')).body, /Remove phone number/)
      } finally {
        await releaseApp(app)
        await ctx.drop()
      }
    })
  }
})
