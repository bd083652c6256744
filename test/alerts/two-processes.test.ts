import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import { newUuid } from '../../src/tokens.js'
import { buildChannel, buildProject } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { nodeArgsFor } from '../helpers/paths.js'

const CHECKS = 1000
const WORKER_SCRIPT = nodeArgsFor(import.meta.url, './two-processes-worker')

/** The database as a DATABASE_URL for a child process. */
function databaseUrl(ctx: TestContext): string {
  const db = ctx.config.db
  if (db.kind === 'sqlite') return `sqlite:${db.file}`
  const auth = db.password ? `${db.user}:${encodeURIComponent(db.password)}` : db.user
  return `postgres://${auth}@${db.host}:${db.port}/${db.database}?schema=${db.schema}`
}

function startWorkerProcess(
  ctx: TestContext,
  id: string,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, WORKER_SCRIPT, {
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl(ctx),
      SECRET_KEY: 'test-secret-key-0123456789',
      INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True',
      WORKER_POLL_MS: '50',
      WORKER_ID: id,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`worker ${id} exited early (${code})`)))
    child.stdout?.once('data', () => resolve(child))
  })
}

/** Stops the worker processes still running (SIGTERM: each finishes its in-flight sends first). */
async function stopAll(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (c) => {
      if (c.exitCode !== null || c.signalCode !== null) return
      c.removeAllListeners('exit')
      const exited = once(c, 'exit')
      c.kill('SIGTERM')
      await exited
    }),
  )
}

