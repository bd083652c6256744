/**
 * Ping bodies in object storage against a real S3-compatible server on loopback (s3rver), on
 * SQLite and PostgreSQL: where a body goes, reading it back through the API and the pages, a
 * store that is down or hangs (the ping still succeeds, the worker moves the body later) and
 * pruning deleting the objects.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, test } from 'node:test'
import { startWorker } from '../../src/alerts/index.js'
import { BODY_MOVE_RETRY_MS } from '../../src/alerts/worker.js'
import type { Env, S3Config } from '../../src/config/index.js'
import type { Check } from '../../src/db/index.js'
import { findLastPing, pingBodyText } from '../../src/integrations/last-ping.js'
import { moveWaitingBodies } from '../../src/objects/index.js'
import { pruneCheckHistory } from '../../src/pings/index.js'
import { type ApiHarness, call, createApiHarness } from '../api/api-harness.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type S3TestServer, startS3Server, startSilentServer } from '../helpers/s3-server.js'
import { closedPort } from '../helpers/smtp-sink.js'
import { FormClient } from '../web/form-client.js'

const LARGE = Buffer.from(`backup log\n${'x'.repeat(500)}\ndone`)
const SMALL = Buffer.from('short body, under the 100-byte threshold')

describeEachDatabase('ping bodies in object storage', (dialect) => {
  let s3: S3TestServer
  let h: ApiHarness | null = null
  before(async () => {
    s3 = await startS3Server()
  })
  after(() => s3.close())
  afterEach(async () => {
    await h?.close()
    h = null
  })

  async function setUp(env: Env): Promise<{ h: ApiHarness; check: Check }> {
    h = await createApiHarness(dialect, env)
    const check = await buildCheck(h.ctx, h.alice.project, { name: 'backup' })
    return { h, check }
  }

  async function ping(app: ApiHarness['app'], code: string, body: Buffer) {
    return app.inject({ method: 'POST', url: `/ping/${code}`, payload: body })
  }

  function pingRows(t: ApiHarness, check: Check) {
    return t.ctx.db.kysely
      .selectFrom('pings')
      .selectAll()
      .where('check_id', '=', check.id)
      .orderBy('n')
      .execute()
  }

  test('a large body goes to the bucket and reads back through the API and the pages', async () => {
    const { h, check } = await setUp(s3.env())
    const r = await ping(h.app, check.code, LARGE)
    assert.equal(r.statusCode, 200)
    assert.equal(r.body, 'OK')
    const [row] = await pingRows(h, check)
    assert.equal(row.body, null)
    assert.equal(row.object_size, LARGE.length)
    assert.equal(row.body_waiting, null)
    assert.ok(row.object_key?.startsWith(`${check.code}/`), String(row.object_key))
    assert.deepEqual(await s3.read(row.object_key ?? ''), LARGE)

    const base = `/api/v3/checks/${check.code}/pings/`
    const list = await call(h.app, 'GET', base, { key: h.alice.apiKey })
    assert.match(list.json().pings[0].body_url, /\/pings\/1\/body$/)
    const api = await call(h.app, 'GET', `${base}1/body`, { key: h.alice.apiKey })
    assert.equal(api.statusCode, 200)
    assert.deepEqual(api.rawPayload, LARGE)

    const browser = new FormClient(h.app, h.ctx.clock)
    const login = await browser.submit('/login', '/login', {
      email: 'alice@example.org',
      password: 'correct horse battery',
    })
    assert.equal(login.statusCode, 303)
    const details = await browser.get(`/checks/${check.code}/details/`)
    assert.ok(details.body.includes(`(${LARGE.length} bytes in object storage)`))
    const page = await browser.get(`/checks/${check.code}/pings/1/`)
    assert.equal(page.statusCode, 200)
    assert.ok(page.body.includes('backup log'), 'the ping page shows the body')
    assert.ok(page.body.includes('x'.repeat(500)))
    const download = await browser.get(`/checks/${check.code}/pings/1/body`)
    assert.equal(download.statusCode, 200)
    assert.equal(download.body, LARGE.toString('utf8'))
  })

  test("a notification's last ping body is read from the bucket", async () => {
    const { h, check } = await setUp(s3.env())
    assert.equal((await ping(h.app, check.code, LARGE)).statusCode, 200)
    const last = await findLastPing(h.ctx, check.id, null)
    assert.deepEqual(last?.body, LARGE)
    assert.equal(pingBodyText(last), LARGE.toString('utf8'))
  })

  test('pings arriving together, with and without objects and with a flip, are all written', async () => {
    const { h, check } = await setUp(s3.env())
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ status: 'up', last_ping: h.ctx.clock.now() })
      .where('id', '=', check.id)
      .execute()
    const other = await buildCheck(h.ctx, h.alice.project, { name: 'other' })
    // The /fail ping writes a flip and an object reference in one statement (PostgreSQL's
    // WRITE_WITH_FLIPS_OBJECTS); whether the others share its batch depends on upload timing.
    const answers = await Promise.all([
      h.app.inject({ method: 'POST', url: `/ping/${check.code}/fail`, payload: LARGE }),
      ping(h.app, other.code, SMALL),
      ping(h.app, other.code, LARGE),
    ])
    assert.deepEqual(
      answers.map((r) => r.statusCode),
      [200, 200, 200],
    )
    const [failed] = await pingRows(h, check)
    assert.equal(failed.kind, 'fail')
    assert.deepEqual(await s3.read(failed.object_key ?? ''), LARGE)
    const flips = await h.ctx.db.kysely
      .selectFrom('flips')
      .select('new_status')
      .where('check_id', '=', check.id)
      .execute()
    assert.deepEqual(flips, [{ new_status: 'down' }])
    const others = await pingRows(h, other)
    assert.deepEqual(others.map((p) => p.object_key === null).sort(), [false, true])
  })

  test('a large body for an unknown check leaves nothing in the bucket', async () => {
    const { h } = await setUp(s3.env())
    const before = await s3.keys()
    const r = await ping(h.app, '00000000-0000-4000-8000-000000000000', LARGE)
    assert.equal(r.statusCode, 404)
    assert.deepEqual(await s3.keys(), before)
  })

  test('a small body stays in the database and the bucket gets nothing', async () => {
    const { h, check } = await setUp(s3.env())
    const before = await s3.keys()
    assert.equal((await ping(h.app, check.code, SMALL)).statusCode, 200)
    const [row] = await pingRows(h, check)
    assert.deepEqual(row.body, SMALL)
    assert.equal(row.object_key, null)
    assert.equal(row.object_size, null)
    assert.deepEqual(await s3.keys(), before)
    const api = await call(h.app, 'GET', `/api/v3/checks/${check.code}/pings/1/body`, {
      key: h.alice.apiKey,
    })
    assert.deepEqual(api.rawPayload, SMALL)
  })

  test('a ping by slug with a large body goes to the bucket too', async () => {
    const { h } = await setUp(s3.env())
    const r = await h.app.inject({
      method: 'POST',
      url: `/ping/${h.alice.project.ping_key}/nightly?create=1`,
      payload: LARGE,
    })
    assert.equal(r.statusCode, 201)
    const row = await h.ctx.db.kysely.selectFrom('pings').selectAll().executeTakeFirstOrThrow()
    assert.equal(row.body, null)
    assert.deepEqual(await s3.read(row.object_key ?? ''), LARGE)
  })

  test('with the store down the ping succeeds, the body waits in the database and the worker moves it', async () => {
    const port = await closedPort()
    const { h, check } = await setUp(s3.env({ S3_ENDPOINT: `http://127.0.0.1:${port}` }))
    const r = await ping(h.app, check.code, LARGE)
    assert.equal(r.statusCode, 200)
    let [row] = await pingRows(h, check)
    assert.deepEqual(row.body, LARGE)
    assert.equal(row.body_waiting, 1)
    assert.equal(row.object_key, null)
    // The body reads back from the database meanwhile.
    const api = await call(h.app, 'GET', `/api/v3/checks/${check.code}/pings/1/body`, {
      key: h.alice.apiKey,
    })
    assert.deepEqual(api.rawPayload, LARGE)
    assert.deepEqual(await moveWaitingBodies(h.ctx, { limit: 10 }), {
      moved: 0,
      storeFailed: true,
    })
    // Still down: the worker leaves it where it is and asks again BODY_MOVE_RETRY_MS later.
    const worker = startWorker(h.ctx, { workerId: 'w-bodies' })
    let revived: S3TestServer | null = null
    try {
      await worker.tick()
      await worker.drain()
      assert.equal((await pingRows(h, check))[0].body_waiting, 1)
      // The store comes back on the same address; the worker's next try moves the body.
      revived = await startS3Server(port)
      h.ctx.clock.advance(BODY_MOVE_RETRY_MS)
      await worker.tick()
      await worker.drain()
      ;[row] = await pingRows(h, check)
      assert.equal(row.body, null)
      assert.equal(row.body_waiting, null)
      assert.equal(row.object_size, LARGE.length)
      // Healthchecks' key layout: <check uuid>/<enc(n)>, enc(1) = "zi-1".
      assert.equal(row.object_key, `${check.code}/zi-1`)
      assert.deepEqual(await revived.read(`${check.code}/zi-1`), LARGE)
      const moved = await call(h.app, 'GET', `/api/v3/checks/${check.code}/pings/1/body`, {
        key: h.alice.apiKey,
      })
      assert.deepEqual(moved.rawPayload, LARGE)
    } finally {
      await worker.stop()
      await revived?.close()
    }
  })

  test('a store that does not answer within S3_TIMEOUT does not fail the ping', async () => {
    const silent = await startSilentServer()
    try {
      const { h, check } = await setUp(
        s3.env({ S3_ENDPOINT: silent.endpoint, S3_TIMEOUT: '200ms' }),
      )
      const r = await ping(h.app, check.code, LARGE)
      assert.equal(r.statusCode, 200)
      const [row] = await pingRows(h, check)
      assert.deepEqual(row.body, LARGE)
      assert.equal(row.body_waiting, 1)
      // A body in the bucket cannot be read while the store hangs: 503, not 500 or 404.
      await h.ctx.db.kysely
        .updateTable('pings')
        .set({ body: null, body_waiting: null, object_key: 'somewhere/else', object_size: 10 })
        .where('id', '=', row.id)
        .execute()
      const api = await call(h.app, 'GET', `/api/v3/checks/${check.code}/pings/1/body`, {
        key: h.alice.apiKey,
      })
      assert.equal(api.statusCode, 503)
    } finally {
      await silent.close()
    }
  })

  test('pruning deletes the objects of the pruned pings and keeps the others', async () => {
    const { h, check } = await setUp(s3.env())
    await h.ctx.db.kysely.updateTable('projects').set({ ping_log_limit: 20 }).execute()
    for (let i = 0; i < 3; i++) assert.equal((await ping(h.app, check.code, LARGE)).statusCode, 200)
    const keys = (await pingRows(h, check)).map((p) => p.object_key ?? '')
    for (const key of keys) assert.ok(await s3.read(key))
    // Ping 100 prunes everything at or below 100 − 20: pings 1–3 and their objects go.
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ n_pings: 99 })
      .where('id', '=', check.id)
      .execute()
    assert.equal((await ping(h.app, check.code, LARGE)).statusCode, 200)
    const rows = await pingRows(h, check)
    assert.deepEqual(
      rows.map((p) => p.n),
      [100],
    )
    for (const key of keys) assert.equal(await s3.read(key), null, `${key} was deleted`)
    assert.ok(await s3.read(rows[0].object_key ?? ''), 'the kept ping keeps its object')
  })

  test('pruning with the store down deletes no ping whose object remains', async () => {
    const { h, check } = await setUp(s3.env())
    await h.ctx.db.kysely.updateTable('projects').set({ ping_log_limit: 1 }).execute()
    for (let i = 0; i < 2; i++) assert.equal((await ping(h.app, check.code, LARGE)).statusCode, 200)
    const s3Down = {
      ...(h.ctx.config.s3 as S3Config),
      endpoint: `http://127.0.0.1:${await closedPort()}`,
    }
    const down = { ...h.ctx, config: Object.freeze({ ...h.ctx.config, s3: s3Down }) }
    await assert.rejects(pruneCheckHistory(down, { checkId: check.id, now: h.ctx.clock.now() }))
    assert.equal((await pingRows(h, check)).length, 2)
    const r = await pruneCheckHistory(h.ctx, { checkId: check.id, now: h.ctx.clock.now() })
    assert.ok(r.ok && r.value.pings === 1)
    assert.deepEqual(
      (await pingRows(h, check)).map((p) => p.n),
      [2],
    )
  })
})
