import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import {
  createSession,
  deleteSession,
  LAST_SEEN_STEP_MS,
  SESSION_IDLE_MS,
  SESSION_MAX_AGE_MS,
  sessionCookieOptions,
  validateSessionToken,
} from '../../src/accounts/sessions/sessions.js'
import type { User } from '../../src/db/index.js'
import { sha256Hex } from '../../src/tokens.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const MINUTE = 60_000

describeEachDatabase('sessions', (dialect) => {
  let ctx: TestContext
  let alice: User
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    alice = await buildUser(ctx)
  })
  afterEach(() => ctx.drop())

  const row = (id: string) =>
    ctx.db.kysely.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst()

  test('a new session stores the digest of a 256-bit token and expires after the idle time', async () => {
    const { token, session } = await createSession(ctx, alice.id)
    assert.match(token, /^[A-Za-z0-9_-]{43}$/)
    assert.deepEqual(await row(sha256Hex(token)), session)
    assert.equal(session.expires, ctx.clock.now() + SESSION_IDLE_MS)
    const found = await validateSessionToken(ctx, token)
    assert.equal(found?.user.email, 'alice@example.org')
  })

  test('an unknown, malformed or deleted token finds nothing', async () => {
    const { token, session } = await createSession(ctx, alice.id)
    assert.equal(await validateSessionToken(ctx, 'x'.repeat(43)), null)
    assert.equal(await validateSessionToken(ctx, "'; drop table sessions; --"), null)
    assert.equal(
      await validateSessionToken(ctx, session.id),
      null,
      'the stored digest is not a token',
    )
    await deleteSession(ctx, session.id)
    assert.equal(await validateSessionToken(ctx, token), null)
  })

  test('SE-2 last_seen moves at most once per 60 s, pushing the idle deadline with it', async () => {
    const { token, session } = await createSession(ctx, alice.id)
    ctx.clock.advance(59_999)
    await validateSessionToken(ctx, token)
    assert.equal((await row(session.id))?.last_seen, session.created, 'not yet')
    ctx.clock.advance(1)
    await validateSessionToken(ctx, token)
    const moved = await row(session.id)
    assert.equal(moved?.last_seen, session.created + MINUTE)
    assert.equal(moved?.expires, session.created + MINUTE + SESSION_IDLE_MS)
    ctx.clock.advance(30_000)
    await validateSessionToken(ctx, token)
    assert.equal((await row(session.id))?.last_seen, session.created + MINUTE, 'again not yet')
    assert.equal(LAST_SEEN_STEP_MS, MINUTE)
  })

  test('SE-2 the record keeps user, creation, auth time, amr, sudo, IP and user-agent', async () => {
    const { session } = await createSession(ctx, alice.id, {
      amr: ['password', 'totp'],
      ip: '192.0.2.7',
      userAgent: 'Firefox on Linux',
    })
    const stored = await row(session.id)
    assert.equal(stored?.user_id, alice.id)
    assert.equal(stored?.created, ctx.clock.now())
    assert.equal(stored?.amr, 'password,totp')
    assert.equal(stored?.reauth_at, ctx.clock.now())
    assert.equal(stored?.reauth_method, 'totp')
    assert.equal(stored?.ip, '192.0.2.7')
    assert.equal(stored?.user_agent, 'Firefox on Linux')
  })

  test('SE-3 by default a session ends after 14 idle days or 30 days in all', async () => {
    assert.equal(SESSION_IDLE_MS, 14 * 24 * 60 * MINUTE)
    assert.equal(SESSION_MAX_AGE_MS, 30 * 24 * 60 * MINUTE)
    const { token } = await createSession(ctx, alice.id)
    ctx.clock.advance(14 * 24 * 60 * MINUTE)
    assert.equal(await validateSessionToken(ctx, token), null, 'idle for 14 days')
  })

  test('SE-8 concurrent sessions are unlimited: twenty log-ins all stay valid', async () => {
    const tokens: string[] = []
    for (let i = 0; i < 20; i++) tokens.push((await createSession(ctx, alice.id)).token)
    for (const t of tokens) assert.ok(await validateSessionToken(ctx, t))
    const rows = await ctx.db.kysely
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', alice.id)
      .execute()
    assert.equal(rows.length, 20)
  })

  test('an expired session is refused and deleted', async () => {
    const { token, session } = await createSession(ctx, alice.id)
    ctx.clock.advance(SESSION_IDLE_MS - 1)
    assert.ok(await validateSessionToken(ctx, token))
    ctx.clock.advance(SESSION_IDLE_MS)
    assert.equal(await validateSessionToken(ctx, token), null)
    assert.equal(await row(session.id), undefined)
  })

  test('the idle deadline never passes the absolute one', async () => {
    const { token, session } = await createSession(ctx, alice.id)
    // Seen every week, so the idle deadline alone would run past 30 days.
    for (const day of [10, 17, 24]) {
      ctx.clock.set(session.created + day * 24 * 60 * MINUTE)
      assert.ok(await validateSessionToken(ctx, token))
    }
    assert.equal((await row(session.id))?.expires, session.created + SESSION_MAX_AGE_MS)
  })

  test('the cookie lives until the absolute deadline, Secure only on https', () => {
    const created = Date.parse('2026-01-15T12:00:00Z')
    assert.deepEqual(sessionCookieOptions({ siteRoot: 'http://localhost:8000' }, { created }), {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: false,
      expires: new Date('2026-02-14T12:00:00Z'),
    })
    assert.equal(
      sessionCookieOptions({ siteRoot: 'https://vigil.example.org' }, { created }).secure,
      true,
    )
  })
})
