import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { PASSKEY_COOKIE } from '../../src/accounts/login/passkey-login.js'
import type { User } from '../../src/db/index.js'
import { runDoctor } from '../../src/doctor/findings.js'
import { blockedByTwoFactorPolicy } from '../../src/projects/project-access.js'
import { PASSKEY_TEXT } from '../../src/web/login/passkey-routes.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { optionsFrom, SoftAuthenticator } from '../helpers/soft-authenticator.js'
import { csrfFrom, FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'
const MINUTE = 60_000
const ORIGIN = 'http://localhost:8000'
const ON = { PASSKEY_LOGIN: 'true' }

const escaped = (text: string) =>
  new RegExp(
    text
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/'/g, "(?:'|&#39;)")
      .replace(/"/g, '(?:"|&quot;)'),
  )

interface RequestOptionsJSON {
  challenge: string
  rpId: string
  allowCredentials?: unknown[]
  userVerification: string
}

describeEachDatabase('passkey sign-in (WA-7)', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient
  let alice: User
  let key: SoftAuthenticator

  async function start(env: Record<string, string> = ON) {
    ctx = await createTestContext(dialect, env)
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
    alice = await buildUser(ctx, 'alice@example.org', PASSWORD)
    key = new SoftAuthenticator(ORIGIN, 'localhost')
  }
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  const logIn = () =>
    browser.submit('/login', '/login', { email: 'alice@example.org', password: PASSWORD })

  const events = (type: string) =>
    ctx.db.kysely.selectFrom('security_events').selectAll().where('type', '=', type).execute()

  /** login.success events of passkey sign-ins (the password log-ins that set up keys have their own). */
  const passkeyLogins = async () =>
    (await events('login.success')).filter(
      (e) => JSON.parse(e.details ?? '{}').method === 'passkey',
    )

  const sessions = () => ctx.db.kysely.selectFrom('sessions').selectAll().execute()

  /** Logs in with the password, adds `authenticator` on `path`, then starts a fresh browser. */
  async function register(path: '/account/passkeys' | '/account/keys', authenticator = key) {
    await logIn()
    const page = await browser.get(path)
    assert.equal(page.statusCode, 200)
    const added = await browser.post(path, {
      csrf: csrfFrom(page.body),
      name: 'Laptop',
      response: authenticator.register(optionsFrom(page.body)),
    })
    assert.equal(added.statusCode, 200, added.body.slice(0, 500))
    browser = new FormClient(app, ctx.clock)
    return added
  }

  /** What the log-in page's script does first: POST for options (JSON), keeping the cookie. */
  async function passkeyOptions(client = browser) {
    const page = await client.get('/login')
    const r = await client.post(
      '/login/passkey/options',
      { csrf: csrfFrom(page.body) },
      { accept: 'application/json' },
    )
    return { page, r }
  }

  /** The whole sign-in as the browser runs it; returns the final POST's answer. */
  async function signIn(
    authenticator = key,
    client = browser,
  ): Promise<{ r: LightMyRequestResponse; response: string; cookie: string | undefined }> {
    const { page, r: opts } = await passkeyOptions(client)
    assert.equal(opts.statusCode, 200, opts.body)
    const cookie = client.cookies.get(PASSKEY_COOKIE)
    const response = authenticator.assert(opts.json().options)
    const r = await client.post('/login/passkey', { csrf: csrfFrom(page.body), response })
    return { r, response, cookie }
  }

  test('WA-7 with PASSKEY_LOGIN off there is no passkey button or link, and the endpoints refuse cleanly', async () => {
    await start({})
    const login = await browser.get('/login')
    assert.equal(login.statusCode, 200)
    assert.doesNotMatch(login.body, /Sign in with a passkey/)
    assert.doesNotMatch(login.body, /passkey-login/)
    const opts = await browser.post(
      '/login/passkey/options',
      { csrf: csrfFrom(login.body) },
      { accept: 'application/json' },
    )
    assert.equal(opts.statusCode, 404)
    assert.deepEqual(opts.json(), { error: PASSKEY_TEXT.unavailable })
    assert.equal(
      (await ctx.db.kysely.selectFrom('webauthn_challenges').selectAll().execute()).length,
      0,
    )
    const finish = await browser.post('/login/passkey', {
      csrf: csrfFrom(login.body),
      response: '{}',
    })
    assert.equal(finish.statusCode, 400)
    assert.match(finish.body, escaped(PASSKEY_TEXT.unavailable))
    assert.doesNotMatch(finish.body, /Sign in with a passkey/)
    // Signed in: no "Add a passkey", and the page itself explains instead of 404.
    await logIn()
    const security = await browser.get('/account/security')
    assert.doesNotMatch(security.body, /Add a passkey/)
    const add = await browser.get('/account/passkeys')
    assert.equal(add.statusCode, 200)
    assert.match(add.body, /data-webauthn-disabled/)
    assert.doesNotMatch(add.body, /data-options/)
  })

  test('WA-7 with PASSKEY_LOGIN on but WebAuthn disabled, no button and a clear 400, never 404 or 500', async () => {
    // http and not localhost: the capability is disabled (WA-1).
    await start({ ...ON, SITE_ROOT: 'http://vigil.example.com' })
    const login = await browser.get('/login')
    assert.doesNotMatch(login.body, /Sign in with a passkey/)
    const opts = await browser.post(
      '/login/passkey/options',
      { csrf: csrfFrom(login.body) },
      { accept: 'application/json' },
    )
    assert.equal(opts.statusCode, 400)
    assert.deepEqual(opts.json(), { error: PASSKEY_TEXT.unavailable })
    const finish = await browser.post('/login/passkey', {
      csrf: csrfFrom(login.body),
      response: '{}',
    })
    assert.equal(finish.statusCode, 400)
    assert.match(finish.body, escaped(PASSKEY_TEXT.unavailable))
  })

  test('WA-7 a passkey is registered as a discoverable credential with user verification required', async () => {
    await start()
    await logIn()
    const security = await browser.get('/account/security')
    assert.match(security.body, /href="\/account\/passkeys"/)
    const page = await browser.get('/account/passkeys')
    const options = optionsFrom(page.body) as unknown as {
      authenticatorSelection: {
        residentKey: string
        requireResidentKey: boolean
        userVerification: string
      }
    }
    assert.equal(options.authenticatorSelection.residentKey, 'required')
    assert.equal(options.authenticatorSelection.requireResidentKey, true)
    assert.equal(options.authenticatorSelection.userVerification, 'required')
    const added = await browser.post('/account/passkeys', {
      csrf: csrfFrom(page.body),
      name: 'Laptop',
      response: key.register(optionsFrom(page.body)),
    })
    assert.equal(added.statusCode, 200)
    assert.match(added.body, /Passkey added/)
    const [row] = await ctx.db.kysely.selectFrom('webauthn_credentials').selectAll().execute()
    assert.equal(row.passkey, 1)
    const [event] = await events('webauthn.added')
    assert.deepEqual(JSON.parse(event.details), { name: 'Laptop', passkey: true })
    assert.match((await browser.get('/account/security')).body, /Laptop \(passkey\)/)
  })

  test('WA-7 adding a passkey needs a fresh confirmation (RA-1)', async () => {
    await start()
    await logIn()
    ctx.clock.advance(31 * MINUTE)
    const r = await browser.get('/account/passkeys')
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/account/confirm?next=%2Faccount%2Fpasskeys')
    const confirm = await browser.get('/account/confirm?next=%2Faccount%2Fpasskeys')
    assert.equal(confirm.statusCode, 200)
    assert.match(confirm.body, /add a passkey/)
  })

  test('WA-7 a key that does not verify the user cannot be registered as a passkey', async () => {
    await start()
    await logIn()
    key.userVerified = false
    const page = await browser.get('/account/passkeys')
    const r = await browser.post('/account/passkeys', {
      csrf: csrfFrom(page.body),
      name: 'Old key',
      response: key.register(optionsFrom(page.body)),
    })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /didn(&#39;|')t create a passkey/)
    assert.equal(
      (await ctx.db.kysely.selectFrom('webauthn_credentials').selectAll().execute()).length,
      0,
    )
  })

  test('WA-7 a user signs in with a passkey alone: a full, multi-factor log-in with sudo, audited', async () => {
    await start()
    await register('/account/passkeys')
    const login = await browser.get('/login')
    assert.match(login.body, /Sign in with a passkey/)
    assert.match(login.body, /data-passkey-login="\/login\/passkey\/options"/)

    const { r: opts } = await passkeyOptions()
    const options = opts.json().options as RequestOptionsJSON
    assert.deepEqual(options.allowCredentials ?? [], [])
    assert.equal(options.userVerification, 'required')
    assert.equal(options.rpId, 'localhost')
    assert.equal(Buffer.from(options.challenge, 'base64url').length, 32)
    assert.ok(browser.cookies.get(PASSKEY_COOKIE))

    const { r } = await signIn()
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/checks/')
    assert.equal(browser.cookies.get(PASSKEY_COOKIE), undefined)
    const now = ctx.clock.now()
    const session = (await sessions()).find((s) => s.amr === 'passkey,webauthn')
    assert.ok(session)
    // RA-2: a full log-in; the grant comes from a second factor, so it covers class D (RA-5).
    assert.equal(session.created, now)
    assert.equal(session.reauth_at, now)
    assert.equal(session.reauth_method, 'webauthn')
    // TEAM-3: a user-verified passkey counts as two factors.
    assert.equal(blockedByTwoFactorPolicy({ require_2fa: 1 }, session), false)
    const removeKeys = await browser.get('/account/keys/remove')
    assert.equal(removeKeys.statusCode, 200)
    const [event] = await passkeyLogins()
    assert.equal(event.subject_user_id, alice.id)
    assert.deepEqual(JSON.parse(event.details), { method: 'passkey', key: 'Laptop' })
    const [row] = await ctx.db.kysely.selectFrom('webauthn_credentials').selectAll().execute()
    assert.equal(Number(row.sign_count), key.counter)
    assert.equal(Number(row.last_used_at), now)
  })

  test('WA-7 the passkey also works as the second step after the password', async () => {
    await start()
    await register('/account/passkeys')
    const first = await logIn()
    assert.equal(first.headers.location, '/login/second-step')
    const step = await browser.get('/login/second-step')
    const r = await browser.post('/login/second-step', {
      csrf: csrfFrom(step.body),
      method: 'webauthn',
      response: key.assert(optionsFrom(step.body)),
    })
    assert.equal(r.statusCode, 303)
  })

  test('WA-7 an assertion without the user-verification flag is refused with 400, audited, no session', async () => {
    await start()
    await register('/account/passkeys')
    const before = (await sessions()).length
    key.userVerified = false
    const { r } = await signIn()
    assert.equal(r.statusCode, 400)
    assert.match(r.body, escaped(PASSKEY_TEXT.notVerified))
    assert.match(r.body, /Sign in with a passkey/)
    assert.equal((await sessions()).length, before)
    const [failure] = await events('login.failure')
    assert.equal(failure.subject_user_id, alice.id)
    assert.deepEqual(JSON.parse(failure.details), {
      method: 'passkey',
      reason: 'user-not-verified',
    })
    assert.equal((await passkeyLogins()).length, 0)
  })

  test('WA-7 an unknown credential gets a clear 400', async () => {
    await start()
    await register('/account/passkeys')
    const stranger = new SoftAuthenticator(ORIGIN, 'localhost')
    stranger.userHandle = Buffer.alloc(32, 7).toString('base64url')
    const { r } = await signIn(stranger)
    assert.equal(r.statusCode, 400)
    assert.match(r.body, escaped(PASSKEY_TEXT.unknown))
    assert.equal((await passkeyLogins()).length, 0)
  })

  test('WA-7 a malformed answer or one naming another user gets the passkey message with 400, never 500', async () => {
    await start()
    await register('/account/passkeys')
    for (const response of [
      'not json',
      '[]',
      JSON.stringify({ id: key.id }),
      JSON.stringify({ id: key.id, response: 'x' }),
    ]) {
      const { page, r: opts } = await passkeyOptions()
      assert.equal(opts.statusCode, 200)
      const r = await browser.post('/login/passkey', { csrf: csrfFrom(page.body), response })
      assert.equal(r.statusCode, 400, response)
      assert.match(r.body, escaped(PASSKEY_TEXT.failed))
    }
    // A genuine signature, but the user handle is not the credential owner's (WebAuthn §7.2).
    key.userHandle = Buffer.alloc(32, 9).toString('base64url')
    const { r } = await signIn()
    assert.equal(r.statusCode, 400)
    assert.match(r.body, escaped(PASSKEY_TEXT.failed))
    assert.equal((await passkeyLogins()).length, 0)
  })

  test('WA-7 a key added only as a security key cannot sign in on its own', async () => {
    await start()
    await register('/account/keys')
    const { r } = await signIn()
    assert.equal(r.statusCode, 400)
    assert.match(r.body, escaped(PASSKEY_TEXT.notAPasskey))
    assert.ok(!(await sessions()).some((s) => s.amr.includes('passkey')))
  })

  test('WA-7 a passkey registered for another RP ID gets the WA-5 explanation, not 404', async () => {
    await start()
    await register('/account/passkeys')
    await ctx.db.kysely
      .updateTable('webauthn_credentials')
      .set({ rp_id: 'old.example.org' })
      .execute()
    const { r } = await signIn()
    assert.equal(r.statusCode, 400)
    assert.match(r.body, escaped(PASSKEY_TEXT.otherRp))
  })

  test('WA-7 a replayed challenge is refused: the answer works once', async () => {
    await start()
    await register('/account/passkeys')
    const { r, response, cookie } = await signIn()
    assert.equal(r.statusCode, 303)
    assert.ok(cookie)
    const replayer = new FormClient(app, ctx.clock)
    const page = await replayer.get('/login')
    replayer.cookies.set(PASSKEY_COOKIE, cookie)
    const replay = await replayer.post('/login/passkey', { csrf: csrfFrom(page.body), response })
    assert.equal(replay.statusCode, 400)
    assert.match(replay.body, escaped(PASSKEY_TEXT.expired))
    assert.equal((await passkeyLogins()).length, 1)
  })

  test('WA-7 a challenge is bound to the browser that asked for it and expires after 300 s', async () => {
    await start()
    await register('/account/passkeys')
    const { r: opts } = await passkeyOptions()
    const response = key.assert(opts.json().options)
    // Another browser (no cookie) posting this browser's answer.
    const other = new FormClient(app, ctx.clock)
    const page = await other.get('/login')
    const stolen = await other.post('/login/passkey', { csrf: csrfFrom(page.body), response })
    assert.equal(stolen.statusCode, 400)
    assert.match(stolen.body, escaped(PASSKEY_TEXT.expired))
    // The right browser, too late (the cookie is kept by hand past its max-age).
    const cookie = browser.cookies.get(PASSKEY_COOKIE)
    assert.ok(cookie)
    ctx.clock.advance(5 * MINUTE + 1)
    const late = await browser.get('/login')
    browser.cookies.set(PASSKEY_COOKIE, cookie)
    const r = await browser.post('/login/passkey', { csrf: csrfFrom(late.body), response })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, escaped(PASSKEY_TEXT.expired))
    assert.equal((await passkeyLogins()).length, 0)
  })

  test('WA-7 a passkey whose counter went backwards is refused with 400 and audited', async () => {
    await start()
    await register('/account/passkeys')
    await ctx.db.kysely.updateTable('webauthn_credentials').set({ sign_count: 50 }).execute()
    const { r } = await signIn()
    assert.equal(r.statusCode, 400)
    assert.match(r.body, escaped(PASSKEY_TEXT.failed))
    assert.equal((await events('webauthn.counter_regression')).length, 1)
    assert.equal(
      Number(
        (await ctx.db.kysely.selectFrom('webauthn_credentials').selectAll().execute())[0]
          .sign_count,
      ),
      50,
    )
  })

  test('WA-7 RL-W1 failed passkey sign-ins count into RL-F1: the sixth in 5 minutes gets 429 with Retry-After', async () => {
    await start()
    await register('/account/passkeys')
    key.userVerified = false
    for (let i = 0; i < 5; i++) assert.equal((await signIn()).r.statusCode, 400)
    key.userVerified = true
    const { r } = await signIn()
    assert.equal(r.statusCode, 429)
    assert.ok(Number(r.headers['retry-after']) > 0)
    assert.match(r.body, /Too many failed attempts\. Try again in \d+ minutes?\./)
    ctx.clock.advance(5 * MINUTE + 1)
    assert.equal((await signIn()).r.statusCode, 303)
  })

  test('WA-7 passkey starts are limited per client IP: the 31st in 10 minutes gets 429 JSON with Retry-After', async () => {
    await start()
    for (let i = 0; i < 30; i++) assert.equal((await passkeyOptions()).r.statusCode, 200)
    const { r } = await passkeyOptions()
    assert.equal(r.statusCode, 429)
    assert.ok(Number(r.headers['retry-after']) > 0)
    assert.equal(r.json().error, 'rate_limited')
    ctx.clock.advance(10 * 60_000)
    assert.equal((await passkeyOptions()).r.statusCode, 200, 'the bucket refills')
  })

  test('WA-7 the log-in page shown again after a wrong password still offers the passkey', async () => {
    await start()
    const r = await browser.submit('/login', '/login', {
      email: 'alice@example.org',
      password: 'not the password',
    })
    assert.match(r.body, /Incorrect email or password/)
    assert.match(r.body, /Sign in with a passkey/)
  })

  test('WA-7 ACC-001 counts passkey holders as users who can log in while passkey sign-in works', async () => {
    await start()
    await register('/account/passkeys')
    // No SMTP in tests; without passwords only the passkey is left.
    await ctx.db.kysely.updateTable('users').set({ password_hash: null }).execute()
    const ids = async (c: TestContext) => (await runDoctor(c, { network: false })).map((f) => f.id)
    assert.ok(!(await ids(ctx)).includes('ACC-001'))
    const off = {
      ...ctx,
      config: Object.freeze({
        ...ctx.config,
        accounts: { ...ctx.config.accounts, passkeyLogin: false },
      }),
    }
    assert.ok((await ids(off)).includes('ACC-001'))
  })
})
