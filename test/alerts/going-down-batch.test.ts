import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import {
  GOING_DOWN_BATCH,
  handleGoingDown,
  handleGoingDownBatch,
  startWorker,
  type WorkerHandle,
} from '../../src/alerts/index.js'
import type { Ctx } from '../../src/context.js'
import { openDatabase, type Project } from '../../src/db/index.js'
import { recordPing } from '../../src/pings/record-ping.js'
import { newUuid } from '../../src/tokens.js'
import { buildChannel, buildCheck, buildProject } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

const HOUR = 3_600_000
const MANY = 1200

describeEachDatabase('going down in batches', (dialect) => {
  let ctx: TestContext
  let project: Project
  let cap: CaptureServer
  let worker: WorkerHandle | null = null
  before(async () => {
    cap = await startCaptureServer()
  })
  after(async () => {
    await cap.close()
  })
  beforeEach(async () => {
    cap.requests.length = 0
    ctx = await createTestContext(dialect, {
      INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True',
      // Far longer than any wait below: only an in-process signal can make the worker act.
      WORKER_POLL_MS: '60000',
    })
    project = (await buildProject(ctx)).project
  })
  afterEach(async () => {
    await worker?.stop()
    worker = null
    await ctx.drop()
  })

  /** Inserts `n` up checks (period 1 h, grace 10 min) last pinged at `lastPing + i` ms. */
  async function upChecks(n: number, lastPing: number): Promise<number[]> {
    const ids: number[] = []
    for (let from = 0; from < n; from += 250) {
      const rows = []
      for (let i = from; i < Math.min(n, from + 250); i++)
        rows.push({
          code: newUuid(),
          badge_key: newUuid(),
          project_id: project.id,
          created: ctx.clock.now(),
          status: 'up' as const,
          kind: 'simple' as const,
          timeout: 3600,
          grace: 600,
          last_ping: lastPing + i,
          alert_after: lastPing + i + HOUR + 10 * 60_000,
        })
      const inserted = await ctx.db.kysely
        .insertInto('checks')
        .values(rows)
        .returning('id')
        .execute()
      ids.push(...inserted.map((r) => r.id))
    }
    return ids
  }

  /** check_id → number of flips. */
  async function flipCounts(): Promise<Map<number, number>> {
    const rows = await ctx.db.kysely.selectFrom('flips').select('check_id').execute()
    const counts = new Map<number, number>()
    for (const r of rows) counts.set(r.check_id, (counts.get(r.check_id) ?? 0) + 1)
    return counts
  }

  test('ALERTS-BATCH 1,200 due checks flip in one call, several batches, one flip each', async () => {
    const now = ctx.clock.now()
    assert.ok(MANY > 2 * GOING_DOWN_BATCH)
    const due = await upChecks(MANY, now - 3 * HOUR)
    // Neighbours that must not flip: one in its grace period, one already down.
    const [inGrace] = await upChecks(1, now - HOUR - 5 * 60_000)
    const down = await buildCheck(ctx, project, { status: 'down', alert_after: now - HOUR })

    assert.equal(await handleGoingDown(ctx, now), MANY)
    const counts = await flipCounts()
    assert.equal(counts.size, MANY)
    for (const id of due) assert.equal(counts.get(id), 1, `check ${id}: one flip`)
    const statuses = await ctx.db.kysely
      .selectFrom('checks')
      .select(['id', 'status', 'alert_after'])
      .execute()
    const byId = new Map(statuses.map((s) => [s.id, s]))
    for (const id of due) assert.deepEqual(byId.get(id), { id, status: 'down', alert_after: null })
    assert.equal(byId.get(inGrace)?.status, 'up')
    assert.equal(byId.get(down.id)?.status, 'down')
    assert.equal(counts.get(down.id), undefined)
    // Each flip is dated at its own deadline.
    const first = await ctx.db.kysely
      .selectFrom('flips')
      .select(['created', 'old_status', 'reason'])
      .where('check_id', '=', due[0])
      .executeTakeFirstOrThrow()
    assert.deepEqual(first, {
      created: now - 3 * HOUR + HOUR + 10 * 60_000,
      old_status: 'up',
      reason: 'timeout',
    })
    // Nothing is left for the next tick.
    assert.equal((await handleGoingDownBatch(ctx, now)).claimed, 0)
  })

  test('ALERTS-BATCH two concurrent runs on one database flip each check exactly once', async () => {
    const now = ctx.clock.now()
    const due = await upChecks(MANY, now - 3 * HOUR)
    // PostgreSQL: a second pool, as a second process would have. SQLite: one process shares one
    // connection (two handles in one thread would deadlock); two processes are covered by
    // two-processes.test.ts.
    const otherDb = dialect === 'postgres' ? openDatabase(ctx.config.db) : null
    const other: Ctx = otherDb ? { ...ctx, db: otherDb } : ctx
    try {
      // Small batches so the two runs interleave many times.
      const [a, b] = await Promise.all([
        handleGoingDown(ctx, now, 100_000, 50),
        handleGoingDown(other, now, 100_000, 50),
      ])
      assert.equal(a + b, MANY)
    } finally {
      await otherDb?.close()
    }
    const counts = await flipCounts()
    assert.equal(counts.size, MANY)
    for (const id of due) assert.equal(counts.get(id), 1, `check ${id}: one flip`)
  })

  test('ALERTS-BATCH a check whose ping moved its deadline is rescheduled among flipping ones', async () => {
    const now = ctx.clock.now()
    const due = await upChecks(GOING_DOWN_BATCH + 10, now - 3 * HOUR)
    // alert_after is stale but last_ping moved on: the ping won (Healthchecks' rule).
    const pinged = await buildCheck(ctx, project, {
      status: 'up',
      kind: 'simple',
      timeout: 3600,
      grace: 600,
      last_ping: now - 60_000,
      alert_after: now - 4 * HOUR,
    })
    assert.equal(await handleGoingDown(ctx, now), due.length)
    const after = await ctx.db.kysely
      .selectFrom('checks')
      .select(['status', 'alert_after'])
      .where('id', '=', pinged.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(after, { status: 'up', alert_after: now - 60_000 + HOUR + 10 * 60_000 })
    assert.equal((await flipCounts()).get(pinged.id), undefined)
  })

  if (dialect === 'postgres')
    test('ALERTS-BATCH a check being pinged while the worker claims is skipped, not flipped', async () => {
      const now = ctx.clock.now()
      const [busy, ...others] = await upChecks(5, now - 3 * HOUR)
      const pingDb = openDatabase(ctx.config.db)
      try {
        // The ping's transaction holds the check's row while the worker runs.
        await pingDb.kysely.transaction().execute(async (trx) => {
          await trx
            .updateTable('checks')
            .set({ last_ping: now, alert_after: now + HOUR + 10 * 60_000 })
            .where('id', '=', busy)
            .execute()
          assert.equal(await handleGoingDown(ctx, now), others.length)
        })
      } finally {
        await pingDb.close()
      }
      // The ping committed; its new deadline is in the future, so nothing flips it now.
      assert.equal(await handleGoingDown(ctx, now), 0)
      const row = await ctx.db.kysely
        .selectFrom('checks')
        .select('status')
        .where('id', '=', busy)
        .executeTakeFirstOrThrow()
      assert.equal(row.status, 'up')
      const counts = await flipCounts()
      assert.equal(counts.get(busy), undefined)
      for (const id of others) assert.equal(counts.get(id), 1)
    })

  test('ALERTS-BATCH a /fail ping wakes the worker of its process: the webhook goes out without a poll', async () => {
    const check = await buildCheck(ctx, project, {
      status: 'up',
      last_ping: ctx.clock.now(),
      alert_after: ctx.clock.now() + HOUR,
    })
    await buildChannel(
      ctx,
      project,
      'webhook',
      { method_down: 'GET', url_down: `${cap.url}/down/$CODE` },
      [check],
    )
    worker = startWorker(ctx, { workerId: 'w1' })
    await worker.tick()
    const ping = await recordPing(ctx, {
      target: { code: check.code },
      action: 'fail',
      exitstatus: null,
      rid: null,
      client: { remoteAddr: '127.0.0.1', scheme: 'http', method: 'GET', ua: 'test', body: null },
    })
    assert.ok(ping.ok)
    // The poll interval is a minute; the signal makes it at once.
    const [req] = await cap.waitFor(1, 5000)
    assert.equal(req.url, `/down/${check.code}`)
  })
})
