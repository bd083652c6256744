/**
 * SEC-F4 (issue 11): no user-supplied redirect target leaves the site. Every hostile `next` (and
 * Referer, for the theme switch) is sent through the real routes, GET and POST, and must land on
 * the dashboard (or the home page); local paths keep working, normalised.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { csrfFrom, FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'

/** Each of these, followed by a browser as a Location, would leave the site (or is not a path). */
const HOSTILE = [
  '/.//evil.example/phish',
  '/x/..//evil.example',
  '/%2e//evil.example',
  '/%2E%2E//evil.example',
  '/./%2e/.//evil.example',
  '/a/b/../../..//evil.example',
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/%2f/evil.example',
  '/%2F%2Fevil.example',
  '/%5cevil.example',
  '/%5C%5Cevil.example',
  'https:evil.example',
  'https://evil.example/',
  'http:/\\/evil.example',
  'javascript:alert(1)',
  ' //evil.example',
  'evil.example',
  '',
]

/** Local targets are kept, with dot segments resolved. */
const LOCAL: [string, string][] = [
  ['/checks/?sort=name', '/checks/?sort=name'],
  ['/./projects/', '/projects/'],
  ['/x/../account/security', '/account/security'],
]

describeEachDatabase('SEC-F4 open redirect', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    app = await testApp(ctx)
    await buildUser(ctx, 'alice@example.org', PASSWORD)
  })
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  async function loggedIn(): Promise<FormClient> {
    const client = new FormClient(app, ctx.clock)
    const r = await client.submit('/login', '/login', {
      email: 'alice@example.org',
      password: PASSWORD,
    })
    assert.equal(r.statusCode, 303)
    return client
  }

  test('SEC-F4 POST /login with a hostile next opens the dashboard', async () => {
    for (const next of HOSTILE) {
      const client = new FormClient(app, ctx.clock)
      const page = await client.get('/login')
      const r = await client.post('/login', {
        csrf: csrfFrom(page.body),
        email: 'alice@example.org',
        password: PASSWORD,
        next,
      })
      assert.equal(r.statusCode, 303, JSON.stringify(next))
      assert.equal(r.headers.location, '/checks/', JSON.stringify(next))
    }
  })

  test('SEC-F4 GET /login?next= when logged in never redirects off the site', async () => {
    const client = await loggedIn()
    for (const next of HOSTILE) {
      const r = await client.get(`/login?next=${encodeURIComponent(next)}`)
      assert.equal(r.statusCode, 303, JSON.stringify(next))
      assert.equal(r.headers.location, '/checks/', JSON.stringify(next))
    }
    // The raw, unencoded forms from the report, as a browser would send them.
    for (const raw of ['/.//evil.example/phish', '/x/..//evil.example', '/%2e//evil.example']) {
      const r = await client.get(`/login?next=${raw}`)
      assert.equal(r.headers.location, '/checks/', raw)
    }
  })

  test('SEC-F4 the login form does not carry a hostile next into its hidden field', async () => {
    for (const next of HOSTILE) {
      const r = await new FormClient(app, ctx.clock).get(`/login?next=${encodeURIComponent(next)}`)
      assert.equal(r.statusCode, 200)
      assert.doesNotMatch(r.body, /name="next"/, JSON.stringify(next))
    }
  })

  test('SEC-F4 local targets are still followed, normalised', async () => {
    for (const [next, location] of LOCAL) {
      const client = new FormClient(app, ctx.clock)
      const page = await client.get('/login')
      const r = await client.post('/login', {
        csrf: csrfFrom(page.body),
        email: 'alice@example.org',
        password: PASSWORD,
        next,
      })
      assert.equal(r.headers.location, location, next)
      const again = await client.get(`/login?next=${encodeURIComponent(next)}`)
      assert.equal(again.headers.location, location, next)
    }
  })

  test('SEC-F4 the confirm form falls back to its default for a hostile next', async () => {
    const client = await loggedIn()
    for (const next of HOSTILE) {
      const r = await client.get(`/account/confirm?next=${encodeURIComponent(next)}`)
      assert.equal(r.statusCode, 200)
      assert.doesNotMatch(r.body, /evil\.example/, JSON.stringify(next))
    }
  })

  test('SEC-F4 the theme switch returns only to a same-site path from the Referer', async () => {
    const client = await loggedIn()
    const csrf = csrfFrom((await client.get('/projects/')).body)
    const root = ctx.config.siteRoot
    for (const path of [
      '//evil.example/phish',
      '/.//evil.example',
      '/%2F%2Fevil.example',
      '/%5Cevil',
    ]) {
      const r = await client.post('/theme', { csrf, theme: 'dark' }, { referer: `${root}${path}` })
      assert.equal(r.statusCode, 303, path)
      assert.equal(r.headers.location, '/', path)
    }
    const ok = await client.post(
      '/theme',
      { csrf, theme: 'dark' },
      { referer: `${root}/projects/?a=1` },
    )
    assert.equal(ok.headers.location, '/projects/?a=1')
  })
})
