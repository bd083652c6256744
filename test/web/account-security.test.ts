import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { sendReauthCode, verifyReauthCode } from '../../src/accounts/codes/reauth-code.js'
import {
  recoveryCodeStatus,
  replaceRecoveryCodes,
} from '../../src/accounts/factors/recovery-codes/recovery-codes.js'
import { newTotpSecret, totpCodeAt, totpStep } from '../../src/accounts/factors/totp/totp.js'
import { saveTotp } from '../../src/accounts/factors/totp/totp-devices.js'
import { createSession } from '../../src/accounts/sessions/sessions.js'
import type { User } from '../../src/db/index.js'
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

/** Gives the user an authenticator app (confirmed a step ago) and recovery codes. */
async function withTotp(
  ctx: TestContext,
  user: User,
): Promise<{ secret: string; codes: string[] }> {
  const secret = newTotpSecret()
  const now = ctx.clock.now()
  await saveTotp(ctx, user.id, secret, totpStep(now) - 2, now)
  const codes = await replaceRecoveryCodes(ctx, user.id, now)
  return { secret, codes }
}

async function events(ctx: TestContext, type: string) {
  return ctx.db.kysely.selectFrom('security_events').selectAll().where('type', '=', type).execute()
}

describeEachDatabase('account security on the web', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient
  let alice: User
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
    alice = await buildUser(ctx, 'alice@example.org', PASSWORD)
  })
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  const logIn = (client = browser) =>
    client.submit('/login', '/login', { email: 'alice@example.org', password: PASSWORD })

  /** Password, then the app code of the current step. */
  async function logInWithTotp(secret: string, client = browser) {
    const first = await logIn(client)
    assert.equal(first.statusCode, 303)
    assert.equal(first.headers.location, '/login/second-step')
    return client.submit('/login/second-step', '/login/second-step', {
      method: 'totp',
      code: totpCodeAt(secret, ctx.clock.now()),
    })
  }

  /** A session as if the user had logged in long ago (no sudo grant left). */
  function expireSudo() {
    ctx.clock.advance(31 * MINUTE)
  }

  test('RA-6 a protected page without a fresh grant answers 303 to the confirm page', async () => {
    await logIn()
    expireSudo()
    const r = await browser.get('/account/totp')
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/account/confirm?next=%2Faccount%2Ftotp')
    const post = await browser.post('/account/totp', {
      code: '123456',
      csrf: csrfFrom((await browser.get('/account/security')).body),
    })
    assert.equal(post.statusCode, 303)
    assert.equal(post.headers.location, '/account/confirm?next=%2Faccount%2Ftotp&unsaved=1')
    const page = await browser.get(post.headers.location as string)
    assert.match(page.body, /Please confirm it's you\. Your changes were not saved\./)
  })

  test('T-06 a user with a password on a server without mail is offered the password, not an email', async () => {
    await logIn()
    expireSudo()
    const page = await browser.get('/account/confirm?next=%2Faccount%2Ftotp')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /data-reauth-state="choose"/)
    assert.match(page.body, /<label for="value">Password<\/label>/)
    assert.doesNotMatch(page.body, /Email me a code|Send code/)
    const wrong = await browser.post('/account/confirm', {
      csrf: csrfFrom(page.body),
      next: '/account/totp',
      method: 'password',
      value: 'not it',
    })
    assert.equal(wrong.statusCode, 400)
    assert.match(wrong.body, /That password is not right/)
    const right = await browser.post('/account/confirm', {
      csrf: csrfFrom(wrong.body),
      next: '/account/totp',
      method: 'password',
      value: PASSWORD,
    })
    assert.equal(right.statusCode, 303)
    assert.equal(right.headers.location, '/account/totp')
    assert.equal((await browser.get('/account/totp')).statusCode, 200)
    assert.equal((await events(ctx, 'reauth.success')).length, 1)
  })

  test('T-05 a link-only user on a server without mail gets the no-method page with 200', async () => {
    await signInLinkOnlyUser(ctx, browser)
    expireSudo()
    const page = await browser.get('/account/confirm?next=%2Faccount%2Fpassword')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /data-reauth-state="none"/)
    assert.match(page.body, /<h1>We can't confirm it's you right now<\/h1>/)
    assert.match(page.body, /To change your password, Vigil needs to confirm your identity\./)
    assert.match(page.body, /vigil user set-password linkonly@example\.org/)
    // RA-12: the settings page says so before the click.
    const settings = await browser.get('/account/security')
    assert.match(settings.body, /Confirmation unavailable – see why/)
  })

  test('T-04 a log-in with password and TOTP opens protected pages for 30 minutes, not a second more', async () => {
    const { secret } = await withTotp(ctx, alice)
    ctx.clock.advance(MINUTE)
    const done = await logInWithTotp(secret)
    assert.equal(done.statusCode, 303)
    assert.equal(done.headers.location, '/checks/')
    ctx.clock.advance(30 * MINUTE)
    assert.equal((await browser.get('/account/totp/remove')).statusCode, 200)
    ctx.clock.advance(1000)
    const late = await browser.get('/account/totp/remove')
    assert.equal(late.statusCode, 303)
    assert.equal(late.headers.location, '/account/confirm?next=%2Faccount%2Ftotp%2Fremove')
  })

  test('T-07 removing TOTP confirmed with a password is refused with 403 and audited', async () => {
    await withTotp(ctx, alice)
    // A session begun with the password only (e.g. before 2FA was added), its grant expired.
    const { token } = await createSession(ctx, alice.id, { amr: ['password'] })
    browser.cookies.set('hc_session', token)
    expireSudo()
    const page = await browser.get('/account/confirm?next=%2Faccount%2Ftotp%2Fremove')
    assert.doesNotMatch(
      page.body,
      /<label for="value">Password<\/label>/,
      'the password is not offered',
    )
    const r = await browser.post('/account/confirm', {
      csrf: csrfFrom(page.body),
      next: '/account/totp/remove',
      method: 'password',
      value: PASSWORD,
    })
    assert.equal(r.statusCode, 403)
    const blocked = await events(ctx, 'reauth.downgrade_blocked')
    assert.equal(blocked.length, 1)
    assert.equal(blocked[0].subject_user_id, alice.id)
    // A fresh password grant does not cover the removal either.
    const fresh = await browser.post('/account/confirm', {
      csrf: csrfFrom(r.body),
      next: '/account/password',
      method: 'password',
      value: PASSWORD,
    })
    assert.equal(fresh.statusCode, 303)
    const sec = await browser.get('/account/security')
    const removal = await browser.post('/account/totp/remove', { csrf: csrfFrom(sec.body) })
    assert.equal(removal.statusCode, 403)
    assert.equal((await events(ctx, 'reauth.downgrade_blocked')).length, 2)
    const totpRows = await ctx.db.kysely.selectFrom('user_totp').select('user_id').execute()
    assert.equal(totpRows.length, 1, 'the app is still there')
  })

  test('T-22 RA-3 the session id changes on a sudo grant and on completing the second step', async () => {
    const { secret } = await withTotp(ctx, alice)
    ctx.clock.advance(MINUTE)
    await logIn()
    assert.equal(browser.cookies.has('hc_session'), false, 'no session before the second factor')
    const pendingCookie = browser.cookies.get('vigil_pending')
    assert.ok(pendingCookie)
    await browser.submit('/login/second-step', '/login/second-step', {
      method: 'totp',
      code: totpCodeAt(secret, ctx.clock.now()),
    })
    const afterLogin = browser.cookies.get('hc_session')
    assert.ok(afterLogin)
    assert.notEqual(afterLogin, pendingCookie)
    expireSudo()
    const page = await browser.get('/account/confirm?next=%2Faccount%2Fpassword&method=totp')
    const r = await browser.post('/account/confirm', {
      csrf: csrfFrom(page.body),
      next: '/account/password',
      method: 'totp',
      value: totpCodeAt(secret, ctx.clock.now()),
    })
    assert.equal(r.statusCode, 303)
    const afterSudo = browser.cookies.get('hc_session')
    assert.ok(afterSudo)
    assert.notEqual(afterSudo, afterLogin)
    const rows = await ctx.db.kysely.selectFrom('sessions').select('reauth_method').execute()
    assert.deepEqual(rows, [{ reauth_method: 'totp' }], 'the old id is gone, the grant moved along')
  })

  test('T-10 the same TOTP code twice at log-in: the second gets 400 "already used" and an audit event', async () => {
    const { secret } = await withTotp(ctx, alice)
    ctx.clock.advance(MINUTE)
    const code = totpCodeAt(secret, ctx.clock.now())
    const first = await logInWithTotp(secret)
    assert.equal(first.statusCode, 303)
    const other = new FormClient(app, ctx.clock)
    await logIn(other)
    const again = await other.submit('/login/second-step', '/login/second-step', {
      method: 'totp',
      code,
    })
    assert.equal(again.statusCode, 400)
    assert.match(
      again.body,
      /This code was already used\. Wait for the next code from your app and try again\./,
    )
    assert.equal((await events(ctx, 'totp.replay_rejected')).length, 1)
    // An older step after a newer one is a replay too.
    ctx.clock.advance(30_000)
    const next = await other.submit('/login/second-step', '/login/second-step', {
      method: 'totp',
      code: totpCodeAt(secret, ctx.clock.now()),
    })
    assert.equal(next.statusCode, 303)
    const third = new FormClient(app, ctx.clock)
    await logIn(third)
    const older = await third.submit('/login/second-step', '/login/second-step', {
      method: 'totp',
      code: totpCodeAt(secret, ctx.clock.now() - 30_000),
    })
    assert.equal(older.statusCode, 400)
  })

  test('T-11 the code that confirmed enrolment cannot be used to log in', async () => {
    await logIn()
    const page = await browser.get('/account/totp')
    assert.equal(page.statusCode, 200)
    const secret = /data-totp-secret="([A-Z2-7]+)"/.exec(page.body)?.[1]
    assert.ok(secret)
    const code = totpCodeAt(secret, ctx.clock.now())
    const on = await browser.post('/account/totp', { csrf: csrfFrom(page.body), code })
    assert.equal(on.statusCode, 200)
    assert.match(on.body, /Two-factor authentication is on/)
    const shown = on.body.match(
      /[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/g,
    )
    // Shown once, plus the Download and Done forms carrying them back (RC-2).
    assert.equal(new Set(shown).size, 10, 'recovery codes are shown once')
    assert.match(on.body, /We couldn't email you about this change\./)
    assert.equal((await events(ctx, 'totp.enabled')).length, 1)

    const other = new FormClient(app, ctx.clock)
    await logIn(other)
    const r = await other.submit('/login/second-step', '/login/second-step', {
      method: 'totp',
      code,
    })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /already used/)
  })

  test('T-16 five wrong second-step codes, then 429 with Retry-After', async () => {
    const { secret } = await withTotp(ctx, alice)
    ctx.clock.advance(MINUTE)
    await logIn()
    for (let i = 0; i < 5; i++) {
      const r = await browser.submit('/login/second-step', '/login/second-step', {
        method: 'totp',
        code: '000000',
      })
      assert.equal(r.statusCode, 400, `attempt ${i + 1}`)
    }
    const blocked = await browser.submit('/login/second-step', '/login/second-step', {
      method: 'totp',
      code: totpCodeAt(secret, ctx.clock.now()),
    })
    assert.equal(blocked.statusCode, 429)
    assert.equal(blocked.headers['retry-after'], '300')
    assert.match(blocked.body, /Too many attempts\. Try again in 5 minutes\./)
    assert.equal((await events(ctx, 'login.2fa_failure')).length, 6)
  })

  test('LG-3 a recovery code completes the log-in once, and says how many are left', async () => {
    const { codes } = await withTotp(ctx, alice)
    await logIn()
    const page = await browser.get('/login/second-step?method=recovery_code')
    assert.match(page.body, /<label for="code">Recovery code<\/label>/)
    const r = await browser.post('/login/second-step', {
      csrf: csrfFrom(page.body),
      method: 'recovery_code',
      code: codes[0].toLowerCase().replace(/-/g, ' '),
    })
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/account/security?used_recovery_code=9')
    const settings = await browser.get(r.headers.location as string)
    assert.match(settings.body, /You used a recovery code\. 9 left\./)
    assert.equal((await events(ctx, 'recovery_code.used')).length, 1)
    const other = new FormClient(app, ctx.clock)
    await logIn(other)
    const again = await other.submit('/login/second-step', '/login/second-step', {
      method: 'recovery_code',
      code: codes[0],
    })
    assert.equal(again.statusCode, 400)
    assert.match(again.body, /already used/)
  })

  test('LG-3 a second step older than 5 minutes sends the user back to log in', async () => {
    const { secret } = await withTotp(ctx, alice)
    await logIn()
    ctx.clock.advance(5 * MINUTE + 1000)
    const r = await browser.submit('/login/second-step', '/login/second-step', {
      method: 'totp',
      code: totpCodeAt(secret, ctx.clock.now()),
    })
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /Your sign-in timed out\. Please start again\./)
    assert.equal(browser.cookies.has('hc_session'), false)
  })

  test('T-13 regenerated recovery codes replace the old set at once', async () => {
    const { secret, codes } = await withTotp(ctx, alice)
    ctx.clock.advance(MINUTE)
    await logInWithTotp(secret)
    const page = await browser.get('/account/recovery-codes')
    assert.match(page.body, /10 unused codes/)
    const r = await browser.post('/account/recovery-codes', { csrf: csrfFrom(page.body) })
    assert.equal(r.statusCode, 200)
    // Shown once, plus the Download and Done forms carrying them back (RC-2).
    const fresh = [
      ...new Set(
        r.body.match(/[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/g) ?? [],
      ),
    ]
    assert.equal(fresh.length, 10)
    for (const c of fresh)
      assert.match(c, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    assert.equal(fresh.filter((c) => codes.includes(c)).length, 0)
    const other = new FormClient(app, ctx.clock)
    await logIn(other)
    const old = await other.submit('/login/second-step', '/login/second-step', {
      method: 'recovery_code',
      code: codes[1],
    })
    assert.equal(old.statusCode, 400)
    const now = await other.submit('/login/second-step', '/login/second-step', {
      method: 'recovery_code',
      code: fresh[1],
    })
    assert.equal(now.statusCode, 303)
    assert.equal((await events(ctx, 'recovery_codes.generated')).length, 1)
  })

  test('T-14 recovery codes are stored only as argon2id PHC strings with distinct salts', async () => {
    // RC-2's parameters are those of PASSWORD_HASH_COST=standard (test contexts use `test`).
    const accounts = { ...ctx.config.accounts, passwordHashCost: 'standard' as const }
    await withTotp({ ...ctx, config: { ...ctx.config, accounts } }, alice)
    const rows = await ctx.db.kysely.selectFrom('recovery_codes').select('code_hash').execute()
    assert.equal(rows.length, 10)
    const salts = new Set<string>()
    for (const { code_hash } of rows) {
      assert.match(
        code_hash,
        /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]+$/,
      )
      salts.add(code_hash.split('$')[4])
    }
    assert.equal(salts.size, 10)
  })

  test('TOTP-6 RC-7 removing the last second factor turns 2FA off, deletes the codes and ends other sessions', async () => {
    const { secret } = await withTotp(ctx, alice)
    ctx.clock.advance(MINUTE)
    await logInWithTotp(secret)
    const other = new FormClient(app, ctx.clock)
    ctx.clock.advance(30_000)
    await logInWithTotp(secret, other)
    const page = await browser.get('/account/totp/remove')
    const r = await browser.post('/account/totp/remove', { csrf: csrfFrom(page.body) })
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /Two-factor authentication is now off\./)
    assert.equal((await recoveryCodeStatus(ctx, alice.id)).left, 0)
    const kept = await ctx.db.kysely
      .selectFrom('recovery_codes')
      .select('user_id')
      .where('user_id', '=', alice.id)
      .execute()
    assert.equal(kept.length, 0, 'RC-7: the codes are deleted, not just used up')
    assert.equal((await other.get('/account/sessions')).statusCode, 303, 'the other session ended')
    assert.equal((await browser.get('/account/sessions')).statusCode, 200)
    assert.equal((await events(ctx, 'totp.disabled')).length, 1)
    // And the password alone logs in again.
    const again = await logIn(new FormClient(app, ctx.clock))
    assert.equal(again.headers.location, '/checks/')
  })

  test('TOTP-5 a wrong enrolment code answers 400 and keeps the same secret', async () => {
    await logIn()
    const page = await browser.get('/account/totp')
    const secret = /data-totp-secret="([A-Z2-7]+)"/.exec(page.body)?.[1]
    const r = await browser.post('/account/totp', { csrf: csrfFrom(page.body), code: '12345' })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /That code didn't work/)
    assert.equal(/data-totp-secret="([A-Z2-7]+)"/.exec(r.body)?.[1], secret)
    const stored = await ctx.db.kysely
      .selectFrom('sessions')
      .select('totp_pending')
      .executeTakeFirstOrThrow()
    assert.match(stored.totp_pending ?? '', /^v1:/)
    assert.ok(
      !(stored.totp_pending ?? '').includes(secret as string),
      'the pending secret is encrypted',
    )
  })
})

