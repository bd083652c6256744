import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { Channel, Check } from '../../src/db/index.js'
import { pruneCheckHistory } from '../../src/pings/prune-check-history.js'
import { newUuid } from '../../src/tokens.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { createPingHarness, DAY, HOUR, type PingHarness, readPings } from './ping-harness.js'

// Healthchecks' test_check_model.py (test_it_prunes, test_it_does_not_prune_flips_less_than_93_days_old).
describeEachDatabase('pruning a check history', (dialect) => {
  let h: PingHarness
  let check: Check
  let channel: Channel
  beforeEach(async () => {
    h = await createPingHarness(dialect)
    await h.ctx.db.kysely.updateTable('projects').set({ ping_log_limit: 10 }).execute()
    check = await buildCheck(h.ctx, h.alice.project)
    channel = await h.ctx.db.kysely.selectFrom('channels').selectAll().executeTakeFirstOrThrow()
  })
  afterEach(() => h.close())

  /** `count` earlier pings, one an hour, the last an hour before now; n_pings follows. */
  async function seedPings(count: number): Promise<void> {
    const now = h.ctx.clock.now()
    const rows = Array.from({ length: count }, (_, i) => ({
      check_id: check.id,
      n: i + 1,
      created: now - (count - i) * HOUR,
      kind: 'success' as const,
      scheme: 'http',
      method: 'GET',
      ua: '',
    }))
    await h.ctx.db.kysely.insertInto('pings').values(rows).execute()
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ n_pings: count })
      .where('id', '=', check.id)
      .execute()
  }

  async function seedFlipAndNotification(created: number): Promise<void> {
    await h.ctx.db.kysely
      .insertInto('flips')
      .values({
        check_id: check.id,
        created,
        processed: created,
        old_status: 'up',
        new_status: 'down',
        reason: '',
      })
      .execute()
    await h.ctx.db.kysely
      .insertInto('notifications')
      .values({
        code: newUuid(),
        check_id: check.id,
        channel_id: channel.id,
        check_status: 'down',
        created,
        next_attempt_at: created,
      })
      .execute()
  }

  const count = async (table: 'flips' | 'notifications') =>
    (
      await h.ctx.db.kysely
        .selectFrom(table)
        .select('id')
        .where('check_id', '=', check.id)
        .execute()
    ).length

  test('every 100th ping prunes pings beyond the ping log limit', async () => {
    await seedPings(99)
    const r = await h.app.inject({ method: 'GET', url: `/ping/${check.code}` })
    assert.equal(r.statusCode, 200)
    assert.deepEqual(
      (await readPings(h.ctx, check.id)).map((p) => p.n),
      [91, 92, 93, 94, 95, 96, 97, 98, 99, 100],
    )
  })

  test('other pings do not prune', async () => {
    await seedPings(98)
    await h.app.inject({ method: 'GET', url: `/ping/${check.code}` })
    assert.equal((await readPings(h.ctx, check.id)).length, 99)
  })

  test('it prunes notifications older than the oldest kept ping', async () => {
    await seedPings(100)
    const oldestKept = h.ctx.clock.now() - 10 * HOUR
    await seedFlipAndNotification(oldestKept - 1)
    await seedFlipAndNotification(oldestKept)
    const r = await pruneCheckHistory(h.ctx, { checkId: check.id, now: h.ctx.clock.now() })
    assert.deepEqual(r, { ok: true, value: { pings: 90, notifications: 1, flips: 0 } })
    assert.equal(await count('notifications'), 1)
  })

  test('it does not prune flips less than 93 days old', async () => {
    await seedPings(100)
    await seedFlipAndNotification(h.ctx.clock.now() - 92 * DAY)
    await pruneCheckHistory(h.ctx, { checkId: check.id, now: h.ctx.clock.now() })
    assert.equal(await count('flips'), 1)
    assert.equal(await count('notifications'), 0)
  })

  test('it prunes flips older than 93 days and the oldest kept ping', async () => {
    await seedPings(100)
    await seedFlipAndNotification(h.ctx.clock.now() - 94 * DAY)
    await pruneCheckHistory(h.ctx, { checkId: check.id, now: h.ctx.clock.now() })
    assert.equal(await count('flips'), 0)
  })

  test('it keeps pings within the limit but still prunes old notifications and flips', async () => {
    await seedPings(10)
    await seedFlipAndNotification(h.ctx.clock.now() - 200 * DAY)
    const r = await pruneCheckHistory(h.ctx, { checkId: check.id, now: h.ctx.clock.now() })
    assert.deepEqual(r, { ok: true, value: { pings: 0, notifications: 1, flips: 1 } })
    assert.equal((await readPings(h.ctx, check.id)).length, 10)
  })

  test('it reports an unknown check', async () => {
    const r = await pruneCheckHistory(h.ctx, { checkId: check.id + 1000, now: h.ctx.clock.now() })
    assert.deepEqual(r, { ok: false, error: { kind: 'check-not-found' } })
  })
})
