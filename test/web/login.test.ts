import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { csrfFrom, FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

describeEachDatabase('web login and logout', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
    await buildUser(ctx, 'alice@example.org', PASSWORD)
  })
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  const logIn = (email: string, password: string, client = browser) =>
    client.submit('/login', '/login', { email, password })

  test('anonymous visitors of the home page are sent to the login page', async () => {
    const r = await browser.get('/')
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/login')
    const page = await browser.get('/login')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<label for="email">Email<\/label>/)
    assert.match(page.body, /<label for="password">Password<\/label>/)
  })

  test('the right password starts a session and opens the dashboard', async () => {
    const r = await logIn('Alice@Example.org', PASSWORD)
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/checks/')
    assert.ok(browser.cookies.has('hc_session'))
    assert.equal((await ctx.db.kysely.selectFrom('sessions').select('id').execute()).length, 1)
    const home = await browser.get('/')
    assert.equal(home.statusCode, 200)
    assert.match(home.body, /alice@example\.org/)
    assert.match(home.body, /Log out/)
  })

  test('LG-5 a local next is followed after log-in; anything else goes to the dashboard', async () => {
    const page = await browser.get('/login?next=%2Fchecks%2F%3Fsort%3Dname')
    assert.match(page.body, /<input type="hidden" name="next" value="\/checks\/\?sort=name"\/>/)
    const offsite = await browser.get('/login?next=https%3A%2F%2Fevil.example%2F')
    assert.doesNotMatch(offsite.body, /name="next"/)
    const cases: [string, string][] = [
      ['/checks/?sort=name', '/checks/?sort=name'],
      ['//evil.example/x', '/checks/'],
      ['/\\evil.example/x', '/checks/'],
      ['https://evil.example/', '/checks/'],
      ['javascript:alert(1)', '/checks/'],
      ['checks/', '/checks/'],
      ['/%0d%0aSet-Cookie:x=1', '/%0d%0aSet-Cookie:x=1'],
    ]
    for (const [next, location] of cases) {
      const client = new FormClient(app, ctx.clock)
      const login = await client.get('/login')
      const r = await client.post('/login', {
        csrf: csrfFrom(login.body),
        email: 'alice@example.org',
        password: PASSWORD,
        next,
      })
      assert.equal(r.statusCode, 303, next)
      assert.equal(r.headers.location, location, next)
      // Already logged in, /login?next= goes straight there (or to the dashboard).
      const again = await client.get(`/login?next=${encodeURIComponent(next)}`)
      assert.equal(again.headers.location, location, next)
    }
  })

  test('a failed log-in keeps the next field in the form', async () => {
    const page = await browser.get('/login?next=%2Faccount%2Fsecurity')
    const r = await browser.post('/login', {
      csrf: csrfFrom(page.body),
      email: 'alice@example.org',
      password: 'not the password',
      next: '/account/security',
    })
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /name="next" value="\/account\/security"/)
  })

  test('a wrong password and an unknown email get the same page and message', async () => {
    const wrong = await logIn('alice@example.org', 'not the password')
    const unknown = await logIn('nobody@example.org', PASSWORD)
    for (const r of [wrong, unknown]) {
      assert.equal(r.statusCode, 200)
      assert.match(r.body, /Incorrect email or password\./)
      assert.match(r.body, /<form method="post" action="\/login">/)
      assert.equal(
        r.cookies.find((c) => c.name === 'hc_session'),
        undefined,
      )
    }
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '')
    assert.equal(strip(wrong.body), strip(unknown.body))
    assert.equal((await ctx.db.kysely.selectFrom('sessions').select('id').execute()).length, 0)
  })

  test('the eleventh failure within 15 minutes is throttled with 429 and Retry-After, even with the right password', async () => {
    for (let i = 0; i < 10; i++) {
      const r = await logIn('alice@example.org', `wrong ${i}`)
      assert.equal(r.statusCode, 200, `attempt ${i + 1}`)
      ctx.clock.advance(MINUTE)
    }
    const throttled = await logIn('alice@example.org', PASSWORD)
    assert.equal(throttled.statusCode, 429)
    assert.equal(throttled.headers['retry-after'], String(15 * 60 - 10 * 60))
    assert.match(throttled.body, /Too many failed attempts\. Try again in 5 minutes\./)
    assert.equal((await ctx.db.kysely.selectFrom('sessions').select('id').execute()).length, 0)

    ctx.clock.advance(5 * MINUTE)
    const later = await logIn('alice@example.org', PASSWORD)
    assert.equal(later.statusCode, 303)
  })

  test('the throttle counts per email and client address', async () => {
    for (let i = 0; i < 10; i++) await logIn('alice@example.org', 'wrong')
    assert.equal((await logIn('alice@example.org', PASSWORD)).statusCode, 429)
    // Another account from the same address is not affected.
    await buildUser(ctx, 'bob@example.org', PASSWORD)
    assert.equal((await logIn('bob@example.org', PASSWORD)).statusCode, 303)
    // The same account from another address is not affected either.
    const elsewhere = new FormClient(app, ctx.clock)
    const page = await elsewhere.get('/login')
    const r = await app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress: '192.0.2.7',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: Object.fromEntries(elsewhere.cookies),
      payload: new URLSearchParams({
        email: 'alice@example.org',
        password: PASSWORD,
        csrf: csrfFrom(page.body),
      }).toString(),
    })
    assert.equal(r.statusCode, 303)
  })

  test('a successful login resets the count of failures', async () => {
    for (let i = 0; i < 9; i++) await logIn('alice@example.org', 'wrong')
    assert.equal((await logIn('alice@example.org', PASSWORD)).statusCode, 303)
    const fresh = new FormClient(app, ctx.clock)
    for (let i = 0; i < 10; i++)
      assert.equal((await logIn('alice@example.org', 'wrong', fresh)).statusCode, 200)
  })

  test('logout deletes the session row and the cookie', async () => {
    await logIn('alice@example.org', PASSWORD)
    const dashboard = await browser.get('/checks/')
    const r = await browser.post('/logout', { csrf: csrfFrom(dashboard.body) })
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/login')
    assert.equal((await ctx.db.kysely.selectFrom('sessions').select('id').execute()).length, 0)
    assert.equal(browser.cookies.has('hc_session'), false)
    assert.equal((await browser.get('/checks/')).headers.location, '/login')
  })

  test('a stolen session cookie stops working after logout', async () => {
    await logIn('alice@example.org', PASSWORD)
    const token = browser.cookies.get('hc_session')!
    const dashboard = await browser.get('/checks/')
    await browser.post('/logout', { csrf: csrfFrom(dashboard.body) })
    const r = await app.inject({
      method: 'GET',
      url: '/checks/',
      cookies: { hc_session: token },
    })
    assert.equal(r.statusCode, 303)
  })

  test('logging in again replaces the old session', async () => {
    await logIn('alice@example.org', PASSWORD)
    const first = browser.cookies.get('hc_session')
    // The dashboard's token (bound to the session) is accepted by the login form too.
    const again = await browser.submit('/checks/', '/login', {
      email: 'alice@example.org',
      password: PASSWORD,
    })
    assert.equal(again.statusCode, 303)
    assert.notEqual(browser.cookies.get('hc_session'), first)
    assert.equal((await ctx.db.kysely.selectFrom('sessions').select('id').execute()).length, 1)
  })

  test('an active session still ends 30 days after login', async () => {
    const start = ctx.clock.now()
    await logIn('alice@example.org', PASSWORD)
    for (const day of [13, 26, 29]) {
      ctx.clock.set(start + day * DAY)
      assert.equal((await browser.get('/checks/')).statusCode, 200, `active on day ${day}`)
    }
    ctx.clock.set(start + 30 * DAY)
    const r = await browser.get('/checks/')
    assert.equal(r.statusCode, 303, 'at 30 days')
    assert.equal(r.headers.location, '/login')
    assert.equal((await ctx.db.kysely.selectFrom('sessions').select('id').execute()).length, 0)
  })

  test('a session unused for 14 days is refused and its cookie cleared', async () => {
    await logIn('alice@example.org', PASSWORD)
    const token = browser.cookies.get('hc_session')!
    ctx.clock.advance(14 * DAY - MINUTE)
    assert.equal(
      (await app.inject({ method: 'GET', url: '/checks/', cookies: { hc_session: token } }))
        .statusCode,
      200,
    )
    ctx.clock.advance(14 * DAY)
    const r = await app.inject({
      method: 'GET',
      url: '/checks/',
      cookies: { hc_session: token },
    })
    assert.equal(r.statusCode, 303)
    assert.match(String(r.headers['set-cookie']), /hc_session=;/, 'the stale cookie is cleared')
  })
})

