import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import {
  consumeAttempt,
  refundAttempt,
  resetAttempts,
} from '../../src/accounts/login/login-throttle.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const rule = { key: 'email-ip:alice@example.org|127.0.0.1', limit: 3, windowMs: 60_000 }

describeEachDatabase('login throttle', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
  })
  afterEach(() => ctx.drop())

  test('it allows `limit` attempts per window, then answers with the seconds left', async () => {
    const t = ctx.clock.now()
    for (let i = 0; i < 3; i++)
      assert.deepEqual(await consumeAttempt(ctx, rule, t + i * 1000), { allowed: true })
    assert.deepEqual(await consumeAttempt(ctx, rule, t + 10_500), {
      allowed: false,
      retryAfterSeconds: 50,
    })
    assert.deepEqual(await consumeAttempt(ctx, rule, t + 59_999), {
      allowed: false,
      retryAfterSeconds: 1,
    })
    assert.deepEqual(await consumeAttempt(ctx, rule, t + 60_000), { allowed: true }, 'a new window')
  })

  test('parallel attempts cannot slip past the limit', async () => {
    const t = ctx.clock.now()
    const verdicts = await Promise.all(
      Array.from({ length: 10 }, () => consumeAttempt(ctx, rule, t)),
    )
    assert.equal(verdicts.filter((v) => v.allowed).length, 3)
  })

  test('a refund gives back one attempt and a reset all of them', async () => {
    const t = ctx.clock.now()
    for (let i = 0; i < 3; i++) await consumeAttempt(ctx, rule, t)
    await refundAttempt(ctx, rule.key)
    assert.equal((await consumeAttempt(ctx, rule, t)).allowed, true)
    assert.equal((await consumeAttempt(ctx, rule, t)).allowed, false)
    await resetAttempts(ctx, rule.key)
    assert.equal((await consumeAttempt(ctx, rule, t)).allowed, true)
  })

  test('keys are counted apart and stored only as digests', async () => {
    const t = ctx.clock.now()
    for (let i = 0; i < 4; i++) await consumeAttempt(ctx, rule, t)
    assert.equal(
      (await consumeAttempt(ctx, { ...rule, key: 'email-ip:bob@example.org|127.0.0.1' }, t))
        .allowed,
      true,
    )
    const keys = await ctx.db.kysely.selectFrom('login_attempts').select('key').execute()
    assert.ok(keys.every((k) => /^[0-9a-f]{64}$/.test(k.key)))
  })

  test('windows that ended are pruned', async () => {
    const t = ctx.clock.now()
    await consumeAttempt(ctx, rule, t)
    await consumeAttempt(ctx, { ...rule, key: 'other' }, t + 61_000)
    assert.equal(
      (await ctx.db.kysely.selectFrom('login_attempts').select('key').execute()).length,
      1,
    )
  })
})
