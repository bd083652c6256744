// End to end: real pings through the HTTP ping endpoint, then a worker tick, then the warning
// rows run insight recorded (unusual duration, new source, two sources, too often).
import assert from 'node:assert/strict'
import { after, afterEach, before, test } from 'node:test'
import { listWarnings, startWorker, type WorkerHandle } from '../../src/alerts/index.js'
import { detectRunInsights } from '../../src/alerts/run-insight.js'
import { type ApiHarness, call, createApiHarness } from '../api/api-harness.js'
import { describeEachDatabase } from '../helpers/databases.js'

const MIN = 60_000
const DAY = 86_400_000

describeEachDatabase('run insight warnings', (dialect) => {
  let h: ApiHarness
  let worker: WorkerHandle | null = null
  before(async () => {
    // A long poll: the test decides when the worker ticks.
    h = await createApiHarness(dialect, { WORKER_POLL_MS: '60000' })
  })
  afterEach(async () => {
    await worker?.stop()
    worker = null
  })
  after(() => h.close())

  async function newCheck(fields: Record<string, unknown>): Promise<{ id: number; uuid: string }> {
    const r = await call(h.app, 'POST', '/api/v3/checks/', {
      key: h.alice.apiKey,
      body: { name: 'job', ...fields },
    })
    assert.equal(r.statusCode, 201, r.body)
    const uuid = r.json().uuid as string
    const row = await h.ctx.db.kysely
      .selectFrom('checks')
      .select('id')
      .where('code', '=', uuid)
      .executeTakeFirstOrThrow()
    return { id: row.id, uuid }
  }

  async function ping(uuid: string, at: number, suffix = '', from = '198.51.100.7') {
    h.ctx.clock.set(at)
    const r = await h.app.inject({
      method: 'GET',
      url: `/ping/${uuid}${suffix}`,
      headers: { 'x-forwarded-for': from },
    })
    assert.equal(r.statusCode, 200, r.body)
  }

  async function tick() {
    worker ??= startWorker(h.ctx, { workerId: 'insight-test' })
    await worker.tick()
  }

  const kindsOf = async (id: number) =>
    (await listWarnings(h.ctx.db.kysely, id)).map((w) => w.kind).reverse()

  test('too often: cron 0 3 * * * pinged at 03:00 and 03:05 records one too_often warning', async () => {
    const c = await newCheck({ schedule: '0 3 * * *', tz: 'Europe/Riga', too_often_warning: true })
    const t = Date.parse('2026-03-29T00:00:00Z') // 03:00 in Riga, the spring-forward day
    await ping(c.uuid, t)
    await tick()
    await ping(c.uuid, t + 5 * MIN)
    await ping(c.uuid, t + DAY)
    await tick()
    assert.deepEqual(await kindsOf(c.id), ['too_often'])
    const [w] = await listWarnings(h.ctx.db.kysely, c.id)
    assert.match(w.detail, /within one period/)
    // The same tick handed it to the warnings step (process-warnings.ts): no channel takes warnings.
    assert.equal(w.processed, h.ctx.clock.now())
  })

  test('two sources and new source: a second host in one period is reported', async () => {
    const c = await newCheck({ timeout: 86_400, two_sources_warning: true, new_source_days: 30 })
    const t = Date.parse('2026-02-01T03:00:00Z')
    await ping(c.uuid, t, '/start', '2001:db8:1:2::10')
    await ping(c.uuid, t + MIN, '', '2001:db8:1:2::10')
    await tick()
    assert.deepEqual(await kindsOf(c.id), [])
    await ping(c.uuid, t + 2 * MIN, '/start', '::ffff:203.0.113.9')
    await tick()
    assert.deepEqual(await kindsOf(c.id), ['new_source', 'two_sources'])
    const details = (await listWarnings(h.ctx.db.kysely, c.id)).map((w) => w.detail)
    assert.ok(
      details.some((d) => /2001:db8:1:2::10 and 203\.0\.113\.9/.test(d)),
      details.join('\n'),
    )
  })

  test('network scope: another address of the same /64 is neither new nor a second source', async () => {
    const c = await newCheck({
      timeout: 86_400,
      two_sources_warning: true,
      new_source_days: 7,
      source_scope: 'network',
    })
    const t = Date.parse('2026-02-01T03:00:00Z')
    await ping(c.uuid, t, '', '2001:db8:1:2::10')
    await ping(c.uuid, t + MIN, '', '2001:db8:1:2::99')
    await tick()
    assert.deepEqual(await kindsOf(c.id), [])
  })

  test('unusual duration: after 20 runs of about 4 minutes a 41-minute run is recorded', async () => {
    const c = await newCheck({ schedule: '0 3 * * *', unusual_duration_warning: true })
    const first = Date.parse('2026-01-01T03:00:00Z')
    for (let i = 0; i < 20; i++) {
      await ping(c.uuid, first + i * DAY, '/start')
      await ping(c.uuid, first + i * DAY + (4 * MIN + (i % 3) * 20_000))
    }
    await tick()
    assert.deepEqual(await kindsOf(c.id), [])
    await ping(c.uuid, first + 20 * DAY, '/start')
    await ping(c.uuid, first + 20 * DAY + 41 * MIN)
    await tick()
    const warnings = await listWarnings(h.ctx.db.kysely, c.id)
    assert.deepEqual(
      warnings.map((w) => w.kind),
      ['unusual_duration'],
    )
    assert.match(warnings[0].detail, /^ran 41 min; usually /)
  })

  test('two passes at once record each warning once (the conditional update on insight_n)', async () => {
    const c = await newCheck({ schedule: '0 3 * * *', too_often_warning: true })
    const t = Date.parse('2026-01-20T03:00:00Z')
    await ping(c.uuid, t)
    await ping(c.uuid, t + MIN)
    const counts = await Promise.all([
      detectRunInsights(h.ctx, h.ctx.clock.now()),
      detectRunInsights(h.ctx, h.ctx.clock.now()),
    ])
    assert.equal(counts[0] + counts[1], 1)
    assert.deepEqual(await kindsOf(c.id), ['too_often'])
  })

  test('a check without any insight warning is never looked at and records nothing', async () => {
    const c = await newCheck({ schedule: '0 3 * * *' })
    const t = Date.parse('2026-01-15T03:00:00Z')
    await ping(c.uuid, t)
    await ping(c.uuid, t + MIN, '', '192.0.2.77')
    await tick()
    assert.deepEqual(await kindsOf(c.id), [])
    const row = await h.ctx.db.kysely
      .selectFrom('checks')
      .select(['insight_n', 'insight_state'])
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { insight_n: 0, insight_state: '' })
  })
})