/** Waits (up to 15 s) until no notification is pending or being sent. */
async function allRecorded(ctx: TestContext) {
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    const open = await ctx.db.kysely
      .selectFrom('notifications')
      .select('id')
      .where('status', 'in', ['pending', 'sending'])
      .limit(1)
      .execute()
    if (open.length === 0) return
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** 1,000 checks an hour past their deadline, each notifying one webhook channel on `url`. */
async function setUpBurst(ctx: TestContext, url: string) {
  const { project } = await buildProject(ctx)
  await ctx.db.kysely.deleteFrom('channels').where('project_id', '=', project.id).execute()
  // The worker processes read the real clock: the deadlines are already an hour past.
  const lastPing = Date.now() - 2 * 3_600_000
  const rows = Array.from({ length: CHECKS }, (_, i) => ({
    code: newUuid(),
    badge_key: newUuid(),
    project_id: project.id,
    name: `check ${i}`,
    created: lastPing,
    kind: 'simple' as const,
    timeout: 3600,
    grace: 60,
    status: 'up' as const,
    last_ping: lastPing,
    alert_after: lastPing + 3_660_000,
  }))
  for (let i = 0; i < rows.length; i += 200) {
    await ctx.db.kysely
      .insertInto('checks')
      .values(rows.slice(i, i + 200))
      .execute()
  }
  const checks = await ctx.db.kysely.selectFrom('checks').select(['id', 'code']).execute()
  assert.equal(checks.length, CHECKS)
  const channel = await buildChannel(ctx, project, 'webhook', {
    method_down: 'POST',
    url_down: `${url}/hook/$CODE`,
    body_down: '$STATUS',
    url_up: '',
  })
  await ctx.db.kysely
    .insertInto('check_channels')
    .values(checks.map((c) => ({ check_id: c.id, channel_id: channel.id })))
    .execute()

  return checks
}

describeEachDatabase('two worker processes', (dialect) => {
  let ctx: TestContext
  let cap: CaptureServer
  let children: ChildProcess[] = []
  before(async () => {
    cap = await startCaptureServer()
  })
  after(() => cap.close())
  beforeEach(async () => {
    cap.requests.length = 0
    ctx = await createTestContext(dialect)
  })
  afterEach(async () => {
    await stopAll(children)
    children = []
    await ctx.drop()
  })

  test('1,000 checks going down at once: every notification delivered exactly once, none missed', {
    timeout: 60_000,
  }, async () => {
    const checks = await setUpBurst(ctx, cap.url)
    children = await Promise.all([
      startWorkerProcess(ctx, 'worker-a'),
      startWorkerProcess(ctx, 'worker-b'),
    ])
    await cap.waitFor(CHECKS, 50_000)
    // An outcome is recorded just after its request arrives. Then stop both workers, which
    // finish what they have in flight: a duplicate, if any, has arrived before counting.
    await allRecorded(ctx)
    await stopAll(children)

    assert.equal(cap.requests.length, CHECKS)
    const codes = new Set(cap.requests.map((r) => r.url.replace('/hook/', '')))
    assert.equal(codes.size, CHECKS)
    assert.deepEqual([...codes].sort(), checks.map((c) => c.code).sort())
    const flips = await ctx.db.kysely.selectFrom('flips').select('check_id').execute()
    assert.equal(flips.length, CHECKS)
    const sent = await ctx.db.kysely
      .selectFrom('notifications')
      .select(['status', 'attempts'])
      .execute()
    assert.equal(sent.length, CHECKS)
    assert.deepEqual(
      sent.filter((n) => !(n.status === 'sent' && n.attempts === 1)),
      [],
    )
    const workers = await ctx.db.kysely
      .selectFrom('worker_heartbeats')
      .select('worker_id')
      .orderBy('worker_id')
      .execute()
    assert.deepEqual(
      workers.map((w) => w.worker_id),
      ['worker-a', 'worker-b'],
    )
  })

  test('ALERTS-kill kill -9 of a worker mid-burst: another takes over its leases, none missed, only its in-flight ones may repeat', {
    timeout: 120_000,
  }, async () => {
    const checks = await setUpBurst(ctx, cap.url)
    // Outage detection is not under test here: the second worker's clock runs ahead.
    const env = { WORKER_OUTAGE_THRESHOLD: '0' }
    const first = await startWorkerProcess(ctx, 'worker-a', env)
    children = [first]
    await cap.waitFor(150, 50_000)
    first.removeAllListeners('exit')
    first.kill('SIGKILL')
    await once(first, 'exit')
    // What worker-a held when it died: claimed, maybe already received, never recorded.
    const held = await ctx.db.kysely
      .selectFrom('notifications')
      .innerJoin('checks', 'checks.id', 'notifications.check_id')
      .select('checks.code')
      .where('notifications.status', '=', 'sending')
      .where('notifications.claimed_by', '=', 'worker-a')
      .execute()
    const heldCodes = new Set(held.map((h) => h.code))
    const receivedBeforeKill = cap.requests.length
    assert.ok(receivedBeforeKill < CHECKS, 'the kill came mid-burst')

    // Started with its clock past the 5-minute lease, as if it had waited for it.
    children.push(await startWorkerProcess(ctx, 'worker-b', { ...env, CLOCK_OFFSET_MS: '360000' }))
    // Polls until every check's webhook came or 60 s passed; the loop ends either way, so a
    // failure does not leave a timer keeping the test process alive.
    const deadline = Date.now() + 60_000
    for (;;) {
      const codes = new Set(cap.requests.map((r) => r.url.replace('/hook/', '')))
      if (codes.size >= CHECKS) break
      if (Date.now() > deadline) throw new Error(`not all arrived: ${codes.size} of ${CHECKS}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    // Every outcome recorded, then worker-b stopped after its in-flight sends: nothing more comes.
    await allRecorded(ctx)
    await stopAll(children)

    const seen = new Map<string, number>()
    for (const r of cap.requests) {
      const code = r.url.replace('/hook/', '')
      seen.set(code, (seen.get(code) ?? 0) + 1)
    }
    assert.deepEqual([...seen.keys()].sort(), checks.map((c) => c.code).sort(), 'none missed')
    const repeated = [...seen].filter(([, n]) => n > 1).map(([code]) => code)
    // At-least-once at the edge: a request that reached the endpoint before the kill but whose
    // outcome was never recorded is sent again; nothing else is.
    for (const code of repeated)
      assert.ok(heldCodes.has(code), `${code} sent twice but was not held`)
    assert.ok([...seen.values()].every((n) => n <= 2))
    const rows = await ctx.db.kysely.selectFrom('notifications').select('status').execute()
    assert.equal(rows.length, CHECKS)
    assert.ok(rows.every((n) => n.status === 'sent'))
  })
})
