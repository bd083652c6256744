import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { setProjectTwoFactor } from '../../src/projects/members.js'
import { projectAccess } from '../../src/projects/project-access.js'
import { type BuiltProject, buildProject, buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { csrfFrom, FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'
const META = { ip: '127.0.0.1', userAgent: 'test' }

describeEachDatabase('project teams', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let alice: FormClient
  let built: BuiltProject
  let team: string
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    app = await testApp(ctx)
    built = await buildProject(ctx, 'alice@example.org')
    alice = new FormClient(app, ctx.clock)
    await alice.submit('/login', '/login', { email: 'alice@example.org', password: PASSWORD })
    team = `/projects/${built.project.code}/settings/team`
  })
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  async function invite(email: string, role = 'w', client = alice) {
    const page = await client.get(team)
    return client.post(`${team}/invite`, { csrf: csrfFrom(page.body), email, role })
  }

  async function logInAs(email: string) {
    const client = new FormClient(app, ctx.clock)
    await client.submit('/login', '/login', { email, password: PASSWORD })
    return client
  }

  test('T-26 an invite of a new address with mail unconfigured shows a one-time sign-up link and creates no account yet', async () => {
    const r = await invite('bob@example.org')
    assert.equal(r.statusCode, 200)
    assert.match(
      r.body,
      /bob@example.org has no account yet, and we couldn(&#x27;|')t email them because this server can(&#x27;|')t send email/,
    )
    assert.match(
      r.body,
      /data-invite-link="true">http:\/\/localhost:8000\/signup\/invitation\?token=/,
    )
    const bob = await ctx.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'bob@example.org')
      .executeTakeFirst()
    assert.equal(bob, undefined, 'the link creates the account when it is used')
    assert.match(
      (await alice.get(team)).body,
      /Invited, no account yet: <span>bob@example.org \(Member, link valid until /,
    )
    const audit = await ctx.db.kysely
      .selectFrom('security_events')
      .select('type')
      .where('type', '=', 'member.invited')
      .execute()
    assert.equal(audit.length, 1)
  })

  test('TEAM-1 a member opens the project dashboard; a stranger gets 404', async () => {
    await buildUser(ctx, 'bob@example.org', PASSWORD)
    await buildUser(ctx, 'charlie@example.org', PASSWORD)
    await invite('bob@example.org', 'r')
    const bob = await logInAs('bob@example.org')
    assert.equal((await bob.get(`/projects/${built.project.code}/checks/`)).statusCode, 200)
    const charlie = await logInAs('charlie@example.org')
    assert.equal((await charlie.get(`/projects/${built.project.code}/checks/`)).statusCode, 404)
    assert.equal((await charlie.get(team)).statusCode, 404)
  })

  test('TEAM-1 a read-only member cannot invite; a manager can; roles change and members go', async () => {
    await buildUser(ctx, 'bob@example.org', PASSWORD)
    await buildUser(ctx, 'mia@example.org', PASSWORD)
    await invite('bob@example.org', 'r')
    await invite('mia@example.org', 'm')
    const bob = await logInAs('bob@example.org')
    const page = await bob.get(team)
    assert.doesNotMatch(page.body, /Invite a member/)
    const refused = await bob.post(`${team}/invite`, {
      csrf: csrfFrom(page.body),
      email: 'x@example.org',
      role: 'w',
    })
    // The access guard refuses it (every write by a read-only member is 403, SEC-F2).
    assert.equal(refused.statusCode, 403)
    assert.match(refused.body, /Only the owner and managers/)
    const mia = await logInAs('mia@example.org')
    assert.equal((await invite('carol@example.org', 'w', mia)).statusCode, 200)
    const bobId = (
      await ctx.db.kysely
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'bob@example.org')
        .executeTakeFirstOrThrow()
    ).id
    const csrf = csrfFrom((await alice.get(team)).body)
    assert.equal(
      (await alice.post(`${team}/role`, { csrf, user: String(bobId), role: 'm' })).statusCode,
      303,
    )
    assert.equal(await projectAccess(ctx, bobId, built.project.code), 'm')
    assert.equal(
      (await alice.post(`${team}/remove`, { csrf, user: String(bobId) })).statusCode,
      303,
    )
    assert.equal(await projectAccess(ctx, bobId, built.project.code), null)
  })

  test('RL-I1 the 21st invitation within 24 hours is refused with 429', async () => {
    for (let i = 0; i < 20; i++) assert.equal((await invite(`u${i}@example.org`)).statusCode, 200)
    const r = await invite('u20@example.org')
    assert.equal(r.statusCode, 429)
    ctx.clock.advance(24 * 3_600_000 + 1000)
    assert.equal((await invite('u20@example.org')).statusCode, 200)
  })

  test('T-25 a project requiring 2FA answers 403 with a set-up link to a member without 2FA; their API key still works', async () => {
    await buildUser(ctx, 'bob@example.org', PASSWORD)
    await invite('bob@example.org', 'w')
    // The owner needs 2FA to turn the policy on.
    const refused = await setProjectTwoFactor(ctx, {
      project: built.project,
      actor: built.owner,
      required: true,
      meta: META,
    })
    assert.equal(refused.ok, false)
    await ctx.db.kysely
      .insertInto('user_totp')
      .values({ user_id: built.owner.id, secret: 'x', last_step: null, created: 0 })
      .execute()
    const set = await setProjectTwoFactor(ctx, {
      project: built.project,
      actor: built.owner,
      required: true,
      meta: META,
    })
    assert.ok(set.ok)
    const bob = await logInAs('bob@example.org')
    const r = await bob.get(`/projects/${built.project.code}/checks/`)
    assert.equal(r.statusCode, 403)
    assert.match(r.body, /This project requires two-factor authentication\./)
    assert.match(r.body, /href="\/account\/security">Set up 2FA/)
    const api = await app.inject({
      method: 'GET',
      url: '/api/v3/checks/',
      headers: { 'x-api-key': built.apiKey },
    })
    assert.equal(api.statusCode, 200)
  })
})