describeEachDatabase('e-mailed confirmation codes', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient
  let sink: SmtpSink
  const fileSink = useFileSmtpSink()
  beforeEach(async () => {
    sink = await fileSink()
    ctx = await createTestContext(dialect, sink.env)
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
    await signInLinkOnlyUser(ctx, browser)
    ctx.clock.advance(31 * MINUTE)
  })
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  test('T-09 opening the confirm page sends nothing', async () => {
    const page = await browser.get('/account/confirm?next=%2Faccount%2Fpassword')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Send code/)
    await browser.get('/account/confirm?next=%2Faccount%2Fpassword')
    await new Promise((r) => setTimeout(r, 200))
    assert.equal(sink.messages.length, 0)
  })

  test('RA-8 "Send code" mails a code that confirms once', async () => {
    const page = await browser.get('/account/confirm?next=%2Faccount%2Fpassword')
    const sent = await browser.post('/account/confirm/send-code', {
      csrf: csrfFrom(page.body),
      next: '/account/password',
    })
    assert.equal(sent.statusCode, 200)
    assert.match(sent.body, /We sent a code to l•••@example\.org\./)
    const [mail] = await sink.waitFor(1)
    assert.equal(mail.subject, 'Vigil confirmation code')
    assert.match(
      mail.text,
      /If you didn't request this, change your password and review your sessions\./,
    )
    const code = /code is: (\d{6})/.exec(mail.text)?.[1] as string
    const r = await browser.post('/account/confirm', {
      csrf: csrfFrom(sent.body),
      next: '/account/password',
      method: 'email_code',
      value: code,
    })
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/account/password')
  })

  test('RL-O1 a fourth e-mailed code within 15 minutes is refused with 429 and Retry-After', async () => {
    const send = async () => {
      const page = await browser.get('/account/confirm?next=%2Faccount%2Fpassword')
      return browser.post('/account/confirm/send-code', {
        csrf: csrfFrom(page.body),
        next: '/account/password',
      })
    }
    for (let i = 0; i < 3; i++) {
      assert.match((await send()).body, /We sent a code/)
      ctx.clock.advance(61_000)
    }
    const r = await send()
    assert.equal(r.statusCode, 429)
    assert.ok(Number(r.headers['retry-after']) > 0)
    assert.match(r.body, /Too many attempts\. Try again in \d+ minutes?\./)
    await sink.waitFor(3)
    await new Promise((resolve) => setTimeout(resolve, 200))
    assert.equal(sink.messages.length, 3, 'the fourth code was not mailed')
  })

  test('T-08 when the mail server refuses, the page stays at 200 with the banner and no "we sent"', async () => {
    sink.reject(550, 'No such user')
    const page = await browser.get('/account/confirm?next=%2Faccount%2Fpassword')
    const r = await browser.post('/account/confirm/send-code', {
      csrf: csrfFrom(page.body),
      next: '/account/password',
    })
    assert.equal(r.statusCode, 200)
    assert.match(
      r.body,
      /We couldn't send the code because this server can't send email right now\./,
    )
    assert.doesNotMatch(r.body, /We sent/)
    assert.match(r.body, /data-reauth-state="none"/, 'nothing else is left: the 5.4 page')
    const audit = await ctx.db.kysely.selectFrom('security_events').select('type').execute()
    assert.ok(audit.some((e) => e.type === 'reauth.channel_unavailable'))
  })

  test('DOC-4 when the SMTP server refuses a superuser’s code, the page adds the Admin line (MAIL-010)', async () => {
    await ctx.db.kysely.updateTable('users').set({ is_superuser: 1 }).execute()
    sink.reject(550, 'No such user')
    const page = await browser.get('/account/confirm?next=%2Faccount%2Fpassword')
    const r = await browser.post('/account/confirm/send-code', {
      csrf: csrfFrom(page.body),
      next: '/account/password',
    })
    assert.equal(r.statusCode, 200)
    assert.match(
      r.body,
      /Admin: the SMTP server did not take the message — see System status \(MAIL-010\)\./,
    )
    assert.doesNotMatch(r.body, /No such user|127\.0\.0\.1|\b550\b/)
  })

  test('T-15 after five wrong entries the code is dead, and a code 601 s old is refused', async () => {
    const session = await ctx.db.kysely.selectFrom('sessions').selectAll().executeTakeFirstOrThrow()
    const user = await ctx.db.kysely.selectFrom('users').selectAll().executeTakeFirstOrThrow()
    assert.ok((await sendReauthCode(ctx, user, session)).ok)
    const [mail] = await sink.waitFor(1)
    const code = /code is: (\d{6})/.exec(mail.text)?.[1] as string
    const wrong = code === '000000' ? '111111' : '000000'
    for (let i = 0; i < 5; i++)
      assert.equal(await verifyReauthCode(ctx, session, wrong, ctx.clock.now()), 'wrong')
    assert.equal(await verifyReauthCode(ctx, session, code, ctx.clock.now()), 'expired')

    ctx.clock.advance(MINUTE)
    assert.ok((await sendReauthCode(ctx, user, session)).ok)
    const [, second] = await sink.waitFor(2)
    const code2 = /code is: (\d{6})/.exec(second.text)?.[1] as string
    ctx.clock.advance(601_000)
    assert.equal(await verifyReauthCode(ctx, session, code2, ctx.clock.now()), 'expired')
  })

  test('T-15 a right code is good once; the second use is refused', async () => {
    const session = await ctx.db.kysely.selectFrom('sessions').selectAll().executeTakeFirstOrThrow()
    const user = await ctx.db.kysely.selectFrom('users').selectAll().executeTakeFirstOrThrow()
    assert.ok((await sendReauthCode(ctx, user, session)).ok)
    const [mail] = await sink.waitFor(1)
    const code = /code is: (\d{6})/.exec(mail.text)?.[1] as string
    ctx.clock.advance(599_000)
    assert.equal(await verifyReauthCode(ctx, session, code, ctx.clock.now()), 'ok')
    assert.equal(await verifyReauthCode(ctx, session, code, ctx.clock.now()), 'expired')
  })

  test('OOB-2 a second code within 60 s is refused with the wait', async () => {
    const session = await ctx.db.kysely.selectFrom('sessions').selectAll().executeTakeFirstOrThrow()
    const user = await ctx.db.kysely.selectFrom('users').selectAll().executeTakeFirstOrThrow()
    assert.ok((await sendReauthCode(ctx, user, session)).ok)
    ctx.clock.advance(59_000)
    const again = await sendReauthCode(ctx, user, session)
    assert.deepEqual(again, { ok: false, error: { kind: 'too-soon', retryAfterSeconds: 1 } })
  })
})

describeEachDatabase('recovery code races', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
  })
  afterEach(() => ctx.drop())

  test('T-12 two concurrent submissions of one recovery code: exactly one succeeds', async () => {
    const { consumeRecoveryCode } = await import(
      '../../src/accounts/factors/recovery-codes/recovery-codes.js'
    )
    const user = await buildUser(ctx)
    const [code] = await replaceRecoveryCodes(ctx, user.id, ctx.clock.now())
    const results = await Promise.all([
      consumeRecoveryCode(ctx, user.id, code, ctx.clock.now()),
      consumeRecoveryCode(ctx, user.id, code, ctx.clock.now()),
    ])
    assert.deepEqual(results.sort(), [false, true])
    assert.equal((await recoveryCodeStatus(ctx, user.id)).left, 9)
  })
})
