import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { sql } from 'kysely'
import { buildApp } from '../../src/app.js'
import type { Check } from '../../src/db/index.js'
import { openDatabase } from '../../src/db/index.js'
import { pingStoreFor } from '../../src/pings/ping-store.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import {
  createPingHarness,
  type PingHarness,
  readCheck,
  readFlips,
  readPings,
} from './ping-harness.js'

// Group commit of pings (issue 12, item 3): a batch shares one transaction, every ping is
// answered only after that transaction committed, and one bad ping fails alone.
describeEachDatabase('ping batches', (dialect) => {
  let h: PingHarness
  let check: Check
  beforeEach(async () => {
    h = await createPingHarness(dialect)
    await h.ctx.db.kysely.updateTable('projects').set({ ping_log_limit: 1000 }).execute()
    check = await buildCheck(h.ctx, h.alice.project)
  })
  afterEach(() => h.close())

  const ping = (url: string, ua = 'ok') =>
    h.app.inject({ method: 'GET', url, headers: { 'user-agent': ua } })

  test('PINGS-BATCH-1 a ping whose batch fails to commit gets 503 and nothing unacknowledged is kept', async () => {
    // A check that only COMMIT runs: a deferred constraint fails the transaction at its end.
    if (dialect === 'sqlite') {
      await sql`CREATE TABLE commit_guard (id INTEGER PRIMARY KEY)`.execute(h.ctx.db.kysely)
      await sql`CREATE TABLE commit_probe (guard_id INTEGER REFERENCES commit_guard(id) DEFERRABLE INITIALLY DEFERRED)`.execute(
        h.ctx.db.kysely,
      )
      await sql`CREATE TRIGGER commit_fails AFTER INSERT ON pings WHEN NEW.ua = 'commit-fails'
        BEGIN INSERT INTO commit_probe (guard_id) VALUES (42); END`.execute(h.ctx.db.kysely)
    } else {
      await sql`CREATE FUNCTION commit_fails() RETURNS trigger AS $$ BEGIN IF NEW.ua = 'commit-fails' THEN RAISE EXCEPTION 'refused at commit'; END IF; RETURN NULL; END $$ LANGUAGE plpgsql`.execute(
        h.ctx.db.kysely,
      )
      await sql`CREATE CONSTRAINT TRIGGER commit_fails AFTER INSERT ON pings DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION commit_fails()`.execute(
        h.ctx.db.kysely,
      )
    }
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        ping(`/ping/${check.code}`, i === 20 ? 'commit-fails' : `ok-${i}`),
      ),
    )
    assert.equal(answers[20].statusCode, 503)
    assert.equal(answers[20].body, 'database unavailable, try again')
    for (const a of answers) assert.ok([200, 503].includes(a.statusCode), a.body)
    // Exactly the acknowledged pings are stored and counted, numbered without gaps.
    const acknowledged = answers.flatMap((a, i) => (a.statusCode === 200 ? [`ok-${i}`] : []))
    const stored = await readPings(h.ctx, check.id)
    assert.deepEqual(stored.map((p) => p.ua).sort(), acknowledged.sort())
    assert.equal((await readCheck(h.ctx, check.id)).n_pings, acknowledged.length)
    assert.deepEqual(
      stored.map((p) => p.n).sort((a, b) => a - b),
      Array.from({ length: acknowledged.length }, (_, i) => i + 1),
    )
    // The 503s are the failed batch: it held more pings than the bad one.
    assert.ok(
      acknowledged.length < 29,
      `${acknowledged.length} acknowledged: no batch shared the failure`,
    )
  })

  test('PINGS-BATCH-2 one bad row in a batch fails only its own request; the others are stored', async () => {
    if (dialect === 'sqlite') {
      await sql`CREATE TRIGGER bad_row BEFORE INSERT ON pings WHEN NEW.ua = 'bad-row' BEGIN SELECT RAISE(ABORT, 'bad row'); END`.execute(
        h.ctx.db.kysely,
      )
    } else {
      await sql`CREATE FUNCTION bad_row() RETURNS trigger AS $$ BEGIN IF NEW.ua = 'bad-row' THEN RAISE EXCEPTION 'bad row'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`.execute(
        h.ctx.db.kysely,
      )
      await sql`CREATE TRIGGER bad_row BEFORE INSERT ON pings FOR EACH ROW EXECUTE FUNCTION bad_row()`.execute(
        h.ctx.db.kysely,
      )
    }
    const other = await buildCheck(h.ctx, h.alice.project)
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        ping(
          `/ping/${i % 2 ? other.code : check.code}${i % 5 === 0 ? '/fail' : ''}`,
          i === 17 ? 'bad-row' : `ok-${i}`,
        ),
      ),
    )
    assert.equal(answers[17].statusCode, 503)
    assert.deepEqual(
      answers.flatMap((a, i) => (i === 17 ? [] : [a.statusCode])),
      Array(39).fill(200),
    )
    const uas = (await readPings(h.ctx)).map((p) => p.ua).sort()
    assert.deepEqual(
      uas,
      Array.from({ length: 40 }, (_, i) => `ok-${i}`)
        .filter((u) => u !== 'ok-17')
        .sort(),
    )
    assert.equal((await readCheck(h.ctx, check.id)).n_pings, 20)
    assert.equal((await readCheck(h.ctx, other.id)).n_pings, 19)
  })

  test('PINGS-BATCH-3 concurrent pings to one check are all stored, numbered and flipped in order', async () => {
    const before = pingStoreFor(h.ctx.db).stats().commits
    // Success, fail, start with a run id, and the same run's success: every ping changes state.
    const urls = Array.from({ length: 240 }, (_, i) => {
      const rid = `rid=00000000-0000-4000-8000-${String(i).padStart(12, '0')}`
      return [
        `/ping/${check.code}`,
        `/ping/${check.code}/fail`,
        `/ping/${check.code}/start?${rid}`,
        `/ping/${check.code}?${rid}`,
      ][i % 4]
    })
    const answers = await Promise.all(urls.map((u, i) => ping(u, `ua-${i}`)))
    assert.deepEqual(new Set(answers.map((a) => a.statusCode)), new Set([200]))
    const commits = pingStoreFor(h.ctx.db).stats().commits - before
    assert.ok(commits < 60, `${commits} commits for 240 pings: no group commit`)

    const c = await readCheck(h.ctx, check.id)
    assert.equal(c.n_pings, 240)
    const pings = (await readPings(h.ctx, check.id)).sort((a, b) => a.n - b.n)
    assert.deepEqual(
      pings.map((p) => p.n),
      Array.from({ length: 240 }, (_, i) => i + 1),
    )
    // Numbers follow the time the pings were applied.
    for (let i = 1; i < pings.length; i++) assert.ok(pings[i].created >= pings[i - 1].created)
    // The check's state and flips are those of the pings replayed in their numbered order.
    let status = 'new'
    let expectedFlips = 0
    for (const p of pings) {
      if (p.kind !== 'success' && p.kind !== 'fail') continue
      const next = p.kind === 'fail' ? 'down' : 'up'
      if (next !== status) expectedFlips++
      status = next
    }
    assert.equal(c.status, status)
    assert.equal((await readFlips(h.ctx, check.id)).length, expectedFlips)
    const last = pings[pings.length - 1]
    if (last.kind === 'start') assert.equal(c.last_start, last.created)
    // Two database handles (two web processes) pinging one check: still every ping, once.
    const db2 = openDatabase(h.ctx.config.db)
    const app2 = await buildApp({ ...h.ctx, db: db2 }, { web: false })
    try {
      const more = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          (i % 2 ? app2 : h.app).inject({ method: 'GET', url: `/ping/${check.code}` }),
        ),
      )
      assert.deepEqual(new Set(more.map((a) => a.statusCode)), new Set([200]))
    } finally {
      await app2.close()
      await db2.close()
    }
    const ns = (await readPings(h.ctx, check.id)).map((p) => p.n).sort((a, b) => a - b)
    assert.deepEqual(
      ns,
      Array.from({ length: 300 }, (_, i) => i + 1),
    )
    assert.equal((await readCheck(h.ctx, check.id)).n_pings, 300)
  })

  test('PINGS-BATCH-4 concurrent create=1 pings in one batch create the check once', async () => {
    const url = `/ping/${h.alice.project.ping_key}/made-by-batch?create=1`
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => ping(url, `ua-${i}`)))
    assert.deepEqual(answers.map((a) => a.statusCode).sort(), [...Array(24).fill(200), 201])
    const made = await h.ctx.db.kysely
      .selectFrom('checks')
      .selectAll()
      .where('slug', '=', 'made-by-batch')
      .execute()
    assert.equal(made.length, 1)
    assert.equal(made[0].n_pings, 25)
    assert.equal((await readPings(h.ctx, made[0].id)).length, 25)
  })
})
