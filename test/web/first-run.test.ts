import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { sha256Hex } from '../../src/tokens.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { csrfFrom, FormClient } from './form-client.js'

const OWNER = {
  email: 'Owner@Example.org',
  password: 'long enough pw',
  password_confirm: 'long enough pw',
}

describeEachDatabase('web first run', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
  })
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  test('the home page offers to create the owner account while there is no user', async () => {
    const r = await browser.get('/')
    assert.equal(r.statusCode, 200)
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8')
    assert.match(r.body, /Create the owner account/)
    for (const field of ['email', 'password', 'password-confirm']) {
      assert.match(r.body, new RegExp(`<label for="${field}">`), `a label for ${field}`)
    }
    assert.ok(browser.cookies.has('vigil_csrf'), 'a pre-session CSRF cookie')
  })

  test('the first-run form creates a superuser, a first project with an email channel, and a session', async () => {
    const r = await browser.submit('/', '/', OWNER)
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/checks/')
    const users = await ctx.db.kysely.selectFrom('users').selectAll().execute()
    assert.equal(users.length, 1)
    assert.equal(users[0].email, 'owner@example.org')
    assert.equal(users[0].is_superuser, 1)
    const projects = await ctx.db.kysely.selectFrom('projects').selectAll().execute()
    assert.deepEqual(
      projects.map((p) => [p.name, p.owner_id]),
      [['My Project', users[0].id]],
    )
    const channels = await ctx.db.kysely.selectFrom('channels').select(['kind', 'value']).execute()
    assert.deepEqual(
      channels.map((c) => [c.kind, JSON.parse(c.value).value]),
      [['email', 'owner@example.org']],
    )

    const cookie = r.cookies.find((c) => c.name === 'hc_session')
    assert.ok(cookie, 'a session cookie')
    assert.equal(cookie.httpOnly, true)
    assert.equal(cookie.sameSite, 'Lax')
    assert.equal(cookie.path, '/')
    assert.equal(cookie.secure, undefined, 'no Secure flag on an http site')
    const session = await ctx.db.kysely.selectFrom('sessions').selectAll().executeTakeFirstOrThrow()
    assert.equal(session.id, sha256Hex(cookie.value), 'only the digest of the token is stored')
    assert.equal(session.user_id, users[0].id)

    const dashboard = await browser.get('/checks/')
    assert.equal(dashboard.statusCode, 200)
    assert.match(dashboard.body, /My Project/)
  })

  test('the first-run form is gone once a user exists, and a POST to it changes nothing', async () => {
    const page = await browser.get('/')
    await buildUser(ctx, 'first@example.org')
    const again = await browser.get('/')
    assert.equal(again.statusCode, 303)
    assert.equal(again.headers.location, '/login')
    const r = await browser.post('/', { ...OWNER, csrf: csrfFrom(page.body) })
    assert.equal(r.statusCode, 409)
    assert.match(r.body, /already has an owner account/)
    const users = await ctx.db.kysely.selectFrom('users').select('email').execute()
    assert.deepEqual(users, [{ email: 'first@example.org' }])
    assert.equal(
      r.cookies.find((c) => c.name === 'hc_session'),
      undefined,
    )
  })

  test('the first-run form refuses a missing or wrong CSRF token with 403 and creates nobody', async () => {
    await browser.get('/')
    const missing = await browser.post('/', OWNER)
    assert.equal(missing.statusCode, 403)
    assert.match(
      missing.body,
      /The form expired or came from another site; reload the page and try again\./,
    )
    const wrong = await browser.post('/', { ...OWNER, csrf: 'A'.repeat(43) })
    assert.equal(wrong.statusCode, 403)
    assert.equal((await ctx.db.kysely.selectFrom('users').select('id').execute()).length, 0)
  })

  test('a token from another browser does not fit this browser', async () => {
    const other = new FormClient(app, ctx.clock)
    const foreignToken = csrfFrom((await other.get('/')).body)
    await browser.get('/')
    const r = await browser.post('/', { ...OWNER, csrf: foreignToken })
    assert.equal(r.statusCode, 403)
  })

  test('two simultaneous first-run submissions create exactly one superuser', async () => {
    const other = new FormClient(app, ctx.clock)
    const [a, b] = await Promise.all([browser.get('/'), other.get('/')])
    const [ra, rb] = await Promise.all([
      browser.post('/', { ...OWNER, csrf: csrfFrom(a.body) }),
      other.post('/', { ...OWNER, email: 'second@example.org', csrf: csrfFrom(b.body) }),
    ])
    assert.deepEqual([ra.statusCode, rb.statusCode].sort(), [303, 409])
    const users = await ctx.db.kysely.selectFrom('users').select('is_superuser').execute()
    assert.deepEqual(users, [{ is_superuser: 1 }])
    assert.equal((await ctx.db.kysely.selectFrom('projects').select('id').execute()).length, 1)
  })

  test('mismatched passwords, a short password and a bad email re-show the form with a 400', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...OWNER, password_confirm: 'something else' }, /The two passwords differ\./],
      [{ ...OWNER, password: 'short', password_confirm: 'short' }, /at least 8 characters/],
      [{ ...OWNER, email: 'not-an-email' }, /Enter a valid email address\./],
    ]
    for (const [fields, message] of cases) {
      const r = await browser.submit('/', '/', fields)
      assert.equal(r.statusCode, 400)
      assert.match(r.body, message)
      assert.match(r.body, /Create the owner account/)
    }
    assert.equal((await ctx.db.kysely.selectFrom('users').select('id').execute()).length, 0)
  })
})

describeEachDatabase('web first run with PASSWORD_MIN_LENGTH=12', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient
  beforeEach(async () => {
    ctx = await createTestContext(dialect, { PASSWORD_MIN_LENGTH: '12' })
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
  })
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  test('LG-1 the page asks for the configured minimum and refuses 11 characters', async () => {
    const page = await browser.get('/')
    assert.match(page.body, /At least 12 characters; 15 or more is better\./)
    assert.equal(page.body.match(/minlength="12"/g)?.length, 2)
    assert.doesNotMatch(page.body, /At least 8 characters/)
    const r = await browser.post('/', {
      csrf: csrfFrom(page.body),
      email: 'owner@example.org',
      password: 'xkcd-horse1',
      password_confirm: 'xkcd-horse1',
    })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /The password needs at least 12 characters\./)
    assert.equal((await ctx.db.kysely.selectFrom('users').select('id').execute()).length, 0)
    const ok = await browser.submit('/', '/', {
      email: 'owner@example.org',
      password: 'xkcd-horse12',
      password_confirm: 'xkcd-horse12',
    })
    assert.equal(ok.statusCode, 303)
  })
})
