/**
 * T-34 (spec AU-1/AU-2): each audit event type is written by the flow that causes it. One user
 * (Alice) clicks through the pages in order, a row of the table per event type; each row drives
 * its flow and then finds a new `security_events` row of that type about the right account, with
 * details that hold no secrets. AU-3's own-events view is checked at the end.
 * Written elsewhere, not here: webauthn.added/removed/counter_regression (account-keys.test.ts),
 * ratelimit.blocked (T-16 in acceptance-accounts.test.ts), apikey.* and project.transfer_*
 * (project-settings.test.ts).
 */
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { totpCodeAt } from '../../src/accounts/factors/totp/totp.js'
import { createSession, sessionCookieName } from '../../src/accounts/sessions/sessions.js'
import { createUser } from '../../src/accounts/users/create-user.js'
import type { Project, User } from '../../src/db/index.js'
import { type BuiltProject, buildProject } from '../helpers/builders.js'
import { databaseEnv, runVigil } from '../helpers/cli.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js'
import { csrfFrom, FormClient } from './form-client.js'

const MINUTE = 60_000

describeEachDatabase('T-34 audit events by flow', (dialect) => {
  let sink: SmtpSink
  let ctx: TestContext
  let app: FastifyInstance
  let alice: FormClient
  let aliceUser: User
  let built: BuiltProject
  let spare: Project
  let password = 'correct horse battery'
  let email = 'alice@example.org'
  let secret = ''
  let recoveryCodes: string[] = []
  let lastTotpCode = ''
  let bobId = 0
  let linkOnlyId = 0

  before(async () => {
    sink = await startSmtpSink()
    ctx = await createTestContext(dialect, sink.env)
    app = await testApp(ctx)
    built = await buildProject(ctx, email, 'Backups')
    aliceUser = built.owner
    spare = (await buildProject(ctx, email, 'Spare')).project
    alice = new FormClient(app, ctx.clock)
  })
  after(async () => {
    await releaseApp(app)
    await ctx.drop()
    await sink.close()
  })

  const fresh = () => new FormClient(app, ctx.clock)
  const logIn = (client: FormClient, pw = password) =>
    client.submit('/login', '/login', { email, password: pw })

  /** A TOTP code of a step not used before (the replay guard refuses a step twice). */
  function nextTotpCode(): string {
    ctx.clock.advance(30_000)
    lastTotpCode = totpCodeAt(secret, ctx.clock.now())
    return lastTotpCode
  }

  /** Opens `next`; when it asks for confirmation, confirms with the strongest factor Alice has. */
  async function withSudo(next: string): Promise<void> {
    const open = await alice.get(next)
    if (open.statusCode !== 303 || !String(open.headers.location).startsWith('/account/confirm'))
      return
    const r = await alice.submit(open.headers.location as string, '/account/confirm', {
      next,
      ...(secret
        ? { method: 'totp', value: nextTotpCode() }
        : { method: 'password', value: password }),
    })
    assert.equal(r.statusCode, 303, `confirming for ${next}: ${r.body.slice(0, 300)}`)
  }

  const team = () => `/projects/${built.project.code}/settings/team`

  /** Runs `vigil user …` as an operator would, on this database; it must succeed. */
  async function vigilUser(...args: string[]) {
    const run = await runVigil(databaseEnv(ctx.config.db), 'user', ...args)
    assert.equal(run.code, 0, run.err)
    return run
  }

  /** A row whose flow is the operator command `vigil user <command> <Alice's address>`. */
  const operatorRow = (type: string, command: string) => ({
    type,
    subject: () => aliceUser.id,
    flow: async () => {
      await vigilUser(command, email)
      return undefined
    },
  })

  /**
   * The table: event type, the subject it must name, and the flow that writes it, in the order
   * one user would meet them.
   */
  const ROWS: {
    type: string
    subject: () => number
    flow: () => Promise<LightMyRequestResponse | undefined>
    status?: number
  }[] = [
    {
      type: 'login.failure',
      subject: () => aliceUser.id,
      status: 200,
      flow: () => logIn(fresh(), 'not the password'),
    },
    { type: 'login.success', subject: () => aliceUser.id, status: 303, flow: () => logIn(alice) },
    {
      type: 'session.revoked',
      subject: () => aliceUser.id,
      status: 303,
      flow: async () => {
        await logIn(fresh())
        await withSudo('/account/sessions')
        return alice.submit('/account/sessions', '/account/sessions/revoke-others', {})
      },
    },
    {
      type: 'reauth.failure',
      subject: () => aliceUser.id,
      status: 400,
      flow: () => {
        ctx.clock.advance(31 * MINUTE)
        return alice.submit('/account/confirm?next=%2Faccount%2Fpassword', '/account/confirm', {
          next: '/account/password',
          method: 'password',
          value: 'not the password',
        })
      },
    },
    {
      type: 'reauth.success',
      subject: () => aliceUser.id,
      status: 303,
      flow: () =>
        alice.submit('/account/confirm?next=%2Faccount%2Fpassword', '/account/confirm', {
          next: '/account/password',
          method: 'password',
          value: password,
        }),
    },
    {
      type: 'password.changed',
      subject: () => aliceUser.id,
      status: 200,
      flow: async () => {
        const r = await alice.submit('/account/password', '/account/password', {
          current: password,
          password: 'another horse battery',
        })
        password = 'another horse battery'
        return r
      },
    },
    {
      type: 'email.change_requested',
      subject: () => aliceUser.id,
      status: 200,
      flow: async () => {
        await withSudo('/account/email')
        return alice.submit('/account/email', '/account/email', { email: 'alice.new@example.org' })
      },
    },
    {
      type: 'email.changed',
      subject: () => aliceUser.id,
      status: 200,
      flow: async () => {
        const mail = await ctx.db.kysely
          .selectFrom('mail_outbox')
          .select('text_body')
          .where('to_addr', '=', 'alice.new@example.org')
          .executeTakeFirstOrThrow()
        const path = /http:\/\/localhost:8000(\/account\/email\/confirm\?token=[\w-]+)/.exec(
          mail.text_body,
        )?.[1]
        assert.ok(path, mail.text_body)
        const r = await alice.get(path)
        email = 'alice.new@example.org'
        return r
      },
    },
    {
      type: 'totp.enabled',
      subject: () => aliceUser.id,
      status: 200,
      flow: async () => {
        await withSudo('/account/totp')
        const page = await alice.get('/account/totp')
        const s = /data-totp-secret="([A-Z2-7]+)"/.exec(page.body)?.[1]
        assert.ok(s)
        const r = await alice.post('/account/totp', {
          csrf: csrfFrom(page.body),
          code: totpCodeAt(s, ctx.clock.now()),
        })
        secret = s
        return r
      },
    },
    {
      type: 'recovery_codes.generated',
      subject: () => aliceUser.id,
      status: 200,
      flow: async () => {
        await withSudo('/account/recovery-codes')
        const r = await alice.submit('/account/recovery-codes', '/account/recovery-codes', {})
        recoveryCodes = [...r.body.matchAll(/\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b/g)].map(
          (m) => m[0],
        )
        assert.ok(recoveryCodes.length >= 10)
        return r
      },
    },
    {
      type: 'login.2fa_failure',
      subject: () => aliceUser.id,
      status: 400,
      flow: async () => {
        const c = fresh()
        await logIn(c)
        const wrong = nextTotpCode() === '000000' ? '111111' : '000000'
        return c.submit('/login/second-step', '/login/second-step', { method: 'totp', code: wrong })
      },
    },
    {
      type: 'login.2fa_success',
      subject: () => aliceUser.id,
      status: 303,
      flow: async () => {
        const c = fresh()
        await logIn(c)
        return c.submit('/login/second-step', '/login/second-step', {
          method: 'totp',
          code: nextTotpCode(),
        })
      },
    },
    {
      type: 'totp.replay_rejected',
      subject: () => aliceUser.id,
      status: 400,
      flow: async () => {
        const c = fresh()
        await logIn(c)
        return c.submit('/login/second-step', '/login/second-step', {
          method: 'totp',
          code: lastTotpCode,
        })
      },
    },
    {
      type: 'recovery_code.used',
      subject: () => aliceUser.id,
      status: 303,
      flow: async () => {
        const c = fresh()
        await logIn(c)
        return c.submit('/login/second-step', '/login/second-step', {
          method: 'recovery_code',
          code: recoveryCodes[0],
        })
      },
    },
    {
      type: 'reauth.downgrade_blocked',
      subject: () => aliceUser.id,
      status: 403,
      flow: async () => {
        // A session begun with the password only, its grant expired, tries to remove the app.
        const { token } = await createSession(ctx, aliceUser.id, { amr: ['password'] })
        const c = fresh()
        c.cookies.set(sessionCookieName(ctx.config), token)
        ctx.clock.advance(31 * MINUTE)
        return c.submit('/account/confirm?next=%2Faccount%2Ftotp%2Fremove', '/account/confirm', {
          next: '/account/totp/remove',
          method: 'password',
          value: password,
        })
      },
    },
    {
      type: 'reauth.channel_unavailable',
      subject: () => linkOnlyId,
      status: 200,
      flow: async () => {
        const r = await createUser(ctx, { email: 'link@example.org', password: null })
        assert.ok(r.ok)
        linkOnlyId = r.value.id
        const { token } = await createSession(ctx, r.value.id, { amr: ['link'] })
        const c = fresh()
        c.cookies.set(sessionCookieName(ctx.config), token)
        ctx.clock.advance(31 * MINUTE)
        sink.reject(550, 'No such mailbox')
        try {
          return await c.submit(
            '/account/confirm?next=%2Faccount%2Fpassword',
            '/account/confirm/send-code',
            { next: '/account/password' },
          )
        } finally {
          sink.reject(null)
        }
      },
    },
    {
      type: 'member.invited',
      subject: () => bobId,
      status: 200,
      flow: async () => {
        // SEC-F1: an invitation adds an existing account (a new address gets a sign-up link).
        assert.ok((await createUser(ctx, { email: 'bob@example.org', password: null })).ok)
        const r = await alice.submit(team(), `${team()}/invite`, {
          email: 'bob@example.org',
          role: 'w',
        })
        const bob = await ctx.db.kysely
          .selectFrom('users')
          .select('id')
          .where('email', '=', 'bob@example.org')
          .executeTakeFirstOrThrow()
        bobId = Number(bob.id)
        return r
      },
    },
    {
      type: 'member.role_changed',
      subject: () => bobId,
      status: 303,
      flow: () => alice.submit(team(), `${team()}/role`, { user: String(bobId), role: 'r' }),
    },
    {
      type: 'member.removed',
      subject: () => bobId,
      status: 303,
      flow: () => alice.submit(team(), `${team()}/remove`, { user: String(bobId) }),
    },
    {
      type: 'project.2fa_policy_changed',
      subject: () => aliceUser.id,
      flow: async () => {
        const settings = `/projects/${built.project.code}/settings/`
        await withSudo(`/projects/${built.project.code}/settings/require-2fa`)
        return alice.submit(settings, `/projects/${built.project.code}/settings/require-2fa`, {})
      },
    },
    {
      type: 'project.deleted',
      subject: () => aliceUser.id,
      flow: async () => {
        const settings = `/projects/${spare.code}/settings/`
        await withSudo(`/projects/${spare.code}/settings/delete`)
        return alice.submit(settings, `/projects/${spare.code}/settings/delete`, {
          confirm_name: 'Spare',
        })
      },
    },
    {
      type: 'totp.disabled',
      subject: () => aliceUser.id,
      status: 200,
      flow: async () => {
        await withSudo('/account/totp/remove')
        return alice.submit('/account/totp/remove', '/account/totp/remove', {})
      },
    },
    {
      type: 'logout',
      subject: () => aliceUser.id,
      status: 303,
      flow: async () => {
        const c = fresh()
        await logIn(c)
        return c.submit('/account/security', '/logout', {})
      },
    },
    operatorRow('admin.login_link_issued', 'login-link'),
    operatorRow('admin.2fa_reset', 'reset-2fa'),
    {
      type: 'account.closed',
      subject: () => aliceUser.id,
      status: 200,
      flow: async () => {
        await logIn(alice)
        await withSudo('/account/close')
        return alice.submit('/account/close', '/account/close', { email })
      },
    },
  ]

  for (const row of ROWS) {
    test(`T-34 ${row.type} is written by its flow`, async () => {
      const k = ctx.db.kysely
      const count = async () =>
        (await k.selectFrom('security_events').select('id').where('type', '=', row.type).execute())
          .length
      const before = await count()
      const r = await row.flow()
      if (r && row.status !== undefined)
        assert.equal(r.statusCode, row.status, r.body.slice(0, 400))
      assert.equal(r ? r.statusCode < 500 : true, true)
      assert.equal(await count(), before + 1, `one new ${row.type} row`)
      const event = await k
        .selectFrom('security_events')
        .selectAll()
        .where('type', '=', row.type)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
      assert.equal(Number(event.subject_user_id), row.subject())
      // AU-1: details are JSON and never hold a secret.
      const details = JSON.parse(event.details) as Record<string, unknown>
      assert.equal(typeof details, 'object')
      for (const secretText of [password, 'correct horse battery', secret, ...recoveryCodes])
        if (secretText) assert.ok(!event.details.includes(secretText), 'a secret in details')
    })
  }

  test('AU-3 a user sees their own events on Security activity, not another user’s', async () => {
    // Alice is gone by now; Bob, invited above, logs in with a one-time link and reads his list.
    const run = await vigilUser('login-link', 'bob@example.org')
    const path = /http:\/\/localhost:8000(\/login\/link\?token=[\w-]+)/.exec(run.out)?.[1]
    assert.ok(path, run.out)
    const bob = fresh()
    const page = await bob.get(path)
    const token = /name="token" value="([^"]+)"/.exec(page.body)?.[1] as string
    assert.equal(
      (await bob.post('/login/link', { csrf: csrfFrom(page.body), token })).statusCode,
      303,
    )
    const list = await bob.get('/account/audit')
    assert.equal(list.statusCode, 200)
    assert.match(list.body, /data-event="member\.invited"/)
    assert.match(list.body, /data-event="member\.removed"/)
    assert.doesNotMatch(list.body, /data-event="password\.changed"/)
    assert.doesNotMatch(list.body, /data-event="account\.closed"/)
  })
})
