import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { recordRateLimitBlock } from '../../src/accounts/audit/rate-limit-audit.js'
import { throttledCheck } from '../../src/accounts/factors/second-factor-throttle.js'
import { logIn } from '../../src/accounts/login/log-in.js'
import { takeSignInMailRequest } from '../../src/accounts/login/sign-in-mail-limits.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const MINUTE = 60_000

describeEachDatabase('ratelimit.blocked audit events, sampled (AU-2)', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
  })
  afterEach(() => ctx.drop())

  const events = async () =>
    (
      await ctx.db.kysely
        .selectFrom('security_events')
        .select(['subject_user_id', 'ip', 'details'])
        .where('type', '=', 'ratelimit.blocked')
        .orderBy('id')
        .execute()
    ).map((e) => ({ ...e, details: JSON.parse(e.details) as Record<string, unknown> }))

  test('AU-2 a block is recorded once per key and window, again in the next window', async () => {
    const block = { rule: 'RL-X', key: 'k1', windowMs: 10 * MINUTE, retryAfterSeconds: 5 }
    const now = ctx.clock.now()
    assert.equal(await recordRateLimitBlock(ctx, block, now), true)
    assert.equal(await recordRateLimitBlock(ctx, block, now + 1000), false)
    assert.equal(await recordRateLimitBlock(ctx, block, now + 10 * MINUTE - 1000), false)
    assert.equal(await recordRateLimitBlock(ctx, { ...block, key: 'k2' }, now), true)
    assert.equal(await recordRateLimitBlock(ctx, { ...block, rule: 'RL-Y' }, now), true)
    assert.equal(await recordRateLimitBlock(ctx, block, now + 10 * MINUTE), true)
    assert.equal((await events()).length, 4)
  })

  test('AU-2 RL-P1 password log-in blocks: one event for many blocked tries, with IP, no address', async () => {
    await buildUser(ctx, 'alice@example.org')
    const tryOnce = () =>
      logIn(ctx, { email: 'alice@example.org', password: 'wrong password', ip: '192.0.2.1' })
    for (let i = 0; i < 10; i++) assert.equal((await tryOnce()).ok, false)
    assert.deepEqual(await events(), [])
    for (let i = 0; i < 5; i++) {
      const r = await tryOnce()
      assert.equal(!r.ok && r.error.kind, 'throttled')
    }
    const [e, ...more] = await events()
    assert.deepEqual(more, [])
    assert.equal(e.ip, '192.0.2.1')
    assert.equal(e.details.rule, 'RL-P1')
    assert.equal(e.details.retry_after, 15 * 60)
    assert.doesNotMatch(JSON.stringify(e.details), /alice/, 'no address in clear')
    // After the 15-minute window, the next block is recorded again.
    ctx.clock.advance(15 * MINUTE)
    for (let i = 0; i < 11; i++) await tryOnce()
    assert.equal((await events()).length, 2)
  })

  test('AU-2 RL-F1 second-factor blocks name the account', async () => {
    const user = await buildUser(ctx, 'bob@example.org')
    const wrong = async () => ({ ok: false })
    for (let i = 0; i < 5; i++) await throttledCheck(ctx, user.id, ctx.clock.now(), wrong)
    for (let i = 0; i < 3; i++) {
      const r = await throttledCheck(ctx, user.id, ctx.clock.now(), wrong)
      assert.equal('kind' in r && r.kind, 'throttled')
    }
    const rows = await events()
    assert.equal(rows.length, 1)
    assert.equal(rows[0].subject_user_id, user.id)
    assert.equal(rows[0].details.rule, 'RL-F1')
  })

  test('AU-2 RL-L2 sign-in mail requests per IP: sampled per IP', async () => {
    const now = ctx.clock.now()
    for (let i = 0; i < 20; i++)
      assert.equal(
        (await takeSignInMailRequest(ctx, `u${i}@example.org`, '198.51.100.4', now)).allowed,
        true,
      )
    for (let i = 0; i < 4; i++)
      assert.equal(
        (await takeSignInMailRequest(ctx, `v${i}@example.org`, '198.51.100.4', now)).allowed,
        false,
      )
    const rows = await events()
    assert.equal(rows.length, 1)
    assert.equal(rows[0].details.rule, 'RL-L2')
    assert.equal(rows[0].ip, '198.51.100.4')
  })
})
