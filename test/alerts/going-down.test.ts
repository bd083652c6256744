import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import {
  BROKEN_CHECK_RETRY_MS,
  handleGoingDown,
  handleOneGoingDown,
} from '../../src/alerts/index.js'
import { goingDownAfter } from '../../src/checks/status.js'
import type { Ctx } from '../../src/context.js'
import { openDatabase, type Project } from '../../src/db/index.js'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const HOUR = 3_600_000

describeEachDatabase('handleGoingDown', (dialect) => {
  let ctx: TestContext
  let project: Project
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    project = (await buildProject(ctx)).project
  })
  afterEach(() => ctx.drop())

  /** An up check (period 1 h, grace 10 min) last pinged at `lastPing`, alert_after set as a ping would. */
  /** An up check whose alert_after follows its last ping, unless `fields` sets one (a stale one). */
  async function upCheck(lastPing: number, fields: { alert_after?: number; status?: 'down' } = {}) {
    const base = {
      status: 'up' as const,
      kind: 'simple' as const,
      timeout: 3600,
      grace: 600,
      last_ping: lastPing,
      ...fields,
    }
    return buildCheck(ctx, project, {
      ...base,
      alert_after: goingDownAfter({ schedule: '', tz: 'UTC', last_start: null, ...base }),
      ...fields,
    })
  }

  const row = (id: number) =>
    ctx.db.kysely.selectFrom('checks').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const flips = (id: number) =>
    ctx.db.kysely.selectFrom('flips').selectAll().where('check_id', '=', id).execute()

  test('an up check past period and grace goes down with a timeout flip dated at the deadline', async () => {
    const now = ctx.clock.now()
    const check = await upCheck(now - 2 * HOUR)
    const deadline = now - 2 * HOUR + HOUR + 10 * 60_000
    assert.equal(await handleGoingDown(ctx, now), 1)
    const after = await row(check.id)
    assert.equal(after.status, 'down')
    assert.equal(after.alert_after, null)
    const [flip] = await flips(check.id)
    assert.deepEqual(
      {
        old: flip.old_status,
        new: flip.new_status,
        reason: flip.reason,
        created: flip.created,
        processed: flip.processed,
      },
      { old: 'up', new: 'down', reason: 'timeout', created: deadline, processed: null },
    )
  })

  test('a check is not picked at its exact deadline and flips one millisecond later', async () => {
    const now = ctx.clock.now()
    const check = await upCheck(now - HOUR - 10 * 60_000)
    assert.equal(check.alert_after, now)
    assert.equal(await handleGoingDown(ctx, now), 0)
    assert.equal((await row(check.id)).status, 'up')
    assert.equal(await handleGoingDown(ctx, now + 1), 1)
    assert.equal((await row(check.id)).status, 'down')
  })

  test('a check in its grace period stays up', async () => {
    const now = ctx.clock.now()
    const check = await upCheck(now - HOUR - 5 * 60_000)
    assert.equal(await handleGoingDown(ctx, now), 0)
    assert.equal((await row(check.id)).status, 'up')
    assert.equal((await flips(check.id)).length, 0)
  })

  test('a check pinged after its alert_after was computed is rescheduled, not flipped', async () => {
    const now = ctx.clock.now()
    // alert_after is stale (in the past) but last_ping moved on: the ping won the race.
    const check = await upCheck(now - 5 * 60_000, { alert_after: now - 1000 })
    assert.equal(await handleGoingDown(ctx, now), 0)
    const after = await row(check.id)
    assert.equal(after.status, 'up')
    assert.equal(after.alert_after, now - 5 * 60_000 + HOUR + 10 * 60_000)
    assert.equal((await flips(check.id)).length, 0)
  })

  test('a rescheduled check’s warn_at follows its new deadline', async () => {
    const now = ctx.clock.now()
    const lastPing = now - 5 * 60_000
    // upCheck computes alert_after itself: store a stale one as a lost race would leave it.
    const stale = { status: 'up' as const, timeout: 3600, grace: 600, last_ping: lastPing }
    const check = await buildCheck(ctx, project, {
      ...stale,
      alert_after: now - 1000,
      warn_after: 300,
    })
    const plain = await buildCheck(ctx, project, { ...stale, alert_after: now - 1000 })
    assert.equal(await handleGoingDown(ctx, now), 0)
    const deadline = lastPing + HOUR + 10 * 60_000
    assert.deepEqual(
      [(await row(check.id)).alert_after, (await row(check.id)).warn_at],
      [deadline, deadline - 5 * 60_000],
    )
    assert.equal((await row(plain.id)).warn_at, null)
  })

  test('a new check whose start expired goes down (new → down)', async () => {
    const now = ctx.clock.now()
    const check = await buildCheck(ctx, project, {
      status: 'new',
      grace: 600,
      last_start: now - HOUR,
      alert_after: now - HOUR + 600_000,
    })
    assert.equal(await handleGoingDown(ctx, now), 1)
    const [flip] = await flips(check.id)
    assert.equal(flip.old_status, 'new')
    assert.equal(flip.created, now - HOUR + 600_000)
  })

  test('a down check is left alone', async () => {
    const now = ctx.clock.now()
    const check = await upCheck(now - 5 * HOUR, { status: 'down' })
    assert.equal(await handleOneGoingDown(ctx, now), 'none')
    assert.equal((await flips(check.id)).length, 0)
    assert.ok(check)
  })

  test('a check whose deadline cannot be computed is pushed an hour out and the others still flip', async () => {
    const now = ctx.clock.now()
    const broken = await buildCheck(ctx, project, {
      status: 'up',
      kind: 'weird' as 'simple',
      last_ping: now - 5 * HOUR,
      alert_after: now - 3 * HOUR,
    })
    const good = await upCheck(now - 2 * HOUR)
    assert.equal(await handleGoingDown(ctx, now), 1)
    assert.equal((await row(broken.id)).alert_after, now + BROKEN_CHECK_RETRY_MS)
    assert.equal((await row(broken.id)).status, 'up')
    assert.equal((await row(good.id)).status, 'down')
  })

  test('two workers on one database flip each due check exactly once', async () => {
    const now = ctx.clock.now()
    const checks = []
    for (let i = 0; i < 25; i++) checks.push(await upCheck(now - 2 * HOUR - i * 1000))
    // PostgreSQL: a second pool, as a second process would have. SQLite: one process shares one
    // connection (better-sqlite3 is synchronous, so two handles in one thread would deadlock).
    const otherDb = dialect === 'postgres' ? openDatabase(ctx.config.db) : null
    const other: Ctx = otherDb ? { ...ctx, db: otherDb } : ctx
    try {
      const [a, b] = await Promise.all([handleGoingDown(ctx, now), handleGoingDown(other, now)])
      assert.equal(a + b, 25)
    } finally {
      await otherDb?.close()
    }
    const all = await ctx.db.kysely.selectFrom('flips').select('check_id').execute()
    assert.equal(all.length, 25)
    assert.deepEqual(new Set(all.map((f) => f.check_id)), new Set(checks.map((c) => c.id)))
  })
})
