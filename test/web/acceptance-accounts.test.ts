/**
 * Acceptance tests of spec accounts.md 5.18 over HTTP: T-15 and OOB-2 (the e-mailed code on the
 * confirm page), T-16's second half (RL-F2), T-19 (MAIL-5), LG-7 (closing an account), RC-5
 * (recovery-code banners), NT-2 (security activity without mail) and AU-4 (audit retention).
 */
import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import {
  consumeRecoveryCode,
  replaceRecoveryCodes,
} from '../../src/accounts/factors/recovery-codes/recovery-codes.js'
import { newTotpSecret, totpCodeAt, totpStep } from '../../src/accounts/factors/totp/totp.js'
import { saveTotp } from '../../src/accounts/factors/totp/totp-devices.js'
import { startWorker } from '../../src/alerts/index.js'
import type { User } from '../../src/db/index.js'
import { sendDueMail } from '../../src/mail/index.js'
import { recordMailProbe } from '../../src/mail/mail-status.js'
import { buildProject, buildUser } from '../helpers/builders.js'
import { databaseEnv, runVigil } from '../helpers/cli.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useFileSmtpSink } from '../helpers/file-servers.js'
import { signInLinkOnlyUser } from '../helpers/link-only-user.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import type { SmtpSink } from '../helpers/smtp-sink.js'
import { FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'
const SECOND = 1000
const MINUTE = 60 * SECOND
const DAY = 24 * 60 * MINUTE
const NOT_EMAILED = /We couldn(&#x27;|')t email you about this change\./

describeEachDatabase('accounts acceptance', (dialect) => {
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
    alice = (await buildProject(ctx, 'alice@example.org')).owner
  }
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
    sink = null
  })

  const logIn = (client = browser) =>
    client.submit('/login', '/login', { email: 'alice@example.org', password: PASSWORD })

  const events = (type: string) =>
    ctx.db.kysely.selectFrom('security_events').selectAll().where('type', '=', type).execute()

  /** Alice gets an authenticator app (confirmed two steps ago) and ten recovery codes. */
  async function withTotp(): Promise<{ secret: string; codes: string[] }> {
    const secret = newTotpSecret()
    const now = ctx.clock.now()
    await saveTotp(ctx, alice.id, secret, totpStep(now) - 2, now)
    return { secret, codes: await replaceRecoveryCodes(ctx, alice.id, now) }
  }

  // ---- T-15, OOB-2: the e-mailed code on the confirm page -------------------------------------

  /** A user without password or 2FA, whose only way to confirm is an e-mailed code. */
  async function linkOnlyUser(): Promise<FormClient> {
    const client = new FormClient(app, ctx.clock)
    await signInLinkOnlyUser(ctx, client, 'link@example.org')
    ctx.clock.advance(31 * MINUTE)
    return client
  }

  const CONFIRM = '/account/confirm?next=%2Faccount%2Fpassword'

  async function sendCode(client: FormClient) {
    return client.submit(CONFIRM, '/account/confirm/send-code', { next: '/account/password' })
  }

  async function enterCode(client: FormClient, code: string) {
    return client.submit(CONFIRM, '/account/confirm', {
      next: '/account/password',
      method: 'email_code',
      value: code,
    })
  }

  function codeOf(text: string): string {
    const code = /code is: (\d{6})/.exec(text)?.[1]
    assert.ok(code, text)
    return code
  }

  test('T-15 the fifth wrong entry kills the e-mailed code: the right code is refused after it', async () => {
    await start({ mail: true })
    const client = await linkOnlyUser()
    const sent = await sendCode(client)
    assert.match(sent.body, /We sent a code to l•••@example\.org\./)
    const code = codeOf((await sink!.waitFor(1))[0].text)
    const wrong = code === '000000' ? '111111' : '000000'
    for (let i = 1; i <= 5; i++) {
      const r = await enterCode(client, wrong)
      assert.equal(r.statusCode, 400, `wrong entry ${i}`)
      assert.match(r.body, /That code didn(&#x27;|')t match the one we emailed\./)
    }
    // Past RL-F1's 5-minute window, so the answer is about the code, not the rate limit.
    ctx.clock.advance(5 * MINUTE + SECOND)
    const sixth = await enterCode(client, code)
    assert.equal(sixth.statusCode, 400)
    assert.match(sixth.body, /That code has expired or was replaced\. Send a new code\./)
    assert.equal((await client.get('/account/password')).statusCode, 303)
  })

  test('T-15 an e-mailed code 601 s old is refused; one 599 s old is accepted', async () => {
    await start({ mail: true })
    const client = await linkOnlyUser()
    await sendCode(client)
    const late = codeOf((await sink!.waitFor(1))[0].text)
    ctx.clock.advance(601 * SECOND)
    const refused = await enterCode(client, late)
    assert.equal(refused.statusCode, 400)
    assert.match(refused.body, /That code has expired or was replaced\./)

    await sendCode(client)
    const fresh = codeOf((await sink!.waitFor(2))[1].text)
    ctx.clock.advance(599 * SECOND)
    const ok = await enterCode(client, fresh)
    assert.equal(ok.statusCode, 303)
    assert.equal(ok.headers.location, '/account/password')
  })

  test('OOB-2 "Send code" again within 60 s sends nothing; after 60 s a new code replaces the old', async () => {
    await start({ mail: true })
    const client = await linkOnlyUser()
    await sendCode(client)
    const first = codeOf((await sink!.waitFor(1))[0].text)
    ctx.clock.advance(59 * SECOND)
    const soon = await sendCode(client)
    assert.equal(soon.statusCode, 200)
    assert.match(soon.body, /You can ask for another in 1 second\./)
    ctx.clock.advance(SECOND)
    await sendCode(client)
    const second = codeOf((await sink!.waitFor(2))[1].text)
    assert.equal(sink!.messages.length, 2)
    if (first !== second) {
      const old = await enterCode(client, first)
      assert.equal(old.statusCode, 400, 'the replaced code no longer works')
    }
    assert.equal((await enterCode(client, second)).statusCode, 303)
  })

  // ---- T-16 second half: RL-F2 ----------------------------------------------------------------

  /** A six-digit code that is not valid for any step near now. */
  function wrongCode(secret: string): string {
    const now = ctx.clock.now()
    const valid = new Set([-1, 0, 1].map((d) => totpCodeAt(secret, now + d * 30 * SECOND)))
    for (let n = 0; ; n++) {
      const c = String(n).padStart(6, '0')
      if (!valid.has(c)) return c
    }
  }

  async function secondStep(code: string) {
    return browser.submit('/login/second-step', '/login/second-step', { method: 'totp', code })
  }

  /**
   * `n` wrong app codes at the second step, as fast as RL-F1 allows: 5 per 5-minute window,
   * 20 per day. Returns when the last one was entered; the clock then stands past RL-F1's
   * windows, ready for the next attempt.
   */
  async function failSecondStep(
    secret: string,
    n: number,
  ): Promise<{ last: number; dayStart: number }> {
    let dayStart = ctx.clock.now()
    let today = 0
    let last = 0
    while (n > 0) {
      const first = await logIn()
      assert.equal(first.headers.location, '/login/second-step')
      const batch = Math.min(5, n)
      for (let i = 0; i < batch; i++) {
        const r = await secondStep(wrongCode(secret))
        assert.equal(r.statusCode, 400, `failure ${i + 1} of this window: ${r.statusCode}`)
        last = ctx.clock.now()
      }
      n -= batch
      today += batch
      if (today >= 20) {
        ctx.clock.set(dayStart + DAY + SECOND)
        dayStart = ctx.clock.now()
        today = 0
      } else ctx.clock.advance(5 * MINUTE + SECOND)
    }
    return { last, dayStart }
  }

  test('T-16 100 consecutive second-factor failures block the second step for 24 h', async () => {
    await start({ mail: true })
    const { secret } = await withTotp()
    const hundredth = (await failSecondStep(secret, 100)).last
    assert.equal((await events('login.2fa_failure')).length, 100)
    const [lockout] = await events('ratelimit.blocked')
    assert.equal(lockout.subject_user_id, alice.id)
    assert.deepEqual(JSON.parse(lockout.details), { rule: 'RL-F2', failures: 100 })
    // NT-1: the lockout is told to the account.
    const notices = await ctx.db.kysely
      .selectFrom('mail_outbox')
      .select(['to_addr', 'text_body'])
      .execute()
    assert.equal(notices.length, 1)
    assert.equal(notices[0].to_addr, 'alice@example.org')
    assert.match(notices[0].text_body, /Two-step verification was blocked for 24 hours/)

    // RL-F1's windows are past; the right code is still refused until 24 h after the 100th.
    await logIn()
    const blocked = await secondStep(totpCodeAt(secret, ctx.clock.now()))
    assert.equal(blocked.statusCode, 429)
    assert.equal(
      blocked.headers['retry-after'],
      String(Math.ceil((hundredth + DAY - ctx.clock.now()) / 1000)),
    )
    assert.match(blocked.body, /Too many attempts\. Try again in \d+ minutes\./)

    ctx.clock.set(hundredth + DAY + SECOND)
    await logIn()
    const after = await secondStep(totpCodeAt(secret, ctx.clock.now()))
    assert.equal(after.statusCode, 303)
    assert.equal(after.headers.location, '/checks/')
  })

  test('T-16 TOTP-7 a success resets the consecutive count of RL-F2', async () => {
    await start()
    const { secret } = await withTotp()
    const { dayStart } = await failSecondStep(secret, 99)
    await logIn()
    assert.equal((await secondStep(totpCodeAt(secret, ctx.clock.now()))).statusCode, 303)
    // Without the reset this failure would be the 100th in a row, and start the block.
    browser.cookies.clear()
    await logIn()
    assert.equal((await secondStep(wrongCode(secret))).statusCode, 400)
    assert.equal((await events('ratelimit.blocked')).length, 0)
    // Past RL-F1's day, but within 24 h of the failures: RL-F2 alone would still block.
    ctx.clock.set(dayStart + DAY + SECOND)
    browser.cookies.clear()
    await logIn()
    const r = await secondStep(totpCodeAt(secret, ctx.clock.now()))
    assert.equal(r.statusCode, 303)
  })

  test('T-16 an operator reset (vigil user reset-2fa) ends the RL-F2 block', async () => {
    await start()
    const { secret } = await withTotp()
    await failSecondStep(secret, 100)
    await logIn()
    assert.equal((await secondStep(totpCodeAt(secret, ctx.clock.now()))).statusCode, 429)
    const run = await runVigil(databaseEnv(ctx.config.db), 'user', 'reset-2fa', 'alice@example.org')
    assert.equal(run.code, 0, run.err)
    assert.equal((await events('admin.2fa_reset')).length, 1)
    const r = await logIn()
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/checks/')
  })

  // ---- T-19: MAIL-5 ---------------------------------------------------------------------------

  test('T-19 a test notification on an email integration without mail redirects with the flash text', async () => {
    await start()
    await logIn()
    const project = await ctx.db.kysely
      .selectFrom('projects')
      .select(['id', 'code'])
      .where('owner_id', '=', alice.id)
      .executeTakeFirstOrThrow()
    const channel = await ctx.db.kysely
      .selectFrom('channels')
      .select(['id', 'code'])
      .where('project_id', '=', project.id)
      .where('kind', '=', 'email')
      .executeTakeFirstOrThrow()
    const page = `/projects/${project.code}/integrations/`
    const r = await browser.submit(page, `/integrations/${channel.code}/test/`, {})
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, `${page}?done=test-no-mail`)
    const shown = await browser.get(r.headers.location as string)
    assert.equal(shown.statusCode, 200)
    assert.match(
      shown.body,
      /Could not send a test notification: Email isn(&#x27;|')t configured on this server\./,
    )
    const queued = await ctx.db.kysely
      .selectFrom('notifications')
      .select('id')
      .where('channel_id', '=', channel.id)
      .execute()
    assert.equal(queued.length, 0)
  })

  // ---- LG-7: close account --------------------------------------------------------------------

  test('LG-7 closing the account needs sudo and the typed address', async () => {
    await start()
    await logIn()
    ctx.clock.advance(31 * MINUTE)
    const page = await browser.get('/account/close')
    assert.equal(page.statusCode, 303)
    assert.equal(page.headers.location, '/account/confirm?next=%2Faccount%2Fclose')
    await browser.submit('/account/confirm?next=%2Faccount%2Fclose', '/account/confirm', {
      next: '/account/close',
      method: 'password',
      value: PASSWORD,
    })
    const wrong = await browser.submit('/account/close', '/account/close', {
      email: 'bob@example.org',
    })
    assert.equal(wrong.statusCode, 400)
    assert.match(wrong.body, /That is not your address\. Nothing was deleted\./)
    const still = await ctx.db.kysely.selectFrom('users').select('id').execute()
    assert.equal(still.length, 1)
  })

  test('LG-7 closing deletes the user and every session, mails a farewell, and keeps audit rows by id', async () => {
    await start({ mail: true })
    await logIn()
    const other = new FormClient(app, ctx.clock)
    await logIn(other)
    assert.equal((await other.get('/account/security')).statusCode, 200)
    const r = await browser.submit('/account/close', '/account/close', {
      email: 'Alice@Example.org',
    })
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /data-account-closed/)
    const k = ctx.db.kysely
    assert.equal((await k.selectFrom('users').select('id').execute()).length, 0)
    assert.equal((await k.selectFrom('sessions').select('id').execute()).length, 0)
    assert.equal((await k.selectFrom('projects').select('id').execute()).length, 0)
    const gone = await other.get('/account/security')
    assert.equal(gone.statusCode, 303)
    assert.equal(gone.headers.location, '/login?next=%2Faccount%2Fsecurity')

    await sendDueMail(ctx)
    const [farewell] = await sink!.waitFor(1)
    assert.equal(farewell.to, 'alice@example.org')
    assert.match(farewell.text, /Your account was closed/)

    // Audit rows outlive the user, naming it only by its old id.
    const rows = await k.selectFrom('security_events').selectAll().execute()
    const closed = rows.find((e) => e.type === 'account.closed')
    assert.ok(closed)
    assert.equal(closed.subject_user_id, alice.id)
    assert.ok(rows.some((e) => e.type === 'login.success' && e.subject_user_id === alice.id))
    for (const e of rows) assert.doesNotMatch(e.details, /alice@example\.org/i)
  })

  test('LG-7 without mail the account is closed and nothing is queued', async () => {
    await start()
    await logIn()
    const r = await browser.submit('/account/close', '/account/close', {
      email: 'alice@example.org',
    })
    assert.equal(r.statusCode, 200)
    assert.equal((await ctx.db.kysely.selectFrom('users').select('id').execute()).length, 0)
    assert.equal((await ctx.db.kysely.selectFrom('mail_outbox').select('id').execute()).length, 0)
    assert.equal((await events('account.closed')).length, 1)
  })

  // ---- RC-5: recovery-code banners --------------------------------------------------------------

  test('RC-5 after a log-in with a recovery code the banner says how many are left and links to new ones', async () => {
    await start()
    const { codes } = await withTotp()
    await logIn()
    const r = await browser.submit('/login/second-step', '/login/second-step', {
      method: 'recovery_code',
      code: codes[3],
    })
    assert.equal(r.statusCode, 303)
    const page = await browser.get(r.headers.location as string)
    assert.match(
      page.body,
      /You used a recovery code\. 9 left\.\s*<a href="\/account\/recovery-codes">Regenerate codes<\/a>/,
    )
    assert.equal((await events('recovery_code.used')).length, 1)
  })

  async function logInWithRecoveryCode(code: string) {
    await logIn()
    const r = await browser.submit('/login/second-step', '/login/second-step', {
      method: 'recovery_code',
      code,
    })
    assert.equal(r.statusCode, 303)
    return browser.get(r.headers.location as string)
  }

  test('NT-2 a log-in with a recovery code while mail is unconfigured shows the banner once', async () => {
    await start()
    const { codes } = await withTotp()
    const page = await logInWithRecoveryCode(codes[0])
    assert.match(page.body, /You used a recovery code\. 9 left\./)
    assert.match(page.body, NOT_EMAILED)
    assert.doesNotMatch((await browser.get('/account/security')).body, NOT_EMAILED)
    assert.equal((await events('recovery_code.used')).length, 1)
  })

  test('NT-2 a log-in with a recovery code while mail is degraded shows the banner; healthy mail does not', async () => {
    await start({ mail: true })
    const { codes } = await withTotp()
    await recordMailProbe(ctx, false, ctx.clock.now())
    assert.match((await logInWithRecoveryCode(codes[0])).body, NOT_EMAILED)
    ctx.clock.advance(SECOND)
    await recordMailProbe(ctx, true, ctx.clock.now())
    const healthy = new FormClient(app, ctx.clock)
    browser = healthy
    const page = await logInWithRecoveryCode(codes[1])
    assert.match(page.body, /You used a recovery code\. 8 left\./)
    assert.doesNotMatch(page.body, NOT_EMAILED)
    await sendDueMail(ctx)
    const notices = await sink!.waitFor(2)
    assert.ok(notices.some((m) => /A recovery code was used\. 8 left\./.test(m.text)))
  })

  test('RC-5 at 3 codes left the security page warns; at 0 with 2FA on a banner stays until new codes', async () => {
    await start()
    const { secret, codes } = await withTotp()
    await logIn()
    assert.equal((await secondStep(totpCodeAt(secret, ctx.clock.now()))).statusCode, 303)
    const now = ctx.clock.now()
    for (const code of codes.slice(0, 7))
      assert.ok(await consumeRecoveryCode(ctx, alice.id, code, now))
    const three = await browser.get('/account/security')
    assert.match(three.body, /Only 3 recovery codes left\. Make new ones\./)
    assert.doesNotMatch(three.body, /data-no-recovery-codes/)
    for (const code of codes.slice(7))
      assert.ok(await consumeRecoveryCode(ctx, alice.id, code, now))
    for (let visit = 0; visit < 2; visit++) {
      const none = await browser.get('/account/security')
      assert.match(none.body, /data-no-recovery-codes/)
      assert.match(none.body, /You have no recovery codes left\./)
    }
    await replaceRecoveryCodes(ctx, alice.id, ctx.clock.now())
    assert.doesNotMatch((await browser.get('/account/security')).body, /data-no-recovery-codes/)
  })

  test('RC-5 a user without 2FA and without codes sees no recovery-code banner', async () => {
    await start()
    await logIn()
    assert.doesNotMatch((await browser.get('/account/security')).body, /data-no-recovery-codes/)
  })

  // ---- NT-2: security activity without mail --------------------------------------------------

  async function changePassword() {
    return browser.submit('/account/password', '/account/password', {
      current: PASSWORD,
      password: 'another horse battery',
    })
  }

  test('NT-2 with mail unconfigured a change shows the banner once and is listed in Security activity', async () => {
    await start()
    await logIn()
    const r = await changePassword()
    assert.equal(r.statusCode, 200)
    assert.match(r.body, NOT_EMAILED)
    const activity = await browser.get('/account/audit')
    assert.match(activity.body, /<h1>Security activity<\/h1>/)
    assert.match(activity.body, /data-event="password\.changed"/)
    assert.doesNotMatch(activity.body, NOT_EMAILED)
    assert.doesNotMatch((await browser.get('/account/security')).body, NOT_EMAILED)
  })

  test('NT-2 with mail degraded the notice is still queued, and the page says it may not arrive', async () => {
    await start({ mail: true })
    await recordMailProbe(ctx, false, ctx.clock.now())
    await logIn()
    const r = await changePassword()
    assert.equal(r.statusCode, 200)
    assert.match(r.body, NOT_EMAILED)
    const queued = await ctx.db.kysely.selectFrom('mail_outbox').select('subject').execute()
    assert.deepEqual(queued, [{ subject: 'Vigil security notice' }])
  })

  test('NT-1 with mail healthy a change is e-mailed and the page has no banner', async () => {
    await start({ mail: true })
    await logIn()
    const r = await changePassword()
    assert.doesNotMatch(r.body, NOT_EMAILED)
    await sendDueMail(ctx)
    const [notice] = await sink!.waitFor(1)
    assert.match(notice.text, /Your password was changed\./)
  })

  // ---- AU-3: who sees which events -------------------------------------------------------------

  /** Alice invites Bob as manager and Carol as member; Dave is a stranger with his own project. */
  async function cast() {
    const project = await ctx.db.kysely
      .selectFrom('projects')
      .select(['id', 'code'])
      .where('owner_id', '=', alice.id)
      .executeTakeFirstOrThrow()
    for (const email of ['bob@example.org', 'carol@example.org'])
      await buildUser(ctx, email, PASSWORD)
    const dave = await buildProject(ctx, 'dave@example.org', 'Daves')
    await logIn()
    const team = `/projects/${project.code}/settings/team`
    for (const [email, role] of [
      ['bob@example.org', 'm'],
      ['carol@example.org', 'w'],
    ])
      assert.equal((await browser.submit(team, `${team}/invite`, { email, role })).statusCode, 200)
    const as = async (email: string) => {
      const client = new FormClient(app, ctx.clock)
      await client.submit('/login', '/login', { email, password: PASSWORD })
      return client
    }
    return { project, dave, as }
  }

  test("AU-3 the owner and managers see a project's events; members and strangers get 404", async () => {
    await start()
    const { project, dave, as } = await cast()
    // An event of another project must not show.
    await ctx.db.kysely
      .insertInto('security_events')
      .values({
        ts: ctx.clock.now(),
        actor_user_id: dave.owner.id,
        subject_user_id: dave.owner.id,
        project_id: dave.project.id,
        type: 'project.2fa_policy_changed',
        ip: '',
        ua_summary: '',
        session_ref: '',
        details: '{}',
      })
      .execute()
    const url = `/account/audit?project=${project.code}`
    for (const client of [browser, await as('bob@example.org')]) {
      const page = await client.get(url)
      assert.equal(page.statusCode, 200)
      assert.equal([...page.body.matchAll(/data-event="member\.invited"/g)].length, 2)
      assert.doesNotMatch(page.body, /project\.2fa_policy_changed/)
      assert.doesNotMatch(page.body, /data-event="login\.success"/)
    }
    assert.equal((await (await as('carol@example.org')).get(url)).statusCode, 404)
    assert.equal((await (await as('dave@example.org')).get(url)).statusCode, 404)
    assert.equal((await browser.get('/account/audit?project=not-a-uuid')).statusCode, 404)
  })

  test("AU-3 superusers see every account's events; others get 404", async () => {
    await start()
    const { as } = await cast()
    assert.equal((await browser.get('/account/audit?all=1')).statusCode, 404)
    await ctx.db.kysely
      .updateTable('users')
      .set({ is_superuser: 1 })
      .where('email', '=', 'dave@example.org')
      .execute()
    const page = await (await as('dave@example.org')).get('/account/audit?all=1')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Security activity – all accounts/)
    assert.match(page.body, new RegExp(`data-subject="${alice.id}"`))
    assert.match(page.body, /data-event="member\.invited"/)
    // Own list stays own: Alice's does not show Dave's log-in.
    const own = await browser.get('/account/audit')
    assert.doesNotMatch(own.body, /data-subject=/)
    assert.equal([...own.body.matchAll(/data-event="login\.success"/g)].length, 1)
  })

  // ---- AU-4: retention ---------------------------------------------------------------------------

  test('AU-4 the worker deletes audit events older than AUDIT_RETENTION_DAYS, keeps the rest', async () => {
    await start({ env: { AUDIT_RETENTION_DAYS: '30', WORKER_POLL_MS: '50' } })
    const now = ctx.clock.now()
    const row = (ts: number, type: string) => ({
      ts,
      actor_user_id: alice.id,
      subject_user_id: alice.id,
      type,
      ip: '',
      ua_summary: '',
      session_ref: '',
      details: '{}',
    })
    await ctx.db.kysely
      .insertInto('security_events')
      .values([
        row(now - 30 * DAY - SECOND, 'login.old'),
        row(now - 30 * DAY + SECOND, 'login.recent'),
      ])
      .execute()
    const worker = startWorker(ctx, { workerId: 'w-audit' })
    try {
      await worker.tick()
    } finally {
      await worker.stop()
    }
    const left = await ctx.db.kysely.selectFrom('security_events').select('type').execute()
    assert.deepEqual(left, [{ type: 'login.recent' }])
  })

  test('AU-4 AUDIT_RETENTION_DAYS defaults to 400 days', async () => {
    await start()
    assert.equal(ctx.config.accounts.auditRetentionDays, 400)
  })
})
