import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { headerIdentity, isTrustedPeer } from '../../src/accounts/login/header-auth.js'
import { createSession } from '../../src/accounts/sessions/sessions.js'
import { ConfigError, loadConfig } from '../../src/config/index.js'
import { configFindings } from '../../src/doctor/findings.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'

const PROXY = '10.0.0.5'
const STRANGER = '203.0.113.9'
const HEADER_ENV = { REMOTE_USER_HEADER: 'HTTP_X_AUTH_USER', TRUSTED_PROXY_CIDRS: '10.0.0.0/8' }

const config = (env: Record<string, string>) =>
  loadConfig({ SECRET_KEY: 'test-secret-key-0123456789', ...env })

test('LG-8 REMOTE_USER_HEADER takes Healthchecks WSGI form or a plain header name', () => {
  assert.equal(
    config({ REMOTE_USER_HEADER: 'HTTP_X_AUTH_USER' }).accounts.remoteUserHeader,
    'x-auth-user',
  )
  assert.equal(
    config({ REMOTE_USER_HEADER: 'Remote-Email' }).accounts.remoteUserHeader,
    'remote-email',
  )
  assert.equal(config({}).accounts.remoteUserHeader, null)
  assert.throws(() => config({ REMOTE_USER_HEADER: 'X Auth' }), ConfigError)
  assert.throws(
    () => config({ REMOTE_USER_SECRET_HEADER: 'HTTP_X_PROXY_SECRET' }),
    /REMOTE_USER_SECRET/,
  )
})

test('LG-8 trusted peers: CIDR ranges, single addresses, IPv6 and IPv4-mapped IPv6', () => {
  const cidrs = ['10.0.0.0/8', '192.0.2.7', 'fd00::/8']
  assert.equal(isTrustedPeer('10.200.1.1', cidrs), true)
  assert.equal(isTrustedPeer('::ffff:10.0.0.5', cidrs), true)
  assert.equal(isTrustedPeer('192.0.2.7', cidrs), true)
  assert.equal(isTrustedPeer('192.0.2.8', cidrs), false)
  assert.equal(isTrustedPeer('fd12::1', cidrs), true)
  assert.equal(isTrustedPeer('fe80::1', cidrs), false)
  assert.equal(isTrustedPeer('11.0.0.1', cidrs), false)
  assert.equal(isTrustedPeer(undefined, cidrs), false)
  assert.equal(isTrustedPeer('not-an-ip', cidrs), false)
})

test('T-36 header identity: the header counts only from a trusted peer, lower-cased', () => {
  const c = config(HEADER_ENV)
  assert.deepEqual(headerIdentity(c, PROXY, { 'x-auth-user': ' Alice@Example.org ' }), {
    kind: 'email',
    email: 'alice@example.org',
  })
  assert.deepEqual(headerIdentity(c, STRANGER, { 'x-auth-user': 'alice@example.org' }), {
    kind: 'absent',
    reason: 'untrusted-peer',
  })
  assert.deepEqual(headerIdentity(c, PROXY, {}), { kind: 'absent', reason: 'missing' })
  assert.deepEqual(headerIdentity(c, PROXY, { 'x-auth-user': '' }), {
    kind: 'absent',
    reason: 'missing',
  })
  assert.deepEqual(headerIdentity(config({}), PROXY, { 'x-auth-user': 'alice@example.org' }), {
    kind: 'off',
  })
})

test('SEC-005 REMOTE_USER_HEADER without TRUSTED_PROXY_CIDRS is fatal and header auth is refused', () => {
  const c = config({ REMOTE_USER_HEADER: 'HTTP_X_AUTH_USER' })
  const f = configFindings(c).find((x) => x.id === 'SEC-005')
  assert.ok(f)
  assert.equal(f.severity, 'fatal')
  assert.match(f.hint ?? '', /TRUSTED_PROXY_CIDRS/)
  assert.deepEqual(headerIdentity(c, '127.0.0.1', { 'x-auth-user': 'alice@example.org' }), {
    kind: 'off',
  })
  assert.equal(
    configFindings(config(HEADER_ENV)).some((x) => x.id === 'SEC-005'),
    false,
  )
})

