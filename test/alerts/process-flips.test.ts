import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { processFlips, processOneFlip, selectChannels } from '../../src/alerts/index.js'
import type { Ctx } from '../../src/context.js'
import { type Check, openDatabase, type Project, type StoredStatus } from '../../src/db/index.js'
import { buildChannel, buildCheck, buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

test('selectChannels: new → up and paused → up are silent, down → up and up → down are not', () => {
  const ch = [
    {
      kind: 'webhook',
      value: '{"url_down":"http://x","url_up":"http://x"}',
      disabled: 0,
      last_notify_duration_ms: null,
    },
  ]
  assert.equal(selectChannels({ old_status: 'new', new_status: 'up' }, ch).length, 0)
  assert.equal(selectChannels({ old_status: 'paused', new_status: 'up' }, ch).length, 0)
  assert.equal(selectChannels({ old_status: 'down', new_status: 'up' }, ch).length, 1)
  assert.equal(selectChannels({ old_status: 'up', new_status: 'down' }, ch).length, 1)
  assert.equal(selectChannels({ old_status: 'new', new_status: 'down' }, ch).length, 1)
  assert.equal(selectChannels({ old_status: 'up', new_status: 'paused' }, ch).length, 0)
})

test('selectChannels: skips disabled channels and no-op directions, fastest first', () => {
  const channels = [
    {
      id: 1,
      kind: 'email',
      value: '{"value":"a@example.org","up":false,"down":true}',
      disabled: 0,
      last_notify_duration_ms: null,
    },
    {
      id: 2,
      kind: 'webhook',
      value: '{"url_down":"","url_up":"http://x"}',
      disabled: 0,
      last_notify_duration_ms: 5,
    },
    {
      id: 3,
      kind: 'webhook',
      value: '{"url_down":"http://x","url_up":"http://x"}',
      disabled: 1,
      last_notify_duration_ms: 1,
    },
    {
      id: 4,
      kind: 'webhook',
      value: '{"url_down":"http://x","url_up":"http://x"}',
      disabled: 0,
      last_notify_duration_ms: 50,
    },
    { id: 5, kind: 'email', value: 'legacy@example.org', disabled: 0, last_notify_duration_ms: 7 },
  ]
  assert.deepEqual(
    selectChannels({ old_status: 'up', new_status: 'down' }, channels).map((c) => c.id),
    [5, 4, 1],
  )
  assert.deepEqual(
    selectChannels({ old_status: 'down', new_status: 'up' }, channels).map((c) => c.id),
    [2, 5, 4],
  )
})

describeEachDatabase('processFlips', (dialect) => {
  let ctx: TestContext
  let project: Project
  let check: Check
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    project = (await buildProject(ctx)).project
    check = await buildCheck(ctx, project, { status: 'down', name: 'backup' })
  })
  afterEach(() => ctx.drop())

  async function flip(old_status: StoredStatus, new_status: StoredStatus) {
    return ctx.db.kysely
      .insertInto('flips')
      .values({ check_id: check.id, created: ctx.clock.now(), old_status, new_status, reason: '' })
      .returningAll()
      .executeTakeFirstOrThrow()
  }
  const notifications = () =>
    ctx.db.kysely.selectFrom('notifications').selectAll().orderBy('id').execute()
  const webhook = (url: string) => ({ url_down: url, url_up: url })

  async function twoChannels() {
    const a = await buildChannel(
      ctx,
      project,
      'webhook',
      { url_down: 'http://a', url_up: 'http://a' },
      [check],
    )
    const b = await buildChannel(
      ctx,
      project,
      'email',
      { value: 'ops@example.org', up: true, down: true },
      [check],
    )
    await buildChannel(ctx, project, 'webhook', { url_down: 'http://c', url_up: 'http://c' }, []) // not assigned
    const d = await buildChannel(
      ctx,
      project,
      'webhook',
      { url_down: 'http://d', url_up: 'http://d' },
      [check],
    )
    await ctx.db.kysely
      .updateTable('channels')
      .set({ disabled: 1 })
      .where('id', '=', d.id)
      .execute()
    return [a, b]
  }

  test("flips of several checks in one batch each notify their own check's channels", async () => {
    const others = []
    for (let i = 0; i < 3; i++) {
      const c = await buildCheck(ctx, project, { status: 'down', name: `other ${i}` })
      const ch = await buildChannel(ctx, project, 'webhook', webhook(`http://o${i}`), [c])
      others.push({ check: c, channel: ch })
    }
    const own = await buildChannel(ctx, project, 'webhook', webhook('http://own'), [check])
    await flip('up', 'down')
    for (const o of others)
      await ctx.db.kysely
        .insertInto('flips')
        .values({
          check_id: o.check.id,
          created: ctx.clock.now(),
          old_status: 'up',
          new_status: 'down',
          reason: '',
        })
        .execute()
    assert.equal(await processFlips(ctx, ctx.clock.now()), 4)
    const pairs = (await notifications()).map((n) => [n.check_id, n.channel_id])
    assert.deepEqual(
      pairs.sort((a, b) => Number(a[0]) - Number(b[0])),
      [[check.id, own.id], ...others.map((o) => [o.check.id, o.channel.id])],
    )
  })

  test('one processFlips batch sets the nag date of every project owner it touched', async () => {
    const bob = await buildProject(ctx, 'bob@example.org', 'Bobs Project')
    const bobsCheck = await buildCheck(ctx, bob.project, { status: 'down', name: 'bobs' })
    await ctx.db.kysely.updateTable('users').set({ nag_period: 3600 }).execute()
    await flip('up', 'down')
    await ctx.db.kysely
      .insertInto('flips')
      .values({
        check_id: bobsCheck.id,
        created: ctx.clock.now(),
        old_status: 'up',
        new_status: 'down',
        reason: '',
      })
      .execute()
    assert.equal(await processFlips(ctx, ctx.clock.now()), 2)
    const users = await ctx.db.kysely
      .selectFrom('users')
      .select(['email', 'next_nag_date'])
      .orderBy('email')
      .execute()
    assert.deepEqual(users, [
      { email: 'alice@example.org', next_nag_date: ctx.clock.now() + 3_600_000 },
      { email: 'bob@example.org', next_nag_date: ctx.clock.now() + 3_600_000 },
    ])
  })

  test('new → up is marked processed without notifications', async () => {
    await twoChannels()
    const f = await flip('new', 'up')
    const r = await processOneFlip(ctx, ctx.clock.now())
    assert.equal(r?.flip.id, f.id)
    assert.equal(r?.queued, 0)
    assert.equal((await notifications()).length, 0)
    const row = await ctx.db.kysely
      .selectFrom('flips')
      .selectAll()
      .where('id', '=', f.id)
      .executeTakeFirstOrThrow()
    assert.equal(row.processed, ctx.clock.now())
  })

  test('up → down queues one pending notification per enabled channel of the check', async () => {
    const [a, b] = await twoChannels()
    const f = await flip('up', 'down')
    assert.equal(await processFlips(ctx, ctx.clock.now()), 1)
    const rows = await notifications()
    assert.deepEqual(
      rows
        .map((n) => [
          n.channel_id,
          n.flip_id,
          n.check_id,
          n.check_status,
          n.status,
          n.next_attempt_at,
        ])
        .sort(),
      [
        [a.id, f.id, check.id, 'down', 'pending', ctx.clock.now()],
        [b.id, f.id, check.id, 'down', 'pending', ctx.clock.now()],
      ].sort(),
    )
  })

  test('down → up notifies too', async () => {
    await twoChannels()
    await flip('down', 'up')
    await processFlips(ctx, ctx.clock.now())
    assert.deepEqual(
      (await notifications()).map((n) => n.check_status),
      ['up', 'up'],
    )
  })

  test('a processed flip is not taken again, and a replayed flip cannot duplicate notifications', async () => {
    await twoChannels()
    const f = await flip('up', 'down')
    await processFlips(ctx, ctx.clock.now())
    assert.equal(await processOneFlip(ctx, ctx.clock.now()), null)
    // Force the flip to look unprocessed again: the unique (flip, channel) index still holds.
    await ctx.db.kysely
      .updateTable('flips')
      .set({ processed: null })
      .where('id', '=', f.id)
      .execute()
    await processFlips(ctx, ctx.clock.now())
    assert.equal((await notifications()).length, 2)
  })

  test('two workers processing the same flips queue each notification once', async () => {
    await twoChannels()
    for (let i = 0; i < 15; i++) await flip(i % 2 ? 'down' : 'up', i % 2 ? 'up' : 'down')
    const otherDb = dialect === 'postgres' ? openDatabase(ctx.config.db) : null
    const other: Ctx = otherDb ? { ...ctx, db: otherDb } : ctx
    try {
      const [x, y] = await Promise.all([
        processFlips(ctx, ctx.clock.now()),
        processFlips(other, ctx.clock.now()),
      ])
      assert.equal(x + y, 15)
    } finally {
      await otherDb?.close()
    }
    assert.equal((await notifications()).length, 30)
  })
})
