/**
 * LG-9: log-in and sudo through an OpenID Connect provider, end to end over real HTTP: Vigil
 * (driven with inject, cookies kept by FormClient) talks to a signing test provider on loopback
 * for discovery and the code exchange, on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'

import { afterEach, beforeEach, describe, test } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { newTotpSecret, totpCodeAt, totpStep } from '../../src/accounts/factors/totp/totp.js'
import { saveTotp } from '../../src/accounts/factors/totp/totp-devices.js'
import { forgetDiscovery } from '../../src/accounts/oidc/oidc-client.js'
import { loadConfig } from '../../src/config/index.js'
import { blockedByTwoFactorPolicy } from '../../src/projects/project-access.js'
import { buildProject, buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { TestOidcProvider } from '../helpers/oidc-provider.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { closedPort } from '../helpers/smtp-sink.js'
import { csrfFrom, FormClient } from '../web/form-client.js'

const PASSWORD = 'correct horse battery'
const MINUTE = 60_000
const UNREACHABLE_TEXT = 'The sign-in provider could not be reached.'

describeEachDatabase('LG-9 OIDC log-in', (dialect) => {
  let idp: TestOidcProvider
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient

  async function setUp(env: Record<string, string> = {}): Promise<void> {
    ctx = await createTestContext(dialect, idp.env(env))
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
    await buildUser(ctx, 'alice@example.org', PASSWORD)
  }

  beforeEach(async () => {
    forgetDiscovery()
    idp = await new TestOidcProvider({ now: () => ctx.clock.now() }).start()
  })
  afterEach(async () => {
    if (app) await releaseApp(app)
    await ctx?.drop()
    await idp.stop()
  })

  async function linkAlice(sub = 'alice-sub'): Promise<number> {
    const alice = await ctx.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'alice@example.org')
      .executeTakeFirstOrThrow()
    await ctx.db.kysely
      .insertInto('oidc_identities')
      .values({ user_id: alice.id, issuer: idp.issuer, subject: sub, created: ctx.clock.now() })
      .execute()
    return alice.id
  }

  /** Where the provider sends the browser back to, as a path for inject. */
  async function atProvider(location: string): Promise<string> {
    assert.ok(location.startsWith(`${idp.issuer}/authorize?`), location)
    const r = await fetch(location, { redirect: 'manual' })
    assert.equal(r.status, 302)
    const back = new URL(r.headers.get('location') ?? '')
    assert.equal(back.origin, 'http://localhost:8000')
    return back.pathname + back.search
  }

  /** Presses "Log in with Test IdP" and follows the redirects to the callback's answer. */
  async function oidcLogIn(client = browser): Promise<LightMyRequestResponse> {
    const page = await client.get('/login')
    const start = await client.post('/login/oidc', { csrf: csrfFrom(page.body) })
    assert.equal(start.statusCode, 303, start.body)
    return client.get(await atProvider(String(start.headers.location)))
  }

  const events = (type: string) =>
    ctx.db.kysely.selectFrom('security_events').selectAll().where('type', '=', type).execute()

  test('LG-9 the login page offers "Log in with <label>" only when OIDC is configured', async () => {
    await setUp()
    const page = await browser.get('/login')
    assert.match(page.body, /<form method="post" action="\/login\/oidc"/)
    assert.match(page.body, /Log in with Test IdP/)
    // The form's redirect to the provider must pass the page's CSP (browsers apply form-action).
    assert.ok(
      String(page.headers['content-security-policy']).includes(`form-action 'self' ${idp.issuer};`),
      String(page.headers['content-security-policy']),
    )
    const plain = await createTestContext(dialect)
    const plainApp = await testApp(plain)
    try {
      await buildUser(plain, 'bob@example.org', PASSWORD)
      const r = await new FormClient(plainApp, plain.clock).get('/login')
      assert.equal(r.statusCode, 200)
      assert.doesNotMatch(r.body, /action="\/login\/oidc"/)
      assert.match(String(r.headers['content-security-policy']), /form-action 'self';/)
      const post = await plainApp.inject({ method: 'POST', url: '/login/oidc' })
      assert.ok(post.statusCode >= 400 && post.statusCode < 500, String(post.statusCode))
    } finally {
      await releaseApp(plainApp)
      await plain.drop()
    }
  })

  test('LG-9 a linked identity logs in with PKCE S256, state and nonce; the session records amr oidc', async () => {
    await setUp()
    const aliceId = await linkAlice()
    const r = await oidcLogIn()
    assert.equal(r.statusCode, 303, r.body)
    assert.equal(r.headers.location, '/checks/')
    assert.ok(browser.cookies.has('hc_session'))

    const [auth] = idp.authorizeRequests
    assert.equal(auth.get('response_type'), 'code')
    assert.equal(auth.get('client_id'), idp.clientId)
    assert.equal(auth.get('redirect_uri'), 'http://localhost:8000/login/oidc/callback')
    assert.match(auth.get('scope') ?? '', /\bopenid\b/)
    assert.equal(auth.get('code_challenge_method'), 'S256')
    assert.match(auth.get('state') ?? '', /^[A-Za-z0-9_-]{20,}$/)
    assert.match(auth.get('nonce') ?? '', /^[A-Za-z0-9_-]{20,}$/)
    assert.equal(auth.get('prompt'), null)
    // PKCE: the verifier sent to the token endpoint hashes to the challenge sent to the browser.
    const verifier = idp.tokenRequests[0].get('code_verifier') ?? ''
    assert.ok(verifier.length >= 43)
    assert.equal(
      createHash('sha256').update(verifier).digest('base64url'),
      auth.get('code_challenge'),
    )
    // The verifier is not stored in the clear, and the flow is gone (single use).
    assert.equal((await ctx.db.kysely.selectFrom('oidc_flows').selectAll().execute()).length, 0)

    const sessions = await ctx.db.kysely.selectFrom('sessions').selectAll().execute()
    assert.equal(sessions.length, 1)
    assert.equal(sessions[0].user_id, aliceId)
    assert.equal(sessions[0].amr, 'oidc')
    assert.equal(sessions[0].reauth_method, 'oidc')
    const [ev] = await events('login.success')
    assert.equal(ev.subject_user_id, aliceId)
    assert.equal(JSON.parse(ev.details).method, 'oidc')
    const home = await browser.get('/checks/')
    assert.equal(home.statusCode, 200)
  })

  test('LG-9 a callback whose state does not match the browser is refused with 400 and no session', async () => {
    await setUp()
    await linkAlice()
    const page = await browser.get('/login')
    const start = await browser.post('/login/oidc', { csrf: csrfFrom(page.body) })
    const callback = await atProvider(String(start.headers.location))

    // Another browser (an attacker's link) has no vigil_oidc cookie for this state.
    const other = new FormClient(app, ctx.clock)
    const stranger = await other.get(callback)
    assert.equal(stranger.statusCode, 400)
    assert.match(stranger.body, /This sign-in attempt expired or was not started in this browser/)
    // The right browser with a state changed on the way.
    const tampered = callback.replace(/state=([^&]+)/, 'state=forged-state-value')
    const bad = await browser.get(tampered)
    assert.equal(bad.statusCode, 400)
    assert.equal((await ctx.db.kysely.selectFrom('sessions').selectAll().execute()).length, 0)
    assert.equal(other.cookies.has('hc_session') || browser.cookies.has('hc_session'), false)
  })

  test('LG-9 a replayed callback is refused: each flow finishes once', async () => {
    await setUp()
    await linkAlice()
    const page = await browser.get('/login')
    const start = await browser.post('/login/oidc', { csrf: csrfFrom(page.body) })
    const state = String(browser.cookies.get('vigil_oidc'))
    const callback = await atProvider(String(start.headers.location))
    assert.equal((await browser.get(callback)).statusCode, 303)
    browser.cookies.set('vigil_oidc', state)
    const again = await browser.get(callback)
    assert.equal(again.statusCode, 400)
  })

  test('LG-9 an ID token with another nonce is refused with 400, no session, and audited', async () => {
    await setUp()
    const aliceId = await linkAlice()
    idp.forgedNonce = 'nonce-from-another-request'
    const r = await oidcLogIn()
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /answer could not be verified, so you were not signed in/)
    assert.equal((await ctx.db.kysely.selectFrom('sessions').selectAll().execute()).length, 0)
    const [ev] = await events('login.failure')
    assert.equal(ev.subject_user_id, null)
    const details = JSON.parse(ev.details)
    assert.equal(details.method, 'oidc')
    assert.equal(details.reason, 'invalid-response')
    assert.match(details.detail, /nonce/)
    assert.notEqual(aliceId, 0)
  })

  test('LG-9 an error answer from the provider (access_denied) shows a message, not a 5xx', async () => {
    await setUp()
    await linkAlice()
    idp.authorizeError = 'access_denied'
    const r = await oidcLogIn()
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /Sign-in was cancelled or refused at the sign-in provider/)
    assert.equal(idp.tokenRequests.length, 0)
    assert.equal((await ctx.db.kysely.selectFrom('sessions').selectAll().execute()).length, 0)
  })

  test('LG-9 with OIDC_LINK_BY_EMAIL=true a verified email joins the existing account', async () => {
    await setUp({ OIDC_LINK_BY_EMAIL: 'true' })
    idp.user = { sub: 'kc-123', email: 'Alice@Example.org', email_verified: true }
    const r = await oidcLogIn()
    assert.equal(r.statusCode, 303, r.body)
    const ids = await ctx.db.kysely.selectFrom('oidc_identities').selectAll().execute()
    assert.equal(ids.length, 1)
    assert.equal(ids[0].subject, 'kc-123')
    assert.equal(ids[0].issuer, idp.issuer)
    assert.equal((await events('oidc.linked')).length, 1)
    assert.equal((await ctx.db.kysely.selectFrom('users').selectAll().execute()).length, 1)
  })

  test('LG-9 an unverified email is never linked, even with OIDC_LINK_BY_EMAIL=true', async () => {
    await setUp({ OIDC_LINK_BY_EMAIL: 'true' })
    idp.user = { sub: 'kc-123', email: 'alice@example.org', email_verified: false }
    const r = await oidcLogIn()
    assert.equal(r.statusCode, 403)
    assert.match(r.body, /did not give a verified email address/)
    assert.equal(
      (await ctx.db.kysely.selectFrom('oidc_identities').selectAll().execute()).length,
      0,
    )
    assert.equal((await ctx.db.kysely.selectFrom('sessions').selectAll().execute()).length, 0)
  })

  test('LG-9 without OIDC_LINK_BY_EMAIL an existing address is not joined: 403, nothing linked', async () => {
    await setUp({ OIDC_ALLOWED_DOMAINS: 'example.org' })
    idp.user = { sub: 'kc-123', email: 'alice@example.org', email_verified: true }
    const r = await oidcLogIn()
    assert.equal(r.statusCode, 403)
    assert.match(
      r.body,
      /An account for alice@example\.org exists, but it isn't connected to Test IdP/,
    )
    assert.equal(
      (await ctx.db.kysely.selectFrom('oidc_identities').selectAll().execute()).length,
      0,
    )
    assert.equal((await ctx.db.kysely.selectFrom('sessions').selectAll().execute()).length, 0)
    const [ev] = await events('login.failure')
    assert.equal(JSON.parse(ev.details).reason, 'not-linked')
  })

  test('LG-9 a new user of an allowed domain gets an account on first log-in (JIT)', async () => {
    await setUp({ OIDC_ALLOWED_DOMAINS: 'example.com, corp.example' })
    idp.user = { sub: 'carol-sub', email: 'carol@example.com', email_verified: true }
    const r = await oidcLogIn()
    assert.equal(r.statusCode, 303, r.body)
    const carol = await ctx.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'carol@example.com')
      .executeTakeFirstOrThrow()
    assert.equal(carol.password_hash, null)
    const [id] = await ctx.db.kysely.selectFrom('oidc_identities').selectAll().execute()
    assert.equal(id.user_id, carol.id)
    assert.equal(id.subject, 'carol-sub')
    const [created] = await events('account.created')
    assert.equal(JSON.parse(created.details).method, 'oidc')
    // The next log-in finds the identity, not the address.
    idp.user = { sub: 'carol-sub', email: 'carol.new@example.com', email_verified: true }
    const again = await oidcLogIn(new FormClient(app, ctx.clock))
    assert.equal(again.statusCode, 303)
    assert.equal((await ctx.db.kysely.selectFrom('users').selectAll().execute()).length, 2)
  })

  test('LG-9 a new user outside OIDC_ALLOWED_DOMAINS is refused with 403 and no account', async () => {
    await setUp({ OIDC_ALLOWED_DOMAINS: 'example.com' })
    idp.user = { sub: 'mallory-sub', email: 'mallory@example.com.evil.test', email_verified: true }
    const r = await oidcLogIn()
    assert.equal(r.statusCode, 403)
    assert.match(
      r.body,
      /There is no Vigil account for mallory@example\.com\.evil\.test, and accounts for this address can't be created/,
    )
    assert.equal((await ctx.db.kysely.selectFrom('users').selectAll().execute()).length, 1)
    assert.equal(
      (await ctx.db.kysely.selectFrom('oidc_identities').selectAll().execute()).length,
      0,
    )
    assert.equal((await ctx.db.kysely.selectFrom('sessions').selectAll().execute()).length, 0)
  })

  test('LG-9 LG-3 a user with TOTP still gets the second step after OIDC; the session amr is oidc,totp', async () => {
    await setUp()
    const aliceId = await linkAlice()
    const secret = newTotpSecret()
    await saveTotp(ctx, aliceId, secret, totpStep(ctx.clock.now()) - 5, ctx.clock.now())
    const r = await oidcLogIn()
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/login/second-step')
    assert.equal(browser.cookies.has('hc_session'), false)
    const step = await browser.get('/login/second-step')
    const done = await browser.post('/login/second-step', {
      csrf: csrfFrom(step.body),
      method: 'totp',
      code: totpCodeAt(secret, ctx.clock.now()),
    })
    assert.equal(done.statusCode, 303, done.body)
    const [s] = await ctx.db.kysely.selectFrom('sessions').selectAll().execute()
    assert.equal(s.amr, 'oidc,totp')
  })

  test('LG-9 TEAM-3 a provider amr matching OIDC_MFA_AMR replaces the second step and satisfies a 2FA policy', async () => {
    await setUp({ OIDC_MFA_AMR: 'mfa,hwk' })
    const aliceId = await linkAlice()
    await saveTotp(ctx, aliceId, newTotpSecret(), totpStep(ctx.clock.now()) - 5, ctx.clock.now())
    const { project } = await buildProject(ctx, 'alice@example.org')
    await ctx.db.kysely
      .updateTable('projects')
      .set({ require_2fa: 1 })
      .where('id', '=', project.id)
      .execute()
    idp.user = {
      sub: 'alice-sub',
      email: 'alice@example.org',
      email_verified: true,
      amr: ['pwd', 'hwk'],
    }
    const r = await oidcLogIn()
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/checks/')
    const [s] = await ctx.db.kysely.selectFrom('sessions').selectAll().execute()
    assert.equal(s.amr, 'oidc,oidc_mfa')
    const page = await browser.get(`/projects/${project.code}/checks/`)
    assert.notEqual(page.statusCode, 403)
    // Without the provider's MFA the policy blocks the project's pages (pure rule).
    assert.equal(blockedByTwoFactorPolicy({ require_2fa: 1 }, { amr: 'oidc' }), true)
    assert.equal(blockedByTwoFactorPolicy({ require_2fa: 1 }, { amr: 'oidc,oidc_mfa' }), false)
  })

  test('LG-9 RA-2 sudo by signing in again at the provider: prompt=login, max_age=0, fresh auth_time', async () => {
    await setUp()
    const aliceId = await linkAlice()
    assert.equal((await oidcLogIn()).statusCode, 303)
    ctx.clock.advance(31 * MINUTE)
    const gate = await browser.get('/account/password')
    assert.equal(gate.statusCode, 303)
    const confirm = await browser.get(String(gate.headers.location))
    assert.match(confirm.body, /Sign in again with Test IdP/)
    const page = await browser.get('/account/confirm?next=%2Faccount%2Fpassword&method=oidc')
    assert.match(page.body, /action="\/account\/confirm\/oidc"/)
    const start = await browser.post('/account/confirm/oidc', {
      csrf: csrfFrom(page.body),
      next: '/account/password',
    })
    assert.equal(start.statusCode, 303, start.body)
    const callback = await atProvider(String(start.headers.location))
    const auth = idp.authorizeRequests.at(-1)
    assert.equal(auth?.get('prompt'), 'login')
    assert.equal(auth?.get('max_age'), '0')
    assert.equal(auth?.get('login_hint'), 'alice@example.org')
    const back = await browser.get(callback)
    assert.equal(back.statusCode, 303, back.body)
    assert.equal(back.headers.location, '/account/password')
    const [s] = await ctx.db.kysely.selectFrom('sessions').selectAll().execute()
    assert.equal(s.reauth_method, 'oidc')
    assert.equal(s.reauth_at, ctx.clock.now())
    const [ev] = await events('reauth.success')
    assert.equal(JSON.parse(ev.details).method, 'oidc')
    assert.equal(ev.subject_user_id, aliceId)
    assert.equal((await browser.get('/account/password')).statusCode, 200)
  })

  test('LG-9 sudo via OIDC with a stale auth_time (the provider reused its session) is refused', async () => {
    await setUp()
    await linkAlice()
    assert.equal((await oidcLogIn()).statusCode, 303)
    ctx.clock.advance(31 * MINUTE)
    const before = await ctx.db.kysely.selectFrom('sessions').selectAll().executeTakeFirstOrThrow()
    idp.user = {
      sub: 'alice-sub',
      email: 'alice@example.org',
      email_verified: true,
      auth_time: Math.floor((ctx.clock.now() - 31 * MINUTE) / 1000),
    }
    const page = await browser.get('/account/confirm?next=%2Faccount%2Fpassword&method=oidc')
    const start = await browser.post('/account/confirm/oidc', {
      csrf: csrfFrom(page.body),
      next: '/account/password',
    })
    const back = await browser.get(await atProvider(String(start.headers.location)))
    assert.equal(back.statusCode, 400)
    assert.match(back.body, /Test IdP did not ask you to sign in again/)
    const after = await ctx.db.kysely.selectFrom('sessions').selectAll().executeTakeFirstOrThrow()
    assert.equal(after.reauth_at, before.reauth_at)
    assert.equal(after.id, before.id)
    const [ev] = await events('reauth.failure')
    assert.equal(JSON.parse(ev.details).reason, 'stale-auth')
    assert.equal((await browser.get('/account/password')).statusCode, 303)
  })

  test('LG-9 sudo via OIDC as another identity at the provider is refused with 403', async () => {
    await setUp()
    await linkAlice()
    assert.equal((await oidcLogIn()).statusCode, 303)
    ctx.clock.advance(31 * MINUTE)
    idp.user = { sub: 'bob-sub', email: 'bob@example.org', email_verified: true }
    const page = await browser.get('/account/confirm?next=%2Faccount%2Fpassword&method=oidc')
    const start = await browser.post('/account/confirm/oidc', {
      csrf: csrfFrom(page.body),
      next: '/account/password',
    })
    const back = await browser.get(await atProvider(String(start.headers.location)))
    assert.equal(back.statusCode, 403)
    assert.match(back.body, /You signed in at Test IdP as someone else/)
  })

  test('LG-9 RA-5 OIDC re-login cannot confirm a class D action while the user has TOTP', async () => {
    await setUp({ OIDC_MFA_AMR: 'mfa' })
    const aliceId = await linkAlice()
    await saveTotp(ctx, aliceId, newTotpSecret(), totpStep(ctx.clock.now()) - 5, ctx.clock.now())
    idp.user = { sub: 'alice-sub', email: 'alice@example.org', email_verified: true, amr: ['mfa'] }
    assert.equal((await oidcLogIn()).headers.location, '/checks/')
    const page = await browser.get('/account/confirm?next=%2Faccount%2Ftotp%2Fremove')
    assert.doesNotMatch(page.body, /Sign in again with Test IdP/)
    const r = await browser.post('/account/confirm/oidc', {
      csrf: csrfFrom(page.body),
      next: '/account/totp/remove',
    })
    assert.equal(r.statusCode, 403)
    assert.match(r.body, /confirm with your authenticator app, security key or a recovery code/)
    assert.equal((await events('reauth.downgrade_blocked')).length, 1)
    assert.equal(idp.authorizeRequests.length, 1)
  })

  test('LG-9 RL starts of an OIDC log-in are limited per client IP (429 with Retry-After)', async () => {
    await setUp()
    const page = await browser.get('/login')
    const csrf = csrfFrom(page.body)
    for (let i = 0; i < 30; i++)
      assert.equal((await browser.post('/login/oidc', { csrf })).statusCode, 303, `start ${i}`)
    const r = await browser.post('/login/oidc', { csrf })
    assert.equal(r.statusCode, 429)
    assert.ok(Number(r.headers['retry-after']) > 0)
    assert.match(r.body, /Too many sign-in attempts\. Try again in 1 minute\./)
    assert.equal((await ctx.db.kysely.selectFrom('oidc_flows').selectAll().execute()).length, 30)
  })

  test('LG-9 a provider that cannot be reached gives a clear message, never a 5xx', async () => {
    await setUp()
    await linkAlice()
    // Down before the start: discovery fails at once.
    await releaseApp(app)
    await ctx.drop()
    ctx = await createTestContext(dialect, {
      ...idp.env(),
      OIDC_ISSUER: `http://127.0.0.1:${await closedPort()}`,
    })
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
    await buildUser(ctx, 'alice@example.org', PASSWORD)
    const page = await browser.get('/login')
    const r = await browser.post('/login/oidc', { csrf: csrfFrom(page.body) })
    assert.equal(r.statusCode, 200)
    assert.ok(r.body.includes(UNREACHABLE_TEXT), r.body)
    assert.equal((await ctx.db.kysely.selectFrom('oidc_flows').selectAll().execute()).length, 0)
  })

  test('LG-9 a provider that goes down before the code exchange gives the same message', async () => {
    await setUp()
    await linkAlice()
    const page = await browser.get('/login')
    const start = await browser.post('/login/oidc', { csrf: csrfFrom(page.body) })
    const callback = await atProvider(String(start.headers.location))
    await idp.stop()
    const r = await browser.get(callback)
    assert.equal(r.statusCode, 200)
    assert.ok(r.body.includes(UNREACHABLE_TEXT), r.body)
    assert.equal((await ctx.db.kysely.selectFrom('sessions').selectAll().execute()).length, 0)
  })

  test('LG-9 a provider that never answers times out (OIDC_TIMEOUT) with the same message', async () => {
    await idp.stop()
    idp = await new TestOidcProvider({ now: () => ctx.clock.now() }).start({ hang: true })
    await setUp({ OIDC_TIMEOUT: '0.3' })
    const page = await browser.get('/login')
    const t0 = Date.now()
    const r = await browser.post('/login/oidc', { csrf: csrfFrom(page.body) })
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`)
    assert.equal(r.statusCode, 200)
    assert.ok(r.body.includes(UNREACHABLE_TEXT), r.body)
  })
})

describe('LG-9 OIDC settings', () => {
  const base = { SECRET_KEY: 'x'.repeat(40) }
  test('LG-9 OIDC is on only with both OIDC_ISSUER and OIDC_CLIENT_ID', () => {
    assert.equal(loadConfig(base).accounts.oidc, null)
    assert.deepEqual(loadConfig(base).accounts.oidcMissing, [])
    const half = loadConfig({ ...base, OIDC_ISSUER: 'https://id.example.com' })
    assert.equal(half.accounts.oidc, null)
    assert.deepEqual(half.accounts.oidcMissing, ['OIDC_CLIENT_ID'])
    const on = loadConfig({
      ...base,
      SITE_ROOT: 'https://vigil.example.com',
      OIDC_ISSUER: 'https://id.example.com/realms/ops',
      OIDC_CLIENT_ID: 'vigil',
      OIDC_ALLOWED_DOMAINS: 'Example.com, @corp.example',
      OIDC_MFA_AMR: 'mfa, otp',
    }).accounts.oidc
    assert.equal(on?.redirectUri, 'https://vigil.example.com/login/oidc/callback')
    assert.equal(on?.clientSecret, null)
    assert.deepEqual(on?.allowedDomains, ['example.com', 'corp.example'])
    assert.deepEqual(on?.mfaAmr, ['mfa', 'otp'])
    assert.equal(on?.linkByEmail, false)
    assert.equal(on?.buttonLabel, 'single sign-on')
    assert.equal(on?.timeoutMs, 10_000)
  })

  test('LG-9 OIDC_ISSUER must be https except on loopback', () => {
    const env = { ...base, OIDC_CLIENT_ID: 'vigil' }
    assert.throws(
      () => loadConfig({ ...env, OIDC_ISSUER: 'http://id.example.com' }),
      /OIDC_ISSUER: must use https/,
    )
    assert.ok(loadConfig({ ...env, OIDC_ISSUER: 'http://127.0.0.1:9000' }).accounts.oidc)
    assert.ok(loadConfig({ ...env, OIDC_ISSUER: 'http://localhost:9000/realms/x' }).accounts.oidc)
    assert.throws(
      () =>
        loadConfig({
          ...env,
          OIDC_ISSUER: 'https://id.example.com',
          OIDC_ALLOWED_DOMAINS: 'not a domain',
        }),
      /OIDC_ALLOWED_DOMAINS/,
    )
  })
})
