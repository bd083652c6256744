import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import SQLite from 'better-sqlite3'
import { sql } from 'kysely'
import pg from 'pg'
import type { Check } from '../../src/db/index.js'
import { pingStoreFor } from '../../src/pings/ping-store.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { createPingHarness, type PingHarness, readCheck, readPings } from './ping-harness.js'

describeEachDatabase('ping write path', (dialect) => {
  let h: PingHarness
  let check: Check
  beforeEach(async () => {
    h = await createPingHarness(dialect)
    check = await buildCheck(h.ctx, h.alice.project)
  })
  afterEach(() => h.close())

  test('concurrent pings to one check are all recorded, numbered 1 to 200', async () => {
    // Keep every row: the 100th and 200th pings prune down to the ping log limit.
    await h.ctx.db.kysely.updateTable('projects').set({ ping_log_limit: 1000 }).execute()
    const before = pingStoreFor(h.ctx.db).stats().commits
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        h.app.inject({
          method: 'POST',
          url: `/ping/${check.code}`,
          payload: `ping ${i}`,
          headers: { 'content-type': 'text/plain' },
        }),
      ),
    )
    assert.deepEqual(new Set(answers.map((a) => a.statusCode)), new Set([200]))
    assert.equal((await readCheck(h.ctx, check.id)).n_pings, 200)
    const pings = await readPings(h.ctx, check.id)
    assert.equal(pings.length, 200)
    assert.deepEqual(
      pings.map((p) => p.n).sort((a, b) => a - b),
      Array.from({ length: 200 }, (_, i) => i + 1),
    )
    assert.equal(new Set(pings.map((p) => p.body?.toString())).size, 200)
    // Group commit: far fewer transactions than pings.
    const commits = pingStoreFor(h.ctx.db).stats().commits - before
    assert.ok(commits < 50, `${commits} commits for 200 pings`)
  })

  test('a ping is visible to another connection as soon as its response has arrived', async () => {
    const r = await h.app.inject({ method: 'GET', url: `/ping/${check.code}` })
    assert.equal(r.statusCode, 200)
    const cfg = h.ctx.config.db
    if (cfg.kind === 'sqlite') {
      const other = new SQLite(cfg.file, { readonly: true })
      try {
        const row = other.prepare('SELECT n_pings FROM checks WHERE id = ?').get(check.id) as {
          n_pings: number
        }
        assert.equal(row.n_pings, 1)
        assert.equal((other.prepare('SELECT count(*) AS n FROM pings').get() as { n: number }).n, 1)
      } finally {
        other.close()
      }
    } else {
      const other = new pg.Client({ ...cfg, options: `-c search_path=${cfg.schema}` })
      await other.connect()
      try {
        const res = await other.query('SELECT count(*)::int AS n FROM pings WHERE check_id = $1', [
          check.id,
        ])
        assert.equal(res.rows[0].n, 1)
      } finally {
        await other.end()
      }
    }
  })

  test('a ping waits for an open transaction on the same database and is not part of it', async () => {
    let answered = false
    await assert.rejects(
      h.ctx.db.kysely.transaction().execute(async (trx) => {
        await trx
          .updateTable('checks')
          .set({ name: 'rolled back' })
          .where('id', '=', check.id)
          .execute()
        const pending = h.app.inject({ method: 'GET', url: `/ping/${check.code}` }).then((r) => {
          answered = true
          return r
        })
        await new Promise((resolve) => setTimeout(resolve, 50))
        // On SQLite the batch waits for the connection; on PostgreSQL for the row lock.
        assert.equal(answered, false)
        void pending
        throw new Error('roll back')
      }),
      /roll back/,
    )
    while (!answered) await new Promise((resolve) => setTimeout(resolve, 5))
    const c = await readCheck(h.ctx, check.id)
    assert.equal(c.name, '')
    assert.equal(c.n_pings, 1)
  })

  test('one failing ping does not fail the others', async () => {
    if (dialect === 'sqlite') {
      await sql`CREATE TRIGGER boom BEFORE INSERT ON pings WHEN NEW.ua = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`.execute(
        h.ctx.db.kysely,
      )
    } else {
      await sql`CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN IF NEW.ua = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`.execute(
        h.ctx.db.kysely,
      )
      await sql`CREATE TRIGGER boom BEFORE INSERT ON pings FOR EACH ROW EXECUTE FUNCTION boom()`.execute(
        h.ctx.db.kysely,
      )
    }
    const before = pingStoreFor(h.ctx.db).stats().commits
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.app.inject({
          method: 'GET',
          url: `/ping/${check.code}`,
          headers: { 'user-agent': i === 7 ? 'boom' : 'ok' },
        }),
      ),
    )
    assert.equal(answers[7].statusCode, 503)
    assert.equal(answers[7].body, 'database unavailable, try again')
    assert.deepEqual(
      answers.filter((_, i) => i !== 7).map((a) => a.statusCode),
      Array(19).fill(200),
    )
    // The failed ping's check update was rolled back with it: no gap in the numbering.
    assert.equal((await readCheck(h.ctx, check.id)).n_pings, 19)
    const ns = (await readPings(h.ctx, check.id)).map((p) => p.n).sort((a, b) => a - b)
    assert.deepEqual(
      ns,
      Array.from({ length: 19 }, (_, i) => i + 1),
    )
    // …and the failure happened inside a shared batch, not alone.
    const commits = pingStoreFor(h.ctx.db).stats().commits - before
    if (dialect === 'sqlite') assert.ok(commits < 19, `${commits} commits`)
  })
})
