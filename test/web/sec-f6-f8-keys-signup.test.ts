/**
 * Issue #11 F6 (read-only members saw the project's ping key) and F8 (password sign-up told
 * existing addresses apart from new ones).
 */
import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { sendDueMail } from '../../src/mail/index.js'
import { type BuiltProject, buildCheck, buildProject, buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js'
import { csrfFrom, FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'

describeEachDatabase('SEC-F6 and SEC-F8', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let sink: SmtpSink | null = null

  async function start(env: Record<string, string> = {}) {
    ctx = await createTestContext(dialect, env)
    app = await testApp(ctx)
  }
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
    await sink?.close()
    sink = null
  })

  async function logIn(email: string) {
    const client = new FormClient(app, ctx.clock)
    const r = await client.submit('/login', '/login', { email, password: PASSWORD })
    assert.equal(r.statusCode, 303)
    return client
  }

  async function teamWithReadOnlyBob(): Promise<BuiltProject> {
    const built = await buildProject(ctx, 'alice@example.org')
    const bob = await buildUser(ctx, 'bob@example.org', PASSWORD)
    await ctx.db.kysely
      .insertInto('members')
      .values({ project_id: built.project.id, user_id: bob.id, role: 'r', created: 0 })
      .execute()
    return built
  }

  test('SEC-F6 a read-only member sees neither API keys nor the ping key, and is told they are hidden', async () => {
    await start()
    const { project } = await teamWithReadOnlyBob()
    assert.ok(project.ping_key, 'the project has a ping key')
    const settings = `/projects/${project.code}/settings/`
    const bob = await logIn('bob@example.org')
    const page = await bob.get(settings)
    assert.equal(page.statusCode, 200)
    assert.ok(!page.body.includes(project.ping_key), 'no ping key on the settings page')
    assert.match(page.body, /API keys are hidden for read-only members\./)
    assert.match(page.body, /The ping key is hidden for read-only members\./)
    assert.doesNotMatch(page.body, /<dd>none<\/dd>/, 'keys exist: the page must not say none')
    assert.doesNotMatch(page.body, /data-key-kind=/)

    const owner = await (await logIn('alice@example.org')).get(settings)
    assert.ok(owner.body.includes(project.ping_key), 'the owner still sees it')
    assert.match(owner.body, /data-key-kind="rw"/)
  })

  test('SEC-F6 the ping key is not on a read-only member’s check page or empty dashboard', async () => {
    await start()
    const { project } = await teamWithReadOnlyBob()
    const bob = await logIn('bob@example.org')
    const empty = await bob.get(`/projects/${project.code}/checks/`)
    assert.equal(empty.statusCode, 200)
    assert.ok(!empty.body.includes(project.ping_key as string), 'no ?create=1 example')
    const check = await buildCheck(ctx, project, { name: 'backup', slug: 'backup' })
    const details = await bob.get(`/checks/${check.code}/details/`)
    assert.equal(details.statusCode, 200)
    assert.ok(!details.body.includes(project.ping_key as string), 'no slug URL')
    assert.match(details.body, /Slug URLs are hidden for read-only members/)
    assert.ok(details.body.includes(check.code), 'the UUID URL is still shown')
    const alice = await logIn('alice@example.org')
    const own = await alice.get(`/checks/${check.code}/details/`)
    assert.ok(own.body.includes(`${project.ping_key}/backup`))
  })

  test('SEC-F8 password sign-up answers an existing address exactly as a new one, mails its owner and changes nothing', async () => {
    sink = await startSmtpSink()
    await start({ ...sink.env, SIGNUP_WITH_PASSWORD: 'True' })
    const owner = await buildUser(ctx, 'owner@example.org', PASSWORD)
    const signUp = async (email: string) => {
      const visitor = new FormClient(app, ctx.clock)
      const page = await visitor.get('/signup')
      const r = await visitor.post('/signup', {
        csrf: csrfFrom(page.body),
        email,
        password: 'another long passphrase',
      })
      // The page differs only in its CSRF token and the address typed in.
      const body = r.body.replace(/name="csrf" value="[^"]+"/g, '').replaceAll(email, 'EMAIL')
      return { status: r.statusCode, body, cookies: r.cookies.map((c) => c.name).sort(), visitor }
    }
    const fresh = await signUp('new@example.org')
    const taken = await signUp('owner@example.org')
    assert.equal(taken.status, fresh.status)
    assert.equal(taken.body, fresh.body)
    assert.deepEqual(taken.cookies, fresh.cookies)
    assert.equal(fresh.status, 200)
    assert.equal((await fresh.visitor.get('/account/security')).statusCode, 303, 'not logged in')

    const after = await ctx.db.kysely
      .selectFrom('users')
      .select(['password_hash', 'email_verified'])
      .where('id', '=', owner.id)
      .executeTakeFirstOrThrow()
    assert.equal(after.password_hash, owner.password_hash, 'the existing account is unchanged')
    await sendDueMail(ctx)
    const [mail] = await sink.waitFor(1)
    assert.deepEqual(mail.envelopeTo, ['owner@example.org'])
    assert.match(mail.text, /already has an account/)
    assert.equal(sink.messages.length, 1, 'the new address got nothing')
    // The new account works with the password chosen.
    const fresher = new FormClient(app, ctx.clock)
    const r = await fresher.submit('/login', '/login', {
      email: 'new@example.org',
      password: 'another long passphrase',
    })
    assert.equal(r.statusCode, 303)
  })
})