describeEachDatabase('header auth over HTTP', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance

  async function start(env: Record<string, string> = HEADER_ENV) {
    ctx = await createTestContext(dialect, env)
    app = await testApp(ctx)
    await buildUser(ctx, 'alice@example.org')
  }
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  const get = (
    url: string,
    remoteAddress: string,
    headers: Record<string, string> = {},
    cookie?: string,
  ) =>
    app.inject({
      method: 'GET',
      url,
      remoteAddress,
      headers,
      cookies: cookie ? { hc_session: cookie } : {},
    })
  const sessionCookie = (r: LightMyRequestResponse) =>
    (r.cookies as { name: string; value: string }[]).find((c) => c.name === 'hc_session')
  const sessions = () =>
    ctx.db.kysely
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['users.email', 'sessions.amr', 'sessions.id'])
      .execute()

  test('T-36 header auth from a non-trusted peer: header ignored, anonymous', async () => {
    await start()
    const r = await get('/checks/', STRANGER, { 'x-auth-user': 'alice@example.org' })
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/login')
    assert.equal(sessionCookie(r), undefined)
    assert.deepEqual(await sessions(), [])
    // Not even an unknown address is created from a stranger's header.
    await get('/checks/', STRANGER, { 'x-auth-user': 'mallory@example.org' })
    const users = await ctx.db.kysely.selectFrom('users').select('email').execute()
    assert.deepEqual(users, [{ email: 'alice@example.org' }])
  })

  test('T-36 a spoofed X-Forwarded-For naming the proxy does not make a stranger trusted', async () => {
    await start()
    const r = await get('/checks/', STRANGER, {
      'x-auth-user': 'alice@example.org',
      'x-forwarded-for': PROXY,
    })
    assert.equal(r.statusCode, 303)
    assert.deepEqual(await sessions(), [])
  })

  test('LG-8 from the trusted proxy the header signs the user in with amr ["ext"]', async () => {
    await start()
    const r = await get('/checks/', PROXY, { 'x-auth-user': 'Alice@Example.org' })
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /alice@example\.org/)
    assert.ok(sessionCookie(r)?.value)
    const rows = await sessions()
    assert.equal(rows.length, 1)
    assert.equal(rows[0].email, 'alice@example.org')
    assert.equal(rows[0].amr, 'ext')
    const event = await ctx.db.kysely
      .selectFrom('security_events')
      .selectAll()
      .where('type', '=', 'login.success')
      .executeTakeFirst()
    assert.ok(event, 'the header log-in is audited')
  })

  test('LG-8 the same header with the cookie continues the session', async () => {
    await start()
    const first = await get('/checks/', PROXY, { 'x-auth-user': 'alice@example.org' })
    const cookie = sessionCookie(first)?.value as string
    const again = await get('/checks/', PROXY, { 'x-auth-user': 'alice@example.org' }, cookie)
    assert.equal(again.statusCode, 200)
    assert.equal(sessionCookie(again), undefined, 'no new cookie')
    assert.equal((await sessions()).length, 1)
  })

  test('LG-8 an unknown address is created on first sight, as Healthchecks does', async () => {
    await start()
    const r = await get('/checks/', PROXY, { 'x-auth-user': 'new@example.org' })
    assert.equal(r.statusCode, 200)
    const user = await ctx.db.kysely
      .selectFrom('users')
      .select(['email', 'password_hash'])
      .where('email', '=', 'new@example.org')
      .executeTakeFirstOrThrow()
    assert.equal(user.password_hash, null)
  })

  test('LG-8 a request without the header logs out: session deleted, cookie cleared', async () => {
    await start()
    const first = await get('/checks/', PROXY, { 'x-auth-user': 'alice@example.org' })
    const cookie = sessionCookie(first)?.value as string
    const r = await get('/checks/', PROXY, {}, cookie)
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/login')
    assert.equal(sessionCookie(r)?.value, '', 'the cookie is cleared')
    assert.deepEqual(await sessions(), [])
  })

  test('LG-8 the session cookie alone, sent past the proxy, is logged out', async () => {
    await start()
    const first = await get('/checks/', PROXY, { 'x-auth-user': 'alice@example.org' })
    const cookie = sessionCookie(first)?.value as string
    const r = await get('/checks/', STRANGER, { 'x-auth-user': 'alice@example.org' }, cookie)
    assert.equal(r.statusCode, 303)
    assert.deepEqual(await sessions(), [])
  })

  test('LG-8 another email in the header replaces the session with one for that user', async () => {
    await start()
    await buildUser(ctx, 'bob@example.org')
    const first = await get('/checks/', PROXY, { 'x-auth-user': 'alice@example.org' })
    const cookie = sessionCookie(first)?.value as string
    const r = await get('/checks/', PROXY, { 'x-auth-user': 'bob@example.org' }, cookie)
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /bob@example\.org/)
    const rows = await sessions()
    assert.deepEqual(
      rows.map((s) => s.email),
      ['bob@example.org'],
    )
    assert.notEqual(sessionCookie(r)?.value, cookie)
    assert.ok(sessionCookie(r)?.value)
  })

  test('LG-8 with REMOTE_USER_SECRET_HEADER, a wrong or missing secret leaves the request anonymous', async () => {
    await start({
      ...HEADER_ENV,
      REMOTE_USER_SECRET_HEADER: 'HTTP_X_PROXY_SECRET',
      REMOTE_USER_SECRET: 'the proxy and vigil share this',
    })
    for (const secret of [undefined, 'wrong', 'the proxy and vigil share this!']) {
      const headers: Record<string, string> = { 'x-auth-user': 'alice@example.org' }
      if (secret !== undefined) headers['x-proxy-secret'] = secret
      const r = await get('/checks/', PROXY, headers)
      assert.equal(r.statusCode, 303, `secret ${secret}`)
    }
    assert.deepEqual(await sessions(), [])
    const ok = await get('/checks/', PROXY, {
      'x-auth-user': 'alice@example.org',
      'x-proxy-secret': 'the proxy and vigil share this',
    })
    assert.equal(ok.statusCode, 200)
  })

  // ---- LG-8 sudo: "re-login through the proxy counts" when the user has no RA-4 method ---------

  const ALICE = { 'x-auth-user': 'alice@example.org' }
  const post = (
    url: string,
    remoteAddress: string,
    fields: Record<string, string>,
    headers: Record<string, string>,
    cookie: string,
  ) =>
    app.inject({
      method: 'POST',
      url,
      remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      cookies: { hc_session: cookie },
      payload: new URLSearchParams(fields).toString(),
    })
  const csrf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''

  /** A header-auth user (created on first sight: no password) whose log-in sudo has run out. */
  async function proxyUserPastSudo(): Promise<string> {
    const first = await get('/checks/', PROXY, { 'x-auth-user': 'carol@example.org' })
    ctx.clock.advance(31 * 60_000)
    return sessionCookie(first)?.value as string
  }

  test('LG-8 sudo: a header user with no method is offered "Continue as" and the proxy\'s word grants it', async () => {
    await start()
    const cookie = await proxyUserPastSudo()
    const carol = { 'x-auth-user': 'carol@example.org' }
    const locked = await get('/account/password', PROXY, carol, cookie)
    assert.equal(locked.statusCode, 303)
    assert.equal(locked.headers.location, '/account/confirm?next=%2Faccount%2Fpassword')
    const page = await get('/account/confirm?next=/account/password', PROXY, carol, cookie)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /data-reauth-state="proxy"/)
    assert.match(page.body, /Continue as carol@example\.org \(signed in by your proxy\)/)
    assert.match(page.body, /action="\/account\/confirm\/proxy"/)

    const r = await post(
      '/account/confirm/proxy',
      PROXY,
      { csrf: csrf(page.body), next: '/account/password' },
      carol,
      cookie,
    )
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/account/password')
    const rotated = sessionCookie(r)?.value as string
    assert.ok(rotated && rotated !== cookie, 'the grant rotates the session id (RA-3)')
    const row = await ctx.db.kysely
      .selectFrom('sessions')
      .select(['reauth_at', 'reauth_method'])
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { reauth_at: ctx.clock.now(), reauth_method: 'ext' })
    const event = await ctx.db.kysely
      .selectFrom('security_events')
      .select('details')
      .where('type', '=', 'reauth.success')
      .executeTakeFirstOrThrow()
    assert.deepEqual(JSON.parse(event.details), { method: 'ext' })
    assert.equal((await get('/account/password', PROXY, carol, rotated)).statusCode, 200)
  })

  test('LG-8 sudo: a header user who has a password must use it; the proxy does not stand in', async () => {
    await start()
    const first = await get('/checks/', PROXY, ALICE)
    const cookie = sessionCookie(first)?.value as string
    ctx.clock.advance(31 * 60_000)
    const page = await get('/account/confirm?next=/account/password', PROXY, ALICE, cookie)
    assert.match(page.body, /data-reauth-state="choose"/)
    assert.doesNotMatch(page.body, /signed in by your proxy/)
    const r = await post(
      '/account/confirm/proxy',
      PROXY,
      { csrf: csrf(page.body), next: '/account/password' },
      ALICE,
      cookie,
    )
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /Your account has its own ways to confirm\. Use one of them\./)
    const row = await ctx.db.kysely.selectFrom('sessions').select('reauth_method').execute()
    assert.deepEqual(row, [{ reauth_method: 'ext' }], 'no new grant')
    assert.equal(
      (
        await ctx.db.kysely
          .selectFrom('security_events')
          .select('id')
          .where('type', '=', 'reauth.success')
          .execute()
      ).length,
      0,
    )
  })

  test('LG-8 sudo: with mail available the e-mailed code is the method, not the proxy', async () => {
    await start({ ...HEADER_ENV, EMAIL_HOST: '127.0.0.1', DEFAULT_FROM_EMAIL: 'vigil@vigil.test' })
    const cookie = await proxyUserPastSudo()
    const carol = { 'x-auth-user': 'carol@example.org' }
    const page = await get('/account/confirm?next=/account/password', PROXY, carol, cookie)
    assert.match(page.body, /Email me a code|Send code/)
    assert.doesNotMatch(page.body, /signed in by your proxy/)
  })

  test('LG-8 sudo: without header auth, "Continue as" is neither offered nor accepted', async () => {
    await start({})
    const user = await buildUser(ctx, 'dave@example.org')
    await ctx.db.kysely
      .updateTable('users')
      .set({ password_hash: null })
      .where('id', '=', user.id)
      .execute()
    const { token } = await createSession(ctx, user.id, { amr: ['email'] })
    ctx.clock.advance(31 * 60_000)
    const page = await get('/account/confirm?next=/account/password', STRANGER, ALICE, token)
    assert.match(page.body, /data-reauth-state="none"/)
    const r = await post(
      '/account/confirm/proxy',
      STRANGER,
      { csrf: csrf(page.body), next: '/account/password' },
      { 'x-auth-user': 'dave@example.org' },
      token,
    )
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /did not come through your sign-in proxy/)
  })

  test('SEC-005 without TRUSTED_PROXY_CIDRS the header is refused even from localhost', async () => {
    await start({ REMOTE_USER_HEADER: 'HTTP_X_AUTH_USER' })
    const r = await get('/checks/', '127.0.0.1', { 'x-auth-user': 'alice@example.org' })
    assert.equal(r.statusCode, 303)
    assert.deepEqual(await sessions(), [])
  })
})
