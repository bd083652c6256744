import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { recoveryCodeStatus } from '../../src/accounts/factors/recovery-codes/recovery-codes.js'
import { newTotpSecret, totpCodeAt, totpStep } from '../../src/accounts/factors/totp/totp.js'
import { saveTotp } from '../../src/accounts/factors/totp/totp-devices.js'
import type { User } from '../../src/db/index.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { optionsFrom, SoftAuthenticator } from '../helpers/soft-authenticator.js'
import { csrfFrom, FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'
const MINUTE = 60_000
const ORIGIN = 'http://localhost:8000'

describeEachDatabase('security keys on the web', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient
  let alice: User
  let key: SoftAuthenticator

  async function start(env: Record<string, string> = {}) {
    ctx = await createTestContext(dialect, env)
    app = await testApp(ctx)
    browser = new FormClient(app, ctx.clock)
    alice = await buildUser(ctx, 'alice@example.org', PASSWORD)
    key = new SoftAuthenticator(ORIGIN, 'localhost')
  }
  beforeEach(() => start())
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  const logIn = (client = browser) =>
    client.submit('/login', '/login', { email: 'alice@example.org', password: PASSWORD })

  async function events(type: string) {
    return ctx.db.kysely
      .selectFrom('security_events')
      .selectAll()
      .where('type', '=', type)
      .execute()
  }

  async function keys() {
    return ctx.db.kysely.selectFrom('webauthn_credentials').selectAll().execute()
  }

  /** Logs in with the password (no 2FA yet) and adds `key` named `name`. */
  async function addKey(name = 'Blue key') {
    await logIn()
    const page = await browser.get('/account/keys')
    assert.equal(page.statusCode, 200)
    return browser.post('/account/keys', {
      csrf: csrfFrom(page.body),
      name,
      response: key.register(optionsFrom(page.body)),
    })
  }

  /** Logs in with the password, then answers the second step with the key. */
  async function logInWithKey(authenticator = key) {
    const first = await logIn()
    assert.equal(first.headers.location, '/login/second-step')
    const step = await browser.get('/login/second-step')
    assert.equal(step.statusCode, 200)
    assert.match(step.body, /data-second-step="webauthn"/)
    return browser.post('/login/second-step', {
      csrf: csrfFrom(step.body),
      method: 'webauthn',
      response: authenticator.assert(optionsFrom(step.body)),
    })
  }

  async function freshBrowser() {
    browser = new FormClient(app, ctx.clock)
  }

  test('WA-2 adding a key needs a fresh confirmation', async () => {
    await logIn()
    ctx.clock.advance(31 * MINUTE)
    const r = await browser.get('/account/keys')
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/account/confirm?next=%2Faccount%2Fkeys')
  })

  test('WA-2 the registration options ask for no attestation, no resident key, ES256/EdDSA/RS256', async () => {
    await logIn()
    const page = await browser.get('/account/keys')
    const options = optionsFrom(page.body) as unknown as {
      attestation: string
      authenticatorSelection: { residentKey: string; userVerification: string }
      pubKeyCredParams: { alg: number }[]
      rp: { id: string; name: string }
      user: { id: string; name: string }
      challenge: string
    }
    assert.equal(options.attestation, 'none')
    assert.equal(options.authenticatorSelection.residentKey, 'discouraged')
    assert.equal(options.authenticatorSelection.userVerification, 'preferred')
    assert.deepEqual(
      options.pubKeyCredParams.map((p) => p.alg),
      [-7, -8, -257],
    )
    assert.deepEqual(options.rp, { id: 'localhost', name: 'Vigil' })
    // A random 32-byte handle, not the address or the row id.
    assert.equal(Buffer.from(options.user.id, 'base64url').length, 32)
    assert.equal(Buffer.from(options.challenge, 'base64url').length, 32)
    const stored = await ctx.db.kysely
      .selectFrom('users')
      .select('webauthn_user_id')
      .where('id', '=', alice.id)
      .executeTakeFirstOrThrow()
    assert.equal(stored.webauthn_user_id, options.user.id)
  })

  test('WA-3 a new key is stored with its name, counter, RP ID and an audit event, and recovery codes are issued', async () => {
    const r = await addKey('Blue key')
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /Security key added/)
    assert.match(r.body, /data-recovery-codes/)
    const [row] = await keys()
    assert.equal(row.name, 'Blue key')
    assert.equal(row.credential_id, key.id)
    assert.equal(row.rp_id, 'localhost')
    assert.equal(row.transports, 'usb')
    assert.equal(row.user_id, alice.id)
    assert.equal((await events('webauthn.added')).length, 1)
    assert.equal((await recoveryCodeStatus(ctx, alice.id)).left, 10)
    const security = await browser.get('/account/security')
    assert.match(security.body, /data-key-name="Blue key"/)
  })

  test('WA-2 the same key cannot be registered twice, and its challenge works once', async () => {
    await logIn()
    const page = await browser.get('/account/keys')
    const options = optionsFrom(page.body)
    const answer = key.register(options)
    const csrf = csrfFrom(page.body)
    const first = await browser.post('/account/keys', { csrf, name: 'One', response: answer })
    assert.equal(first.statusCode, 200)
    const replay = await browser.post('/account/keys', { csrf, name: 'Two', response: answer })
    assert.equal(replay.statusCode, 400)
    assert.match(replay.body, /The request took too long/)
    assert.equal((await keys()).length, 1)
  })

  test('WA-2 an answer from another origin is refused with 400 and the key is not stored', async () => {
    await logIn()
    const page = await browser.get('/account/keys')
    const r = await browser.post('/account/keys', {
      csrf: csrfFrom(page.body),
      name: 'Evil',
      response: key.register(optionsFrom(page.body), 'https://evil.example'),
    })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /That security key didn't work\. Try again or use another method\./)
    assert.equal((await keys()).length, 0)
  })

  test('WA-3 a key name must have 1 to 100 characters', async () => {
    const r = await addKey(' '.repeat(3))
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /1 to 100 characters/)
    const long = await browser.post('/account/keys', {
      csrf: csrfFrom(r.body),
      name: 'x'.repeat(101),
      response: key.register(optionsFrom(r.body)),
    })
    assert.equal(long.statusCode, 400)
    assert.equal((await keys()).length, 0)
  })

  test('WA-4 a user with a key logs in with it at the second step', async () => {
    await addKey()
    await freshBrowser()
    const r = await logInWithKey()
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/checks/')
    const [row] = await keys()
    assert.equal(row.sign_count, key.counter)
    assert.equal(row.last_used_at, ctx.clock.now())
    const amrs = await ctx.db.kysely.selectFrom('sessions').select('amr').execute()
    assert.deepEqual(amrs.map((s) => s.amr).sort(), ['password', 'password,webauthn'])
    assert.equal((await events('login.2fa_success')).length, 1)
  })

  test('T-21 a key whose counter went backwards is refused with 400 and audited', async () => {
    await addKey()
    await freshBrowser()
    await logInWithKey()
    await ctx.db.kysely.updateTable('webauthn_credentials').set({ sign_count: 50 }).execute()
    await freshBrowser()
    const r = await logInWithKey()
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /That security key didn't work/)
    const audit = await events('webauthn.counter_regression')
    assert.equal(audit.length, 1)
    assert.deepEqual(JSON.parse(audit[0].details), { name: 'Blue key', stored: 50, received: 2 })
    assert.equal((await keys())[0].sign_count, 50)
  })

  test('WA-4 an assertion from another origin fails with the key message, never a bare 400', async () => {
    await addKey()
    await freshBrowser()
    await logIn()
    const step = await browser.get('/login/second-step')
    const r = await browser.post('/login/second-step', {
      csrf: csrfFrom(step.body),
      method: 'webauthn',
      response: key.assert(optionsFrom(step.body), 'https://evil.example'),
    })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /That security key didn't work\. Try again or use another method\./)
    assert.match(r.body, /data-second-step="webauthn"/)
  })

  test('RA-4 the confirm page offers the key first, and a key grants sudo that covers removing it', async () => {
    await addKey()
    await freshBrowser()
    await logInWithKey()
    ctx.clock.advance(31 * MINUTE)
    const confirm = await browser.get('/account/confirm?next=%2Faccount%2Fkeys%2Fremove')
    assert.equal(confirm.statusCode, 200)
    assert.match(confirm.body, /action="\/account\/confirm\/key"/)
    const granted = await browser.post('/account/confirm/key', {
      csrf: csrfFrom(confirm.body),
      next: '/account/keys/remove',
      response: key.assert(optionsFrom(confirm.body)),
    })
    assert.equal(granted.statusCode, 303)
    assert.equal(granted.headers.location, '/account/keys/remove')
    const list = await browser.get('/account/keys/remove')
    assert.match(list.body, /This is your last second factor/)
    const [row] = await keys()
    const removed = await browser.post('/account/keys/remove', {
      csrf: csrfFrom(list.body),
      key: String(row.id),
    })
    assert.equal(removed.statusCode, 200)
    assert.match(removed.body, /Two-factor authentication is now off\./)
    assert.equal((await keys()).length, 0)
    assert.equal((await recoveryCodeStatus(ctx, alice.id)).left, 0)
    assert.equal((await events('webauthn.removed')).length, 1)
  })

  test('WA-6 removing a key after a password confirmation is refused with 403', async () => {
    await addKey()
    await freshBrowser()
    await logInWithKey()
    ctx.clock.advance(31 * MINUTE)
    // The user also has a password; with 2FA on, it may not confirm a downgrade (RA-5).
    const confirm = await browser.get('/account/confirm?next=%2Faccount%2Fsessions&method=password')
    const granted = await browser.post('/account/confirm', {
      csrf: csrfFrom(confirm.body),
      next: '/account/sessions',
      method: 'password',
      value: PASSWORD,
    })
    assert.equal(granted.statusCode, 303)
    const [row] = await keys()
    const r = await browser.post('/account/keys/remove', {
      csrf: csrfFrom((await browser.get('/account/security')).body),
      key: String(row.id),
    })
    assert.equal(r.statusCode, 403)
    assert.equal((await keys()).length, 1)
    assert.equal((await events('reauth.downgrade_blocked')).length, 1)
  })

  test('WA-3 a key can be renamed without sudo', async () => {
    await addKey()
    await freshBrowser()
    await logInWithKey()
    ctx.clock.advance(31 * MINUTE)
    const [row] = await keys()
    const r = await browser.post('/account/keys/rename', {
      csrf: csrfFrom((await browser.get('/account/security')).body),
      key: String(row.id),
      name: 'Red key',
    })
    assert.equal(r.statusCode, 303)
    assert.equal((await keys())[0].name, 'Red key')
  })

  test('T-20 a user with only a key registered for another RP ID gets the WA-5 text, not 404', async () => {
    await ctx.db.kysely
      .insertInto('webauthn_credentials')
      .values({
        user_id: alice.id,
        credential_id: key.id,
        public_key: 'AAAA',
        rp_id: 'old.example.org',
        name: 'Old key',
        created: ctx.clock.now(),
        last_used_at: null,
      })
      .execute()
    const first = await logIn()
    assert.equal(first.headers.location, '/login/second-step')
    const step = await browser.get('/login/second-step')
    assert.equal(step.statusCode, 200)
    assert.match(
      step.body,
      /Your security key can't be used on this server right now \(its WebAuthn settings changed\)\. Use a recovery code or ask the administrator\./,
    )
  })
})

