import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { loadConfig } from '../../src/config/index.js'
import type { Ctx } from '../../src/context.js'
import { databaseNow } from '../../src/doctor/clock-offset.js'
import { runDoctor } from '../../src/doctor/findings.js'
import { startProbeSchedule } from '../../src/doctor/probe-schedule.js'
import { RequestSampler, requestOrigin, SAMPLE_SIZE } from '../../src/doctor/request-sample.js'
import { recordSecretFingerprint, secretFingerprint } from '../../src/doctor/secret-fingerprint.js'
import { mailStatus } from '../../src/mail/mail-status.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { closedPort, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js'

const ids = async (ctx: Ctx) => (await runDoctor(ctx, { network: false })).map((f) => f.id)

test('SEC-003 the fingerprint depends on the key and does not contain it', () => {
  const a = secretFingerprint('a'.repeat(40))
  assert.equal(a, secretFingerprint('a'.repeat(40)))
  assert.notEqual(a, secretFingerprint('b'.repeat(40)))
  assert.ok(!a.includes('aaaa'))
})

test('SITE-003 the sampler keeps the last 100 requests and writes only when the picture changes', () => {
  const s = new RequestSampler('https://vigil.example.com')
  const t0 = 1_000_000
  assert.ok(s.observe('https://vigil.example.com', t0), 'the first request is written')
  for (let i = 0; i < 4; i++) assert.equal(s.observe('https://old.example.net', t0), null)
  const crossing = s.observe('https://old.example.net', t0)
  assert.equal(crossing?.foreign, 5)
  assert.equal(crossing?.observed, 'https://old.example.net')
  assert.equal(s.observe('https://old.example.net', t0 + 1000), null)
  assert.ok(s.observe('https://old.example.net', t0 + 61_000), 'refreshed after a minute')
  // 100 good requests push the foreign ones out of the window.
  let last = null
  for (let i = 0; i < SAMPLE_SIZE; i++)
    last = s.observe('https://vigil.example.com', t0 + 62_000) ?? last
  assert.equal(last?.foreign, 4, 'written again when it drops below 5')
  assert.equal(s.summary(t0).foreign, 0)
  assert.equal(requestOrigin('https', 'vigil.example.com:443'), 'https://vigil.example.com')
})

describeEachDatabase('doctor runtime findings', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect, { SECRET_KEY: 'a'.repeat(40) })
  })
  afterEach(async () => {
    await ctx.drop()
  })

  test('TIME-001 an app clock 60 s off the database clock warns; within 30 s it does not', async () => {
    const dbNow = await databaseNow(ctx)
    assert.ok(Math.abs(dbNow - Date.now()) < 5000, 'the database clock is read')
    ctx.clock.set(Date.now() + 60_000)
    const f = (await runDoctor(ctx, { network: false })).find((x) => x.id === 'TIME-001')
    assert.equal(f?.severity, 'warning')
    assert.match(f?.message ?? '', /\d+ s ahead of the database's: TOTP codes may be rejected/)
    ctx.clock.set(Date.now() - 10_000)
    assert.ok(!(await ids(ctx)).includes('TIME-001'))
  })

  test('SEC-003 a start with another SECRET_KEY reports the change; doctor shows it for a day', async () => {
    ctx.clock.set(Date.now())
    assert.equal(await recordSecretFingerprint(ctx), null, 'the first start only stores it')
    assert.ok(!(await ids(ctx)).includes('SEC-003'))
    const other: Ctx = { ...ctx, config: loadConfig({ SECRET_KEY: 'b'.repeat(40) }) }
    // Before the restart: doctor run with the new key already sees the difference.
    assert.ok((await ids(other)).includes('SEC-003'))
    const f = await recordSecretFingerprint(other)
    assert.equal(f?.id, 'SEC-003')
    assert.match(f?.message ?? '', /hashed API keys, login links and sessions are now invalid/)
    assert.ok((await ids(other)).includes('SEC-003'))
    ctx.clock.advance(25 * 3600_000)
    assert.ok(!(await ids(other)).includes('SEC-003'), 'gone a day later')
  })
})

describeEachDatabase('DOC-1 background probes', (dialect) => {
  let sink: SmtpSink
  let ctx: TestContext
  beforeEach(async () => {
    sink = await startSmtpSink()
    ctx = await createTestContext(dialect, { ...sink.env })
    ctx.clock.set(Date.now())
  })
  afterEach(async () => {
    await ctx.drop()
    await sink.close()
  })

  test('DOC-1 probes run after start, repeat on the healthy interval, store results and stop cleanly', async () => {
    assert.equal(await mailStatus(ctx), 'unknown')
    const schedule = startProbeSchedule(ctx, { healthyMs: 50, unhealthyMs: 10_000 })
    const deadline = Date.now() + 10_000
    while (schedule.runs() < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    await schedule.stop()
    const runs = schedule.runs()
    assert.ok(runs >= 3, `healthy mail re-probed on the short interval (${runs} runs)`)
    assert.equal(await mailStatus(ctx), 'healthy')
    const stored = await ctx.db.kysely
      .selectFrom('system_status')
      .select('value')
      .where('key', '=', 'doctor.network')
      .executeTakeFirstOrThrow()
    assert.deepEqual(JSON.parse(stored.value).findings, [])
    await new Promise((r) => setTimeout(r, 150))
    assert.equal(schedule.runs(), runs, 'no run after stop')
  })
})

describeEachDatabase('DOC-1 background probes with mail down', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect, {
      EMAIL_HOST: '127.0.0.1',
      EMAIL_PORT: String(await closedPort()),
      EMAIL_USE_TLS: 'False',
      EMAIL_TIMEOUT: '1',
    })
    ctx.clock.set(Date.now())
  })
  afterEach(async () => {
    await ctx.drop()
  })

  test('DOC-1 while mail is not healthy the probe repeats on the unhealthy interval and records MAIL-005', async () => {
    const schedule = startProbeSchedule(ctx, { healthyMs: 3600_000, unhealthyMs: 50 })
    const deadline = Date.now() + 10_000
    while (schedule.runs() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    await schedule.stop()
    assert.ok(schedule.runs() >= 2)
    assert.equal(await mailStatus(ctx), 'degraded')
    const stored = await ctx.db.kysely
      .selectFrom('system_status')
      .select('value')
      .where('key', '=', 'doctor.network')
      .executeTakeFirstOrThrow()
    assert.equal(JSON.parse(stored.value).findings[0].id, 'MAIL-005')
  })
})
