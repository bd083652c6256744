import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { replaceRecoveryCodes } from '../../src/accounts/factors/recovery-codes/recovery-codes.js'
import { newTotpSecret } from '../../src/accounts/factors/totp/totp.js'
import { saveTotp } from '../../src/accounts/factors/totp/totp-devices.js'
import { logInWithLink } from '../../src/accounts/login/login-links.js'
import { verifyPassword } from '../../src/accounts/passwords/passwords.js'
import { createSession } from '../../src/accounts/sessions/sessions.js'
import type { Env } from '../../src/config/index.js'
import type { User } from '../../src/db/index.js'
import { buildUser } from '../helpers/builders.js'
import { databaseEnv, runVigil } from '../helpers/cli.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const META = { ip: '192.0.2.1', userAgent: 'test' }

describeEachDatabase('operator recovery commands', (dialect) => {
  let ctx: TestContext
  let env: Env
  let alice: User
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    // The CLI reads the real clock; the use cases called here must agree with it.
    ctx.clock.set(Date.now())
    env = { ...databaseEnv(ctx.config.db), SECRET_KEY: 'test-secret-key-0123456789' }
    alice = await buildUser(ctx, 'alice@example.org')
  })
  afterEach(() => ctx.drop())

  const count = async (table: 'sessions' | 'user_totp' | 'recovery_codes') =>
    (
      await ctx.db.kysely
        .selectFrom(table)
        .select('user_id')
        .where('user_id', '=', alice.id)
        .execute()
    ).length
  const passwordHash = async () =>
    (
      await ctx.db.kysely
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', alice.id)
        .executeTakeFirstOrThrow()
    ).password_hash
  /** `vigil user set-password <email> --password <password>` with `env` (this test's unless told). */
  const setPassword = (email: string, password: string, withEnv = env) =>
    runVigil(withEnv, 'user', 'set-password', email, '--password', password)
  const eventTypes = async () =>
    (await ctx.db.kysely.selectFrom('security_events').select('type').execute()).map((e) => e.type)

  test('user set-password sets the password, signs the user out everywhere and is audited', async () => {
    await createSession(ctx, alice.id)
    const r = await setPassword('Alice@example.org', 'new password here')
    assert.equal(r.code, 0, r.err)
    assert.equal(r.out, 'Password set for alice@example.org; 1 session(s) signed out.')
    assert.ok(await verifyPassword(await passwordHash(), 'new password here'))
    assert.equal(await count('sessions'), 0)
    assert.deepEqual(await eventTypes(), ['password.changed'])
  })

  test('user set-password refuses an unknown address and a short password with exit 1', async () => {
    const unknown = await setPassword('nobody@example.org', 'long enough pw')
    assert.equal(unknown.code, 1)
    assert.equal(unknown.err, 'vigil: no user with the email nobody@example.org')
    const short = await setPassword('alice@example.org', 'short')
    assert.equal(short.code, 1)
    assert.match(short.err, /at least 8 characters/)
  })

  test('LG-1 user set-password refuses a common password and changes nothing', async () => {
    const before = await passwordHash()
    const r = await setPassword('alice@example.org', 'Password123!')
    assert.equal(r.code, 1)
    assert.equal(r.err, 'vigil: the password is on the list of common passwords; choose another')
    assert.equal(await passwordHash(), before)
    assert.deepEqual(await eventTypes(), [])
  })

  test('LG-1 user create and set-password say the configured PASSWORD_MIN_LENGTH', async () => {
    const strict = { ...env, PASSWORD_MIN_LENGTH: '12' }
    const createBob = (password: string) =>
      runVigil(strict, 'user', 'create', '--email', 'bob@example.org', '--password', password)
    const created = await createBob('xkcd-horse1')
    assert.equal(created.code, 1)
    assert.equal(created.err, 'vigil: the password must have at least 12 characters')
    const set = await setPassword('alice@example.org', 'xkcd-horse1', strict)
    assert.equal(set.code, 1)
    assert.equal(set.err, 'vigil: the password must have at least 12 characters')
    const ok = await createBob('xkcd-horse12')
    assert.equal(ok.code, 0, ok.err)
  })

  test('user reset-2fa removes the app and the recovery codes, ends sessions and is audited', async () => {
    await saveTotp(ctx, alice.id, newTotpSecret(), 1, ctx.clock.now())
    await replaceRecoveryCodes(ctx, alice.id, ctx.clock.now())
    await createSession(ctx, alice.id)
    const r = await runVigil(env, 'user', 'reset-2fa', 'alice@example.org')
    assert.equal(r.code, 0, r.err)
    assert.match(
      r.out,
      /1 authenticator app\(s\), 0 security key\(s\), 10 recovery code\(s\); 1 session\(s\) signed out\./,
    )
    assert.equal(await count('user_totp'), 0)
    assert.equal(await count('recovery_codes'), 0)
    assert.equal(await count('sessions'), 0)
    assert.deepEqual(await eventTypes(), ['admin.2fa_reset'])
  })

  test('user login-link prints a one-time URL that signs in once', async () => {
    const r = await runVigil(env, 'user', 'login-link', 'alice@example.org', '--ttl', '10m')
    assert.equal(r.code, 0, r.err)
    const m = /^http:\/\/localhost:8000\/login\/link\?token=([A-Za-z0-9_-]{43})$/.exec(r.out)
    assert.ok(m, r.out)
    assert.deepEqual(await eventTypes(), ['admin.login_link_issued'])
    const first = await logInWithLink(ctx, m[1], META)
    assert.ok(first.ok && first.value.step === 'done')
    assert.equal((await logInWithLink(ctx, m[1], META)).ok, false, 'single use')
  })

  test('user login-link still asks a user with 2FA for the second factor, and expires', async () => {
    await saveTotp(ctx, alice.id, newTotpSecret(), 1, ctx.clock.now())
    const r = await runVigil(env, 'user', 'login-link', 'alice@example.org')
    const token = r.out.split('token=')[1]
    const used = await logInWithLink(ctx, token, META)
    assert.ok(used.ok && used.value.step === 'second-factor')
    assert.equal(await count('sessions'), 0)
    const late = (
      await runVigil(env, 'user', 'login-link', 'alice@example.org', '--ttl', '1m')
    ).out.split('token=')[1]
    ctx.clock.set(Date.now() + 61_000)
    assert.equal((await logInWithLink(ctx, late, META)).ok, false)
    assert.equal(
      (await runVigil(env, 'user', 'login-link', 'alice@example.org', '--ttl', 'soon')).code,
      2,
    )
  })

  test('sessions revoke signs out one user, or everyone with --all', async () => {
    const bob = await buildUser(ctx, 'bob@example.org')
    await createSession(ctx, alice.id)
    await createSession(ctx, alice.id)
    await createSession(ctx, bob.id)
    const one = await runVigil(env, 'sessions', 'revoke', 'alice@example.org')
    assert.equal(one.code, 0, one.err)
    assert.equal(one.out, '2 session(s) of alice@example.org signed out.')
    assert.equal((await ctx.db.kysely.selectFrom('sessions').select('id').execute()).length, 1)
    const all = await runVigil(env, 'sessions', 'revoke', '--all')
    assert.equal(all.out, '1 session(s) signed out.')
    assert.equal((await runVigil(env, 'sessions', 'revoke')).code, 2)
    assert.equal((await runVigil(env, 'sessions', 'revoke', 'nobody@example.org')).code, 1)
  })
})