describeEachDatabase('security keys while WebAuthn is disabled', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  test('WA-5 a user with a key and TOTP is offered TOTP when keys cannot work here', async () => {
    // http and not localhost: the capability is disabled (WA-1).
    ctx = await createTestContext(dialect, { SITE_ROOT: 'http://vigil.example.com' })
    app = await testApp(ctx)
    const browser = new FormClient(app, ctx.clock)
    const alice = await buildUser(ctx, 'alice@example.org', PASSWORD)
    await ctx.db.kysely
      .insertInto('webauthn_credentials')
      .values({
        user_id: alice.id,
        credential_id: 'abc',
        public_key: 'AAAA',
        rp_id: 'vigil.example.com',
        name: 'Key',
        created: ctx.clock.now(),
        last_used_at: null,
      })
      .execute()
    const secret = newTotpSecret()
    await saveTotp(ctx, alice.id, secret, totpStep(ctx.clock.now()) - 2, ctx.clock.now())
    await browser.submit('/login', '/login', { email: 'alice@example.org', password: PASSWORD })
    const step = await browser.get('/login/second-step')
    assert.equal(step.statusCode, 200)
    assert.match(step.body, /data-second-step="totp"/)
    assert.doesNotMatch(step.body, /Use your security key/)
    const done = await browser.post('/login/second-step', {
      csrf: csrfFrom(step.body),
      method: 'totp',
      code: totpCodeAt(secret, ctx.clock.now()),
    })
    assert.equal(done.statusCode, 303)
    // And the add-key page explains instead of failing.
    const add = await browser.get('/account/keys')
    assert.equal(add.statusCode, 200)
    assert.match(add.body, /data-webauthn-disabled/)
  })
})
