import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { logIn } from '../../src/accounts/login/log-in.js'
import {
  COMMON_PASSWORD_COUNT,
  isCommonPassword,
} from '../../src/accounts/passwords/common-passwords.js'
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  newPasswordProblem,
  verifyPassword,
} from '../../src/accounts/passwords/passwords.js'
import { createUser } from '../../src/accounts/users/create-user.js'
import { ConfigError, loadConfig } from '../../src/config/index.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

test('LG-1 a new password has 8 to 256 characters and no composition rules', () => {
  assert.deepEqual(newPasswordProblem('seven77', 8), { kind: 'password-too-short', min: 8 })
  assert.equal(newPasswordProblem('eightchr', 8), null, 'lower-case letters only are fine')
  assert.equal(newPasswordProblem('x'.repeat(255) + 'y', 8), null)
  assert.deepEqual(newPasswordProblem('x'.repeat(256) + 'y', 8), {
    kind: 'password-too-long',
    max: MAX_PASSWORD_LENGTH,
  })
  // Characters as people count them: 8 emoji are 8 characters (16 UTF-16 units).
  assert.equal(newPasswordProblem('🔒🔑🐍🦀🌵🍋🎲🧲', 8), null)
  assert.deepEqual(newPasswordProblem('🔒🔑🐍🦀🌵🍋🎲', 8), { kind: 'password-too-short', min: 8 })
})

test('LG-1 passwords on the bundled common list are refused, whatever their case', () => {
  assert.ok(COMMON_PASSWORD_COUNT > 6000)
  // From the ranked top-10,000 (zxcvbn-ts), not among our own base words.
  for (const p of ['darkstar', 'bobafett', 'swordfish', 'Presario', 'dbrnjhbz', '21081990'])
    assert.equal(isCommonPassword(p), true, p)
  for (const p of ['password', 'Password123', 'QWERTY123', '12345678', 'iloveyou1', '1q2w3e4r5t'])
    assert.deepEqual(newPasswordProblem(p, 8), { kind: 'password-too-common' }, p)
  assert.equal(isCommonPassword('aaaaaaaaaaaa'), true, 'one character repeated')
  assert.equal(isCommonPassword('correct horse battery'), false)
  assert.equal(isCommonPassword('Tr0ub4dor&3x'), false)
})

test('LG-1 PASSWORD_MIN_LENGTH raises the minimum, never below 8', () => {
  const base = { SECRET_KEY: 'test-secret-key-0123456789' }
  assert.equal(loadConfig(base).accounts.passwordMinLength, 8)
  assert.equal(loadConfig({ ...base, PASSWORD_MIN_LENGTH: '15' }).accounts.passwordMinLength, 15)
  assert.throws(() => loadConfig({ ...base, PASSWORD_MIN_LENGTH: '6' }), ConfigError)
})

describeEachDatabase('LG-1 password rules in the flows', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect, { PASSWORD_MIN_LENGTH: '12' })
  })
  afterEach(() => ctx.drop())

  test('LG-1 creating a user applies PASSWORD_MIN_LENGTH, the maximum and the common list', async () => {
    const make = (password: string) => createUser(ctx, { email: 'new@example.org', password })
    assert.deepEqual(await make('elevenchars'), {
      ok: false,
      error: { kind: 'password-too-short', min: 12 },
    })
    assert.deepEqual(await make('password1234'), {
      ok: false,
      error: { kind: 'password-too-common' },
    })
    assert.deepEqual(await make('x'.repeat(257)), {
      ok: false,
      error: { kind: 'password-too-long', max: 256 },
    })
    const r = await make('twelve chars')
    assert.ok(r.ok)
    assert.ok(await verifyPassword(r.value.password_hash, 'twelve chars'))
  })

  test('LG-1 an unknown email costs a password hash too, and gets the same error', async () => {
    await buildUser(ctx, 'alice@example.org', 'correct horse battery')
    // What one argon2id verification costs on this machine right now.
    const hashed = await hashPassword('warm-up', ctx.config.accounts.passwordHashCost)
    let t = performance.now()
    await verifyPassword(hashed, 'warm-up')
    const oneVerify = performance.now() - t
    // Warm the dummy hash up, so the measured call does the verification only.
    await logIn(ctx, { email: 'warm@example.org', password: 'x', ip: '192.0.2.1' })
    t = performance.now()
    const unknown = await logIn(ctx, {
      email: 'nobody@example.org',
      password: 'x',
      ip: '192.0.2.2',
    })
    const unknownMs = performance.now() - t
    const wrong = await logIn(ctx, { email: 'alice@example.org', password: 'x', ip: '192.0.2.3' })
    assert.deepEqual(unknown, wrong)
    assert.deepEqual(unknown, { ok: false, error: { kind: 'invalid-credentials' } })
    assert.ok(
      unknownMs >= oneVerify * 0.3,
      `unknown email took ${unknownMs.toFixed(1)} ms; one verify takes ${oneVerify.toFixed(1)} ms`,
    )
  })
})

test('RC-2 PASSWORD_HASH_COST=standard hashes with argon2id m=19 MiB, t=2, p=1; test with m=1 MiB, t=1', async () => {
  assert.match(await hashPassword('x', 'standard'), /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  assert.match(await hashPassword('x', 'test'), /^\$argon2id\$v=19\$m=1024,t=1,p=1\$/)
})
