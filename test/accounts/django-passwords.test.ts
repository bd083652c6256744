import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { hash } from '@node-rs/argon2'
import { logIn } from '../../src/accounts/login/log-in.js'
import {
  hashPassword,
  needsRehash,
  verifyPassword,
} from '../../src/accounts/passwords/passwords.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

// Computed with Python's hashlib, as Django's PBKDF2PasswordHasher does:
// base64.b64encode(hashlib.pbkdf2_hmac('sha256', b'correct horse battery', b'Healthchecks1', 260000))
const PBKDF2_SHA256 =
  'pbkdf2_sha256$260000$Healthchecks1$H2sCi6uremv0NKaScblrSjyC2cLwjfTgj2gIIxDGBrM='
// hashlib.pbkdf2_hmac('sha256', 'lètmein'.encode(), b'seasalt', 1000): non-ASCII is UTF-8.
const PBKDF2_UNICODE = 'pbkdf2_sha256$1000$seasalt$JgZryXe2Ga8ysg6XbzkLpTdyPQrHqsinbL9BnnhgX4A='
// Django's older default, PBKDF2SHA1PasswordHasher.
const PBKDF2_SHA1 = 'pbkdf2_sha1$10000$oldsalt$XGUaWe7nmgQQTrslZKtj7g1Fx28='
// From Django's own test suite (tests/auth_tests/test_hashers.py), password "secret".
const DJANGO_ARGON2I = 'argon2$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$YC9+jJCrQhs5R6db7LlN8Q'
const DJANGO_ARGON2I_NO_VERSION =
  'argon2$argon2i$m=8,t=1,p=1$c29tZXNhbHQ$gwQOXSNhxiOxPOA0+PY10P9QFO4NAYysnqRt1GSQLE55m+2GYDt9FEjPMHhP2Cuf0nOEXXMocVrsJAtNSsKyfg'

test('5.19 a Django pbkdf2_sha256 hash verifies the right password only', async () => {
  assert.equal(await verifyPassword(PBKDF2_SHA256, 'correct horse battery'), true)
  assert.equal(await verifyPassword(PBKDF2_SHA256, 'correct horse batterz'), false)
  assert.equal(await verifyPassword(PBKDF2_SHA256, ''), false)
  assert.equal(await verifyPassword(PBKDF2_UNICODE, 'lètmein'), true)
  assert.equal(await verifyPassword(PBKDF2_UNICODE, 'letmein'), false)
  assert.equal(await verifyPassword(PBKDF2_SHA1, 'correct horse battery'), true)
  assert.equal(await verifyPassword(PBKDF2_SHA1, 'wrong'), false)
})

test('5.19 malformed or unusable Django hashes never match', async () => {
  for (const stored of [
    'pbkdf2_sha256$260000$Healthchecks1$H2sCi6uremv0NKaScblrSjyC2cLwjfTgj2gIIxDGBr==',
    'pbkdf2_sha256$0$Healthchecks1$H2sCi6uremv0NKaScblrSjyC2cLwjfTgj2gIIxDGBrM=',
    'pbkdf2_sha256$260000$H2sCi6uremv0NKaScblrSjyC2cLwjfTgj2gIIxDGBrM=',
    'pbkdf2_md5$1000$salt$abcd',
    '!unusable-django-password',
    'md5$salt$5f4dcc3b5aa765d61d8327deb882cf99',
    'argon2$argon2id$garbage',
  ])
    assert.equal(await verifyPassword(stored, 'correct horse battery'), false, stored)
})

test('5.19 Django argon2 strings (argon2 + PHC) verify, with and without a version', async () => {
  assert.equal(await verifyPassword(DJANGO_ARGON2I, 'secret'), true)
  assert.equal(await verifyPassword(DJANGO_ARGON2I, 'wrong'), false)
  assert.equal(await verifyPassword(DJANGO_ARGON2I_NO_VERSION, 'secret'), true)
  assert.equal(await verifyPassword(DJANGO_ARGON2I_NO_VERSION, 'wrong'), false)
  // Django 4+ writes argon2id with argon2-cffi's defaults; its string is "argon2" + the PHC string.
  const argon2id = `argon2${await hash('correct horse battery', { memoryCost: 8192, timeCost: 2, parallelism: 1 })}`
  assert.match(argon2id, /^argon2\$argon2id\$v=19\$m=8192,t=2,p=1\$/)
  assert.equal(await verifyPassword(argon2id, 'correct horse battery'), true)
  assert.equal(await verifyPassword(argon2id, 'correct horse batter'), false)
})

test('5.19 only our own argon2id PHC strings are left as they are', async () => {
  assert.equal(needsRehash(await hashPassword('x', 'standard')), false)
  assert.equal(needsRehash(await hashPassword('x', 'test')), false)
  for (const stored of [PBKDF2_SHA256, PBKDF2_SHA1, DJANGO_ARGON2I, 'argon2$argon2id$v=19$…'])
    assert.equal(needsRehash(stored), true, stored)
})

describeEachDatabase('imported Healthchecks passwords at log-in', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
  })
  afterEach(() => ctx.drop())

  async function importUser(email: string, passwordHash: string): Promise<void> {
    await ctx.db.kysely
      .insertInto('users')
      .values({ email, password_hash: passwordHash, is_superuser: 0, created: ctx.clock.now() })
      .execute()
  }
  const storedHash = async (email: string) =>
    (
      await ctx.db.kysely
        .selectFrom('users')
        .select('password_hash')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
    ).password_hash

  test('5.19 a PBKDF2 user logs in and the hash is rehashed to argon2id', async () => {
    await importUser('alice@example.org', PBKDF2_SHA256)
    const wrong = await logIn(ctx, {
      email: 'alice@example.org',
      password: 'nope',
      ip: '192.0.2.1',
    })
    assert.deepEqual(wrong, { ok: false, error: { kind: 'invalid-credentials' } })
    assert.equal(await storedHash('alice@example.org'), PBKDF2_SHA256, 'a failure changes nothing')

    const r = await logIn(ctx, {
      email: 'alice@example.org',
      password: 'correct horse battery',
      ip: '192.0.2.1',
    })
    assert.ok(r.ok && r.value.step === 'done')
    const now = await storedHash('alice@example.org')
    assert.match(now ?? '', /^\$argon2id\$v=19\$/)
    assert.equal(await verifyPassword(now, 'correct horse battery'), true)
    // The new hash keeps working.
    const again = await logIn(ctx, {
      email: 'alice@example.org',
      password: 'correct horse battery',
      ip: '192.0.2.1',
    })
    assert.ok(again.ok)
    assert.equal(await storedHash('alice@example.org'), now, 'rehashed once, not on every log-in')
  })

  test('5.19 a Django argon2 user logs in and is rehashed to our argon2id', async () => {
    await importUser('bob@example.org', DJANGO_ARGON2I)
    const r = await logIn(ctx, { email: 'bob@example.org', password: 'secret', ip: '192.0.2.1' })
    assert.ok(r.ok)
    assert.match((await storedHash('bob@example.org')) ?? '', /^\$argon2id\$/)
  })
})
