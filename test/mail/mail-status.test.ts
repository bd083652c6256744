import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { enqueueMail } from '../../src/mail/index.js'
import {
  deriveMailStatus,
  mailStatus,
  recordInteractiveSend,
  recordMailProbe,
} from '../../src/mail/mail-status.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { csrfFrom, FormClient } from '../web/form-client.js'

const ok = (at: number) => ({ ok: true, at })
const bad = (at: number) => ({ ok: false, at })

test('MAIL-1 the status follows the last probe or send, and 3 failed sends in a row degrade it', () => {
  const cases: [Parameters<typeof deriveMailStatus>[0], string][] = [
    [{ configured: false, probe: ok(5), recent: [ok(6)] }, 'unconfigured'],
    [{ configured: true, probe: null, recent: [] }, 'unknown'],
    [{ configured: true, probe: ok(5), recent: [] }, 'healthy'],
    [{ configured: true, probe: bad(5), recent: [] }, 'degraded'],
    [{ configured: true, probe: bad(5), recent: [ok(6)] }, 'healthy'],
    [{ configured: true, probe: ok(5), recent: [bad(6)] }, 'degraded'],
    [{ configured: true, probe: null, recent: [bad(3), ok(2), ok(1)] }, 'degraded'],
    [{ configured: true, probe: null, recent: [ok(3), bad(2), bad(1)] }, 'healthy'],
    [{ configured: true, probe: null, recent: [bad(3), bad(2), bad(1)] }, 'degraded'],
    // MAIL-010: the open circuit closes only with a probe after the failures.
    [{ configured: true, probe: ok(2), recent: [bad(5), bad(4), bad(3)] }, 'degraded'],
    [{ configured: true, probe: ok(6), recent: [bad(5), bad(4), bad(3)] }, 'healthy'],
  ]
  for (const [facts, expected] of cases)
    assert.equal(deriveMailStatus(facts), expected, JSON.stringify(facts))
})

const SMTP = { EMAIL_HOST: '127.0.0.1', EMAIL_PORT: '2525', EMAIL_USE_TLS: 'False' }

/** Three outbox rows whose sends failed (attempted, still pending a retry or failed). */
async function failThreeSends(ctx: TestContext) {
  for (let i = 0; i < 3; i++) {
    const row = await enqueueMail(
      ctx.db,
      { to: 'x@example.org', subject: 's', text: 't' },
      ctx.clock.now(),
    )
    await ctx.db.kysely
      .updateTable('mail_outbox')
      .set({ attempts: 1, error: 'connect ECONNREFUSED', status: i === 0 ? 'failed' : 'pending' })
      .where('id', '=', row.id)
      .execute()
  }
}

describeEachDatabase('mail status from the outbox and probes', (dialect) => {
  let ctx: TestContext
  afterEach(() => ctx.drop())

  test('MAIL-1 unconfigured without EMAIL_HOST, unknown before anything was tried', async () => {
    ctx = await createTestContext(dialect)
    assert.equal(await mailStatus(ctx), 'unconfigured')
    await ctx.drop()
    ctx = await createTestContext(dialect, SMTP)
    assert.equal(await mailStatus(ctx), 'unknown')
  })

  test('MAIL-010 three failed sends degrade the status until a probe succeeds', async () => {
    ctx = await createTestContext(dialect, SMTP)
    await recordMailProbe(ctx, true, ctx.clock.now())
    assert.equal(await mailStatus(ctx), 'healthy')
    ctx.clock.advance(1000)
    await failThreeSends(ctx)
    assert.equal(await mailStatus(ctx), 'degraded')
    ctx.clock.advance(1000)
    await recordMailProbe(ctx, true, ctx.clock.now())
    assert.equal(await mailStatus(ctx), 'healthy')
  })

  test('MAIL-1 interactive outcomes count with outbox sends: newest first, 3 failures in a row degrade', async () => {
    ctx = await createTestContext(dialect, SMTP)
    await recordMailProbe(ctx, true, ctx.clock.now())
    ctx.clock.advance(1000)
    const failOneOutboxSend = async () => {
      const row = await enqueueMail(
        ctx.db,
        { to: 'x@example.org', subject: 's', text: 't' },
        ctx.clock.now(),
      )
      await ctx.db.kysely
        .updateTable('mail_outbox')
        .set({ attempts: 1, error: 'connect ECONNREFUSED', status: 'failed' })
        .where('id', '=', row.id)
        .execute()
    }
    await failOneOutboxSend()
    ctx.clock.advance(1000)
    await recordInteractiveSend(ctx, false, ctx.clock.now())
    ctx.clock.advance(1000)
    await failOneOutboxSend()
    assert.equal(await mailStatus(ctx), 'degraded')
    // One interactive success closes the circuit, as a sent outbox mail would.
    ctx.clock.advance(1000)
    await recordInteractiveSend(ctx, true, ctx.clock.now())
    assert.equal(await mailStatus(ctx), 'healthy')
    const kept = await ctx.db.kysely
      .selectFrom('system_status')
      .select('value')
      .where('key', '=', 'mail.interactive')
      .executeTakeFirstOrThrow()
    assert.deepEqual(
      (JSON.parse(kept.value) as { ok: boolean }[]).map((o) => o.ok),
      [true, false],
    )
  })
})

describeEachDatabase('flows that read the mail status', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  beforeEach(async () => {
    ctx = await createTestContext(dialect, SMTP)
    app = await buildApp(ctx)
  })
  afterEach(async () => {
    await app.close()
    await ctx.drop()
  })

  test('T-27 with mail degraded an email change is refused with 200 and not applied', async () => {
    await buildUser(ctx, 'alice@example.org', 'correct horse battery')
    const browser = new FormClient(app, ctx.clock)
    await browser.submit('/login', '/login', {
      email: 'alice@example.org',
      password: 'correct horse battery',
    })
    await recordMailProbe(ctx, false, ctx.clock.now())
    const page = await browser.get('/account/email')
    const r = await browser.post('/account/email', {
      csrf: csrfFrom(page.body),
      email: 'new@example.org',
    })
    assert.equal(r.statusCode, 200)
    assert.match(
      r.body,
      /We can't send the verification email right now\. Your email address was not changed\./,
    )
    const users = await ctx.db.kysely.selectFrom('users').select('email').execute()
    assert.deepEqual(users, [{ email: 'alice@example.org' }])
    assert.equal(
      await ctx.db.kysely.selectFrom('email_changes').selectAll().executeTakeFirst(),
      undefined,
    )
  })
})
