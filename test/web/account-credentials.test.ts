import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { newTotpSecret, totpCodeAt, totpStep } from '../../src/accounts/factors/totp/totp.js'
import { saveTotp } from '../../src/accounts/factors/totp/totp-devices.js'
import { verifyPassword } from '../../src/accounts/passwords/passwords.js'
import type { User } from '../../src/db/index.js'
import { sendDueMail } from '../../src/mail/index.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useFileSmtpSink } from '../helpers/file-servers.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import type { SmtpSink } from '../helpers/smtp-sink.js'
import { csrfFrom, FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'
const MINUTE = 60_000

function suite(name: string, withMail: boolean) {
  describeEachDatabase(name, (dialect) => {
    let ctx: TestContext
    let app: FastifyInstance
    let browser: FormClient
    let alice: User
    let sink: SmtpSink | null = null
    const fileSink = useFileSmtpSink()
    beforeEach(async () => {
      sink = withMail ? await fileSink() : null
      ctx = await createTestContext(dialect, sink?.env ?? {})
      app = await testApp(ctx)
      browser = new FormClient(app, ctx.clock)
      alice = await buildUser(ctx, 'alice@example.org', PASSWORD)
    })
    afterEach(async () => {
      await releaseApp(app)
      await ctx.drop()
    })

    const logIn = (client = browser, email = 'alice@example.org', password = PASSWORD) =>
      client.submit('/login', '/login', { email, password })

    test('T-23 a password change ends the other sessions and keeps this one', async () => {
      const other = new FormClient(app, ctx.clock)
      await logIn(other)
      await logIn()
      const page = await browser.get('/account/password')
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /<label for="current">Current password<\/label>/)
      const wrong = await browser.post('/account/password', {
        csrf: csrfFrom(page.body),
        current: 'nope',
        password: 'a brand new password',
      })
      assert.equal(wrong.statusCode, 400)
      assert.match(wrong.body, /The current password is not right\./)
      const r = await browser.post('/account/password', {
        csrf: csrfFrom(wrong.body),
        current: PASSWORD,
        password: 'a brand new password',
      })
      assert.equal(r.statusCode, 200)
      assert.match(r.body, /1 other session was signed out\./)
      assert.equal((await other.get('/account/sessions')).statusCode, 303)
      assert.equal((await browser.get('/account/security')).statusCode, 200)
      const row = await ctx.db.kysely
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', alice.id)
        .executeTakeFirstOrThrow()
      assert.ok(await verifyPassword(row.password_hash, 'a brand new password'))
      const types = (
        await ctx.db.kysely.selectFrom('security_events').select('type').execute()
      ).map((e) => e.type)
      assert.ok(types.includes('password.changed'))
      if (withMail) {
        assert.doesNotMatch(r.body, /We couldn't email you/)
        await sendDueMail(ctx)
        const [mail] = await (sink as SmtpSink).waitFor(1)
        assert.equal(mail.to, 'alice@example.org')
        assert.match(mail.text, /Your password was changed\./)
      } else {
        assert.match(r.body, /We couldn't email you about this change\./)
      }
    })

    test('T-24 "Sign out all other sessions" without sudo answers 303 to the confirm page', async () => {
      const other = new FormClient(app, ctx.clock)
      await logIn(other)
      await logIn()
      ctx.clock.advance(31 * MINUTE)
      const page = await browser.get('/account/sessions')
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /This session/)
      const r = await browser.post('/account/sessions/revoke-others', { csrf: csrfFrom(page.body) })
      assert.equal(r.statusCode, 303)
      assert.equal(r.headers.location, '/account/confirm?next=%2Faccount%2Fsessions&unsaved=1')
      assert.equal((await other.get('/account/sessions')).statusCode, 200, 'nothing happened')
      const confirm = await browser.get(r.headers.location as string)
      const ok = await browser.post('/account/confirm', {
        csrf: csrfFrom(confirm.body),
        next: '/account/sessions',
        method: 'password',
        value: PASSWORD,
      })
      assert.equal(ok.headers.location, '/account/sessions')
      const list = await browser.get('/account/sessions')
      const again = await browser.post('/account/sessions/revoke-others', {
        csrf: csrfFrom(list.body),
      })
      assert.equal(again.headers.location, '/account/sessions?ended=1')
      assert.equal((await other.get('/account/sessions')).statusCode, 303)
    })

    test('SE-5 one other session can be signed out without sudo', async () => {
      const other = new FormClient(app, ctx.clock)
      await logIn(other)
      await logIn()
      ctx.clock.advance(31 * MINUTE)
      const page = await browser.get('/account/sessions')
      const refs = [...page.body.matchAll(/name="ref" value="([0-9a-f]{16})"/g)].map((m) => m[1])
      assert.equal(refs.length, 1)
      const r = await browser.post('/account/sessions/revoke', {
        csrf: csrfFrom(page.body),
        ref: refs[0],
      })
      assert.equal(r.headers.location, '/account/sessions?ended=1')
      assert.equal((await other.get('/account/sessions')).statusCode, 303)
      const audit = await browser.get('/account/audit')
      assert.match(audit.body, /data-event="session.revoked"/)
      assert.match(audit.body, /data-event="login.success"/)
    })

    test('T-27 an email change applies at once unverified without mail, or waits for the link with mail', async () => {
      await logIn()
      const page = await browser.get('/account/email')
      assert.equal(page.statusCode, 200)
      const r = await browser.post('/account/email', {
        csrf: csrfFrom(page.body),
        email: 'Alice2@Example.org',
      })
      assert.equal(r.statusCode, 200)
      const row = () =>
        ctx.db.kysely
          .selectFrom('users')
          .select(['email', 'email_verified'])
          .where('id', '=', alice.id)
          .executeTakeFirstOrThrow()
      if (!withMail) {
        assert.match(
          r.body,
          /Email isn't configured on this server, so we couldn't verify this address\./,
        )
        assert.deepEqual(await row(), { email: 'alice2@example.org', email_verified: 0 })
        return
      }
      assert.match(r.body, /We sent a confirmation link to alice2@example\.org/)
      assert.deepEqual(await row(), { email: 'alice@example.org', email_verified: 1 })
      await sendDueMail(ctx)
      const mails = await (sink as SmtpSink).waitFor(2)
      const link = mails.find((m) => m.to === 'alice2@example.org')
      assert.ok(link)
      assert.ok(
        mails.some((m) => m.to === 'alice@example.org'),
        'the old address hears of it',
      )
      const url = /(\/account\/email\/confirm\?token=[A-Za-z0-9_-]+)/.exec(link.text)?.[1] as string
      const done = await browser.get(url)
      assert.match(done.body, /Your address is now alice2@example\.org\./)
      assert.deepEqual(await row(), { email: 'alice2@example.org', email_verified: 1 })
      const reuse = await browser.get(url)
      assert.match(reuse.body, /This link has expired, was already used/)
    })
  })
}

suite('account credentials, no SMTP', false)
suite('account credentials, with the SMTP sink', true)

describeEachDatabase('account credentials: LG-1 rules and LG-5 links after log-in', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient
  let alice: User
  let sink: SmtpSink | null = null
  const fileSink = useFileSmtpSink()

  async function start(options: { mail?: boolean; env?: Record<string, string> } = {}) {
    if (options.mail) sink = await fileSink()
    ctx = await createTestContext(dialect, { ...(sink?.env ?? {}), ...options.env })
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
    alice = await buildUser(ctx, 'alice@example.org', PASSWORD)
  }
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
    sink = null
  })

  const logIn = (client = browser, email = 'alice@example.org', password = PASSWORD) =>
    client.submit('/login', '/login', { email, password })
  const passwordHash = async () =>
    (
      await ctx.db.kysely
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', alice.id)
        .executeTakeFirstOrThrow()
    ).password_hash
  const events = async (type: string) =>
    (await ctx.db.kysely.selectFrom('security_events').select('type').execute()).filter(
      (e) => e.type === type,
    ).length
  const emailOf = async (id: number) =>
    (
      await ctx.db.kysely
        .selectFrom('users')
        .select('email')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).email

  test('LG-6 a common password is refused with its message and nothing changes', async () => {
    await start()
    const other = new FormClient(app, ctx.clock)
    await logIn(other)
    await logIn()
    const page = await browser.get('/account/password')
    const r = await browser.post('/account/password', {
      csrf: csrfFrom(page.body),
      current: PASSWORD,
      password: 'Qwertyuiop',
    })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /This password is on the list of common passwords\./)
    assert.ok(await verifyPassword(await passwordHash(), PASSWORD), 'the old password stays')
    assert.equal(await events('password.changed'), 0)
    assert.equal((await other.get('/account/sessions')).statusCode, 200, 'no session ended')
  })

  test('LG-1 with PASSWORD_MIN_LENGTH=12 an 11-character new password is refused', async () => {
    await start({ env: { PASSWORD_MIN_LENGTH: '12' } })
    await logIn()
    const page = await browser.get('/account/password')
    assert.match(page.body, /minlength="12"/)
    assert.match(page.body, /At least 12 characters/)
    const r = await browser.post('/account/password', {
      csrf: csrfFrom(page.body),
      current: PASSWORD,
      password: 'xkcd-horse1',
    })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /The new password needs at least 12 characters\./)
    assert.ok(await verifyPassword(await passwordHash(), PASSWORD))
    const twelve = await browser.post('/account/password', {
      csrf: csrfFrom(r.body),
      current: PASSWORD,
      password: 'xkcd-horse12',
    })
    assert.equal(twelve.statusCode, 200)
    assert.ok(await verifyPassword(await passwordHash(), 'xkcd-horse12'))
  })

  /** Alice asks to move to alice2@example.org; returns the path of the mailed link. */
  async function requestChange(): Promise<string> {
    await logIn()
    const page = await browser.get('/account/email')
    const r = await browser.post('/account/email', {
      csrf: csrfFrom(page.body),
      email: 'alice2@example.org',
    })
    assert.match(r.body, /We sent a confirmation link/)
    await sendDueMail(ctx)
    const mails = await (sink as SmtpSink).waitFor(2)
    const link = mails.find((m) => m.to === 'alice2@example.org')
    assert.ok(link)
    return /(\/account\/email\/confirm\?token=[A-Za-z0-9_-]+)/.exec(link.text)?.[1] as string
  }

  /** Opens `url` logged out and posts the log-in form it leads to; returns the POST's answer. */
  async function logInThroughLink(client: FormClient, url: string, email: string) {
    const first = await client.get(url)
    assert.equal(first.statusCode, 303)
    assert.equal(first.headers.location, `/login?next=${encodeURIComponent(url)}`)
    const login = await client.get(first.headers.location as string)
    assert.equal(login.statusCode, 200)
    const next = /name="next" value="([^"]+)"/.exec(login.body)?.[1]
    assert.equal(next?.replaceAll('&amp;', '&'), url)
    return client.post('/login', {
      csrf: csrfFrom(login.body),
      email,
      password: PASSWORD,
      next: url,
    })
  }

  test('LG-5 a confirmation link opened while logged out applies the change after log-in', async () => {
    await start({ mail: true })
    const url = await requestChange()
    const later = new FormClient(app, ctx.clock)
    const r = await logInThroughLink(later, url, 'alice@example.org')
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, url)
    const done = await later.get(url)
    assert.match(done.body, /Your address is now alice2@example\.org\./)
    assert.equal(await emailOf(alice.id), 'alice2@example.org')
  })

  test('LG-5 the link comes back through the second step too', async () => {
    await start({ mail: true })
    const url = await requestChange()
    // Alice adds an authenticator app after asking for the change.
    const secret = newTotpSecret()
    await saveTotp(ctx, alice.id, secret, totpStep(ctx.clock.now()) - 2, ctx.clock.now())
    ctx.clock.advance(MINUTE)
    const later = new FormClient(app, ctx.clock)
    const r = await logInThroughLink(later, url, 'alice@example.org')
    assert.equal(r.headers.location, '/login/second-step')
    const step = await later.submit('/login/second-step', '/login/second-step', {
      method: 'totp',
      code: totpCodeAt(secret, ctx.clock.now()),
    })
    assert.equal(step.statusCode, 303)
    assert.equal(step.headers.location, url)
    assert.equal(later.cookies.has('vigil_next'), false, 'the kept next is used once')
    const done = await later.get(url)
    assert.match(done.body, /Your address is now alice2@example\.org\./)
    assert.equal(await emailOf(alice.id), 'alice2@example.org')
  })

  test('LG-5 another user logging in through the link does not apply it', async () => {
    await start({ mail: true })
    const bob = await buildUser(ctx, 'bob@example.org', PASSWORD)
    const url = await requestChange()
    const stranger = new FormClient(app, ctx.clock)
    const r = await logInThroughLink(stranger, url, 'bob@example.org')
    assert.equal(r.headers.location, url)
    const refused = await stranger.get(url)
    assert.match(refused.body, /belongs to another account\. Your address was not changed\./)
    assert.equal(await emailOf(alice.id), 'alice@example.org')
    assert.equal(await emailOf(bob.id), 'bob@example.org')
    // Alice's own link still works for her.
    const mine = new FormClient(app, ctx.clock)
    await logInThroughLink(mine, url, 'alice@example.org')
    assert.match((await mine.get(url)).body, /Your address is now alice2@example\.org\./)
    assert.equal(await emailOf(bob.id), 'bob@example.org')
  })
})
