import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { logIn } from '../../src/accounts/login/log-in.js'
import { createUser } from '../../src/accounts/users/create-user.js'
import { sha256Hex } from '../../src/tokens.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const PASSWORD = 'correct horse battery'

describeEachDatabase('logIn', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    await buildUser(ctx, 'alice@example.org', PASSWORD)
  })
  afterEach(() => ctx.drop())

  test('the right password returns the user and a new session whose digest is stored', async () => {
    const r = await logIn(ctx, {
      email: ' ALICE@example.org ',
      password: PASSWORD,
      ip: '192.0.2.1',
    })
    assert.ok(r.ok)
    assert.ok(r.value.step === 'done')
    assert.equal(r.value.user.email, 'alice@example.org')
    assert.equal(r.value.session.id, sha256Hex(r.value.token))
    const rows = await ctx.db.kysely.selectFrom('sessions').select('id').execute()
    assert.deepEqual(rows, [{ id: r.value.session.id }])
  })

  test('an account without a password cannot be logged into', async () => {
    const r = await createUser(ctx, { email: 'nopass@example.org', password: null })
    assert.ok(r.ok)
    for (const password of ['', 'anything at all']) {
      const attempt = await logIn(ctx, { email: 'nopass@example.org', password, ip: '192.0.2.1' })
      assert.deepEqual(attempt, { ok: false, error: { kind: 'invalid-credentials' } })
    }
  })

  test('50 failures a day for one account are throttled whatever the client address', async () => {
    for (let i = 0; i < 50; i++) {
      const r = await logIn(ctx, {
        email: 'alice@example.org',
        password: 'wrong',
        ip: `198.51.100.${i}`,
      })
      assert.deepEqual(r, { ok: false, error: { kind: 'invalid-credentials' } }, `attempt ${i + 1}`)
    }
    const r = await logIn(ctx, {
      email: 'alice@example.org',
      password: PASSWORD,
      ip: '203.0.113.9',
    })
    assert.deepEqual(r, { ok: false, error: { kind: 'throttled', retryAfterSeconds: 24 * 3600 } })
  })
})
