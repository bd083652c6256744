import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { csrfFrom, FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'
const CSRF_TEXT = /The form expired or came from another site; reload the page and try again\./

describeEachDatabase('web CSRF, headers and error pages', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient
  beforeEach(async () => {
    ctx = await createTestContext(dialect, { SITE_ROOT: 'https://vigil.example.org' })
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
    await buildUser(ctx, 'alice@example.org', PASSWORD)
  })
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  const logIn = async () => {
    const r = await browser.submit('/login', '/login', {
      email: 'alice@example.org',
      password: PASSWORD,
    })
    assert.equal(r.statusCode, 303)
  }
  const sessionCount = async () =>
    (await ctx.db.kysely.selectFrom('sessions').select('id').execute()).length

  test('a POST without a CSRF token is refused with 403 and the form-expired page', async () => {
    await browser.get('/login')
    const login = await browser.post('/login', { email: 'alice@example.org', password: PASSWORD })
    assert.equal(login.statusCode, 403)
    assert.match(login.body, CSRF_TEXT)
    await logIn()
    const logout = await browser.post('/logout', {})
    assert.equal(logout.statusCode, 403)
    assert.equal(await sessionCount(), 1, 'still logged in')
  })

  test('a POST from another origin is refused even with a valid token', async () => {
    const page = await browser.get('/login')
    const fields = { email: 'alice@example.org', password: PASSWORD, csrf: csrfFrom(page.body) }
    const foreign = await browser.post('/login', fields, { origin: 'https://evil.example.com' })
    assert.equal(foreign.statusCode, 403)
    assert.match(foreign.body, CSRF_TEXT)
    const own = await browser.post('/login', fields, { origin: 'https://vigil.example.org' })
    assert.equal(own.statusCode, 303)
  })

  test('a pre-login token cannot authorise a logged-in action', async () => {
    const page = await browser.get('/login')
    const preLoginToken = csrfFrom(page.body)
    await logIn()
    const r = await browser.post('/logout', { csrf: preLoginToken })
    assert.equal(r.statusCode, 403)
    assert.equal(await sessionCount(), 1)
  })

  test('cookies are Secure on an https site', async () => {
    await browser.get('/login')
    const page = await browser.get('/login')
    const r = await browser.post('/login', {
      email: 'alice@example.org',
      password: PASSWORD,
      csrf: csrfFrom(page.body),
    })
    const session = r.cookies.find((c) => c.name === '__Host-hc_session')
    assert.equal(session?.secure, true)
    const fresh = await app.inject({ method: 'GET', url: '/login' })
    assert.equal(fresh.cookies.find((c) => c.name === 'vigil_csrf')?.secure, true)
  })

  test('pages carry the security headers and are not cached', async () => {
    for (const url of ['/login', '/no-such-page']) {
      const r = await browser.get(url)
      assert.equal(
        r.headers['content-security-policy']?.toString().startsWith("default-src 'self'"),
        true,
        url,
      )
      assert.equal(r.headers['x-frame-options'], 'DENY')
      assert.equal(r.headers['referrer-policy'], 'same-origin')
      assert.equal(r.headers['x-content-type-options'], 'nosniff')
      assert.equal(r.headers['cache-control'], 'no-store')
    }
  })

  test('the stylesheet the pages link is served from this site', async () => {
    const page = await browser.get('/login')
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page.body)?.[1]
    assert.ok(href?.startsWith('/static/'))
    const css = await browser.get(href!)
    assert.equal(css.statusCode, 200)
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8')
    assert.match(css.body, /prefers-color-scheme: dark/)
  })

  test('an unknown page answers 404 with a page, unknown ping and API paths in plain text', async () => {
    const page = await browser.get('/no-such-page')
    assert.equal(page.statusCode, 404)
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8')
    assert.match(page.body, /Page not found/)
    for (const url of ['/api/v9/nothing', '/ping/not-a-check/x/y/z']) {
      const r = await browser.get(url)
      assert.equal(r.statusCode, 404, url)
      assert.doesNotMatch(r.body, /<html/, url)
    }
  })

  test('the ping and API routes see neither the form parser nor the CSRF check', async () => {
    const status = await app.inject({ method: 'GET', url: '/api/v3/status/' })
    assert.equal(status.statusCode, 200)
    assert.equal(status.headers['x-frame-options'], undefined)
    const post = await app.inject({
      method: 'POST',
      url: '/api/v3/no-such-endpoint/',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example.com',
      },
      payload: 'a=1',
    })
    assert.equal(post.statusCode, 404)
  })

  test('a form body of an unsupported type gets a 4xx page, not a 500', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x--',
    })
    assert.equal(r.statusCode, 415)
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8')
  })

  test('a form body over the size limit gets 413', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=${'a'.repeat(100_000)}`,
    })
    assert.equal(r.statusCode, 413)
  })

  test('an unexpected failure shows a plain page with an incident id and no internals', async () => {
    const page = await browser.get('/login')
    await sql`drop table login_attempts`.execute(ctx.db.kysely)
    const r = await browser.post('/login', {
      email: 'alice@example.org',
      password: PASSWORD,
      csrf: csrfFrom(page.body),
    })
    assert.equal(r.statusCode, 500)
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8')
    assert.match(r.body, /Something went wrong on our side \(incident [0-9a-f]{8}\)/)
    assert.doesNotMatch(r.body, /login_attempts|at .*\.ts/)
  })
})
