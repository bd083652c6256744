import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { headerIdentity, isTrustedPeer } from '../../src/accounts/header-auth.js'
import { buildApp } from '../../src/app.js'
import { ConfigError, loadConfig } from '../../src/config/index.js'
import { configFindings } from '../../src/doctor/findings.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

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
    app = await buildApp(ctx)
    await buildUser(ctx, 'alice@example.org')
  }
  afterEach(async () => {
    await app.close()
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

  test('SEC-005 without TRUSTED_PROXY_CIDRS the header is refused even from localhost', async () => {
    await start({ REMOTE_USER_HEADER: 'HTTP_X_AUTH_USER' })
    const r = await get('/checks/', '127.0.0.1', { 'x-auth-user': 'alice@example.org' })
    assert.equal(r.statusCode, 303)
    assert.deepEqual(await sessions(), [])
  })
})
