import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { authorizeBucket, drawToken, pruneTokenBuckets } from '../../src/ratelimit/index.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const RULE = { capacity: 6, refillMs: 60_000 }

test('drawToken refills by elapsed time, caps at one token and takes 1/capacity', () => {
  assert.equal(drawToken(1, 0, RULE), 1 - 1 / 6)
  assert.equal(drawToken(0, 60_000, RULE), 1 - 1 / 6)
  assert.equal(drawToken(0.5, 3_600_000, RULE), 1 - 1 / 6)
  assert.ok(drawToken(0, 9_999, RULE) < 0)
  assert.ok(Math.abs(drawToken(0, 10_000, RULE)) < 1e-9)
  // A clock that went backwards refills nothing.
  assert.equal(drawToken(0.5, -5_000, RULE), 0.5 - 1 / 6)
})

describeEachDatabase('token buckets', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
  })
  afterEach(() => ctx.drop())

  test('six requests a minute pass, the seventh is refused', async () => {
    const now = ctx.clock.now()
    for (let i = 0; i < 6; i++) assert.equal(await authorizeBucket(ctx.db, 'tg-1', RULE, now), true)
    assert.equal(await authorizeBucket(ctx.db, 'tg-1', RULE, now), false)
    // Another key has its own bucket.
    assert.equal(await authorizeBucket(ctx.db, 'tg-2', RULE, now), true)
  })

  test('a refused request is not counted and ten seconds buy one more', async () => {
    const now = ctx.clock.now()
    for (let i = 0; i < 6; i++) await authorizeBucket(ctx.db, 'k', RULE, now)
    for (let i = 0; i < 3; i++)
      assert.equal(await authorizeBucket(ctx.db, 'k', RULE, now + 1), false)
    assert.equal(await authorizeBucket(ctx.db, 'k', RULE, now + 10_000), true)
    assert.equal(await authorizeBucket(ctx.db, 'k', RULE, now + 10_000), false)
  })

  test('concurrent requests share the bucket exactly', async () => {
    const now = ctx.clock.now()
    const results = await Promise.all(
      Array.from({ length: 20 }, () => authorizeBucket(ctx.db, 'shared', RULE, now)),
    )
    assert.equal(results.filter(Boolean).length, 6)
  })

  test('buckets untouched for a day are pruned', async () => {
    const now = ctx.clock.now()
    await authorizeBucket(ctx.db, 'old', RULE, now - 2 * 86_400_000)
    await authorizeBucket(ctx.db, 'new', RULE, now)
    assert.equal(await pruneTokenBuckets(ctx.db, now - 86_400_000), 1)
    const left = await ctx.db.kysely.selectFrom('token_buckets').select('value').execute()
    assert.deepEqual(
      left.map((r) => r.value),
      ['new'],
    )
  })
})
