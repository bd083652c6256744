/**
 * Issue #11 F1 (account takeover through team invitations): an invitation never yields a
 * credential for an existing account, a sign-up link only ever creates a new account, no sign-in
 * link grants sudo, and an anonymous visitor cannot degrade the mail status.
 */
import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { issueLoginLink } from '../../src/accounts/login/login-links.js'
import { createSession } from '../../src/accounts/sessions/sessions.js'
import { sendDueMail } from '../../src/mail/index.js'
import { mailStatus, recordMailProbe } from '../../src/mail/mail-status.js'
import { projectAccess } from '../../src/projects/project-access.js'
import { type BuiltProject, buildProject, buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js'
import { csrfFrom, FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'
const NEW_PASSWORD = 'a brand new long passphrase'

describeEachDatabase('SEC-F1 invitations and sign-in links', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let alice: FormClient
  let built: BuiltProject
  let team: string
  let sink: SmtpSink | null = null

  async function start(env: Record<string, string> = {}) {
    ctx = await createTestContext(dialect, env)
    app = await testApp(ctx)
    built = await buildProject(ctx, 'alice@example.org')
    alice = new FormClient(app, ctx.clock)
    await alice.submit('/login', '/login', { email: 'alice@example.org', password: PASSWORD })
    team = `/projects/${built.project.code}/settings/team`
  }
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
    await sink?.close()
    sink = null
  })

  async function invite(email: string, role = 'w') {
    const page = await alice.get(team)
    return alice.post(`${team}/invite`, { csrf: csrfFrom(page.body), email, role })
  }

  const count = async (table: 'login_links' | 'invitation_signups') =>
    Number(
      (
        await ctx.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  /** The path of the one-time link shown on a team page, if any. */
  const shownLink = (body: string) =>
    /data-invite-link="true">http:\/\/localhost:8000([^<]+)</.exec(body)?.[1] ?? null

  async function assertAddedWithoutLink(r: { statusCode: number; body: string }, id: number) {
    assert.equal(r.statusCode, 200)
    assert.equal(shownLink(r.body), null, 'no link is shown to the inviter')
    assert.doesNotMatch(r.body, /\/login\/link\?token=|\/signup\/invitation\?token=/)
    assert.equal(await count('login_links'), 0, 'no sign-in link exists for the account')
    assert.equal(await count('invitation_signups'), 0)
    assert.equal(await projectAccess(ctx, id, built.project.code), 'w', 'added directly')
  }

  test('SEC-F1 inviting an existing user with mail unconfigured adds them and shows no link for their account', async () => {
    await start()
    const bob = await buildUser(ctx, 'bob@example.org', PASSWORD)
    const r = await invite('Bob@Example.org')
    await assertAddedWithoutLink(r, bob.id)
    assert.match(r.body, /bob@example.org was added to Alices Project\./)
    assert.match(r.body, /sign in with their own account at http:\/\/localhost:8000\/login/)
    // T-26: the operator's way in for an account without a password is named, not handed out.
    assert.match(r.body, /`vigil user login-link bob@example.org`/)
  })

  test('SEC-F1 inviting an existing superuser with mail degraded shows no link; a notice (no link) is queued', async () => {
    sink = await startSmtpSink()
    await start(sink.env)
    const root = await buildUser(ctx, 'root@example.org', PASSWORD)
    await ctx.db.kysely
      .updateTable('users')
      .set({ is_superuser: 1 })
      .where('id', '=', root.id)
      .execute()
    await recordMailProbe(ctx, false, ctx.clock.now())
    assert.equal(await mailStatus(ctx), 'degraded')
    await assertAddedWithoutLink(await invite('root@example.org'), root.id)
    const queued = await ctx.db.kysely.selectFrom('mail_outbox').selectAll().execute()
    assert.equal(queued.length, 1)
    assert.equal(queued[0].to_addr, 'root@example.org')
    assert.doesNotMatch(queued[0].text_body, /token=/, 'the notice carries no credential')
  })

  test('SEC-F1 a new address gets a sign-up link that creates a new account, signed in without sudo', async () => {
    await start()
    const r = await invite('carol@example.org', 'r')
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /carol@example.org has no account yet/)
    const path = shownLink(r.body) ?? ''
    assert.ok(path.startsWith('/signup/invitation?token='), `sign-up link shown: ${path}`)
    const users = () => ctx.db.kysely.selectFrom('users').select('email').orderBy('id').execute()
    assert.equal((await users()).length, 1, 'no account exists before the link is used')

    const carol = new FormClient(app, ctx.clock)
    const page = await carol.get(path)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /creates a new account for <strong>carol@example.org<\/strong>/)
    const token = /name="token" value="([^"]+)"/.exec(page.body)?.[1] as string
    const weak = await carol.post('/signup/invitation', {
      csrf: csrfFrom(page.body),
      token,
      password: 'short',
    })
    assert.equal(weak.statusCode, 400, 'a refused password keeps the link usable')
    const done = await carol.post('/signup/invitation', {
      csrf: csrfFrom(page.body),
      token,
      password: NEW_PASSWORD,
    })
    assert.equal(done.statusCode, 303)
    assert.equal(done.headers.location, `/projects/${built.project.code}/checks/`)
    const user = await ctx.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'carol@example.org')
      .executeTakeFirstOrThrow()
    assert.equal(await projectAccess(ctx, user.id, built.project.code), 'r')
    assert.equal(user.email_verified, 0, 'a handed-over link proves nothing about the address')
    const events = await ctx.db.kysely
      .selectFrom('security_events')
      .select(['type', 'project_id', 'session_ref', 'details'])
      .where('subject_user_id', '=', user.id)
      .orderBy('id')
      .execute()
    assert.deepEqual(
      events.map((e) => [e.type, JSON.parse(e.details).method ?? null]),
      [
        ['account.created', null],
        ['login.success', 'invitation'],
      ],
    )
    assert.equal(events[0].project_id, built.project.id)
    assert.notEqual(events[1].session_ref, '', 'the log-in names its session')
    assert.equal((await carol.get(`/projects/${built.project.code}/checks/`)).statusCode, 200)
    const guarded = await carol.get('/account/password')
    assert.equal(guarded.statusCode, 303, 'no sudo from a link')
    assert.match(String(guarded.headers.location), /^\/account\/confirm/)
    // Single use.
    const again = await new FormClient(app, ctx.clock).get(path)
    assert.equal(again.statusCode, 400)
  })

  test('SEC-F1 a sign-up link is refused once the address has an account, and logs no one in', async () => {
    await start()
    const path = shownLink((await invite('dave@example.org')).body) as string
    assert.ok(path)
    // Dave signs up by another route (or the operator creates him) before the link is used.
    const dave = await buildUser(ctx, 'dave@example.org', PASSWORD)
    const attacker = new FormClient(app, ctx.clock)
    const page = await attacker.get(path)
    assert.equal(page.statusCode, 400)
    assert.match(page.body, /An account with this address exists already/)
    const token = new URLSearchParams(path.split('?')[1]).get('token') as string
    const r = await attacker.post('/signup/invitation', {
      csrf: csrfFrom((await attacker.get('/login')).body),
      token,
      password: NEW_PASSWORD,
    })
    assert.equal(r.statusCode, 400)
    assert.equal(r.headers['set-cookie'], undefined, 'no session cookie')
    assert.equal((await attacker.get('/account/security')).statusCode, 303, 'not logged in')
    assert.equal(await projectAccess(ctx, dave.id, built.project.code), null)
    const row = await ctx.db.kysely
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', dave.id)
      .executeTakeFirstOrThrow()
    assert.equal(row.password_hash, dave.password_hash, 'the account is unchanged')
  })

  test('SEC-F1 a session from an operator sign-in link has no sudo: protected pages ask to confirm', async () => {
    await start()
    const bob = await buildUser(ctx, 'bob@example.org', PASSWORD)
    const url = await issueLoginLink(ctx, bob, 15 * 60_000)
    const client = new FormClient(app, ctx.clock)
    const page = await client.get(url.replace('http://localhost:8000', ''))
    const token = /name="token" value="([^"]+)"/.exec(page.body)?.[1] as string
    const r = await client.post('/login/link', { csrf: csrfFrom(page.body), token })
    assert.equal(r.statusCode, 303)
    for (const path of ['/account/password', '/account/totp', '/account/keys']) {
      const guarded = await client.get(path)
      assert.equal(guarded.statusCode, 303, path)
      assert.match(String(guarded.headers.location), /^\/account\/confirm\?next=/, path)
    }
    const session = await ctx.db.kysely
      .selectFrom('sessions')
      .select(['reauth_at', 'amr'])
      .where('user_id', '=', bob.id)
      .executeTakeFirstOrThrow()
    assert.equal(session.amr, 'link')
    assert.equal(session.reauth_at, null)
  })

  test('SEC-F1 any session begun with a link starts without sudo, also with a second factor; others keep it', async () => {
    await start()
    const bob = await buildUser(ctx, 'bob@example.org', PASSWORD)
    for (const amr of [['link'], ['link', 'totp'], ['link', 'webauthn']]) {
      const { session } = await createSession(ctx, bob.id, { amr })
      assert.equal(session.reauth_at, null, amr.join('+'))
      assert.equal(session.reauth_method, null, amr.join('+'))
    }
    const { session } = await createSession(ctx, bob.id, { amr: ['password', 'totp'] })
    assert.equal(session.reauth_at, ctx.clock.now())
  })

  test('SEC-F1 an anonymous sign-up to an address the relay refuses does not degrade mail, so invites stay link-free', async () => {
    sink = await startSmtpSink()
    await start(sink.env)
    sink.refuseRecipient('refused@example.org')
    await recordMailProbe(ctx, true, ctx.clock.now())
    ctx.clock.advance(1000)
    const visitor = new FormClient(app, ctx.clock)
    for (const email of ['refused@example.org', 'Refused@example.org']) {
      const page = await visitor.get('/signup')
      const r = await visitor.post('/signup', { csrf: csrfFrom(page.body), email })
      assert.equal(r.statusCode, 200)
      assert.match(r.body, /We couldn't send the sign-in email/)
      ctx.clock.advance(1000)
    }
    assert.equal(await mailStatus(ctx), 'healthy')

    // Neither does queued mail to an address someone typed (an invitation of a new address).
    sink.refuseRecipient('nobody@example.org')
    assert.equal((await invite('nobody@example.org')).statusCode, 200)
    await sendDueMail(ctx)
    assert.equal(await mailStatus(ctx), 'healthy')

    // A send to a verified address still counts.
    sink.refuseRecipient('alice@example.org')
    const login = await visitor.get('/login')
    await visitor.post('/login/email', { csrf: csrfFrom(login.body), email: 'alice@example.org' })
    assert.equal(await mailStatus(ctx), 'degraded')
  })
})