describeEachDatabase('SE-1 session cookie', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  async function start(env: Record<string, string> = {}) {
    ctx = await createTestContext(dialect, env)
    app = await testApp(ctx)
    await buildUser(ctx, 'alice@example.org', PASSWORD)
  }
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  type Cookie = {
    name: string
    value: string
    path?: string
    domain?: string
    httpOnly?: boolean
    secure?: boolean
    sameSite?: string
  }
  async function logInCookies(browser: FormClient): Promise<Cookie[]> {
    const r = await browser.submit('/login', '/login', {
      email: 'alice@example.org',
      password: PASSWORD,
    })
    assert.equal(r.statusCode, 303)
    return r.cookies as Cookie[]
  }

  test('SE-1 on http the cookie is hc_session: HttpOnly, SameSite=Lax, Path=/, no Domain, not Secure', async () => {
    await start({ SITE_ROOT: 'http://vigil.example.com' })
    const browser = new FormClient(app, ctx.clock)
    const cookie = (await logInCookies(browser)).find((c) => c.name === 'hc_session')
    assert.ok(cookie)
    assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/)
    assert.equal(cookie.httpOnly, true)
    assert.equal(cookie.sameSite, 'Lax')
    assert.equal(cookie.path, '/')
    assert.equal(cookie.domain, undefined)
    assert.notEqual(cookie.secure, true)
    assert.equal((await browser.get('/checks/')).statusCode, 200)
  })

  test('SE-1 with an https SITE_ROOT the cookie is __Host-hc_session and Secure', async () => {
    await start({ SITE_ROOT: 'https://vigil.example.com' })
    const browser = new FormClient(app, ctx.clock)
    const cookies = await logInCookies(browser)
    assert.equal(
      cookies.find((c) => c.name === 'hc_session'),
      undefined,
    )
    const cookie = cookies.find((c) => c.name === '__Host-hc_session')
    assert.ok(cookie)
    assert.equal(cookie.secure, true)
    assert.equal(cookie.httpOnly, true)
    assert.equal(cookie.sameSite, 'Lax')
    assert.equal(cookie.path, '/')
    assert.equal(cookie.domain, undefined)
    assert.equal((await browser.get('/checks/')).statusCode, 200)
    // The old or the http name carries no session here.
    const token = browser.cookies.get('__Host-hc_session') as string
    for (const name of ['hc_session', 'vigil_session']) {
      const r = await app.inject({ method: 'GET', url: '/checks/', cookies: { [name]: token } })
      assert.equal(r.statusCode, 303, name)
    }
  })

  test('SE-1 a cookie under the old vigil_session name no longer logs anyone in', async () => {
    await start()
    const browser = new FormClient(app, ctx.clock)
    await logInCookies(browser)
    const token = browser.cookies.get('hc_session') as string
    const r = await app.inject({
      method: 'GET',
      url: '/checks/',
      cookies: { vigil_session: token },
    })
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/login')
  })
})
