/**
 * T-18 (spec MAIL-4): a check goes down with an email and a webhook integration; the email
 * cannot go (no SMTP, or the server refuses connections). The webhook is still called, and the
 * email's notification row and channel say why in the user's words, never the server's.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, test } from 'node:test'
import { deliverDueNotifications } from '../../src/alerts/deliver-notifications.js'
import { handleGoingDown, processFlips } from '../../src/alerts/index.js'
import { goingDownAfter } from '../../src/checks/status.js'
import type { Channel } from '../../src/db/index.js'
import { sendDueMail } from '../../src/mail/index.js'
import { buildChannel, buildCheck, buildProject } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { closedPort } from '../helpers/smtp-sink.js'

const HOUR = 3_600_000

describeEachDatabase('T-18 one failing email integration', (dialect) => {
  let hook: CaptureServer
  let ctx: TestContext | null = null
  before(async () => {
    hook = await startCaptureServer()
  })
  after(() => hook.close())
  afterEach(async () => {
    await ctx?.drop()
    ctx = null
    hook.requests.length = 0
  })

  /** A check overdue by an hour, notifying an email and a webhook channel; runs the worker steps. */
  async function goDown(env: Record<string, string>): Promise<{ email: Channel; c: TestContext }> {
    const c = await createTestContext(dialect, { ...env, INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True' })
    ctx = c
    const { project } = await buildProject(c, 'alice@example.org', 'Backups')
    const fields = {
      status: 'up' as const,
      timeout: 3600,
      grace: 600,
      last_ping: c.clock.now() - 2 * HOUR,
    }
    const check = await buildCheck(c, project, {
      ...fields,
      name: 'nightly',
      alert_after: goingDownAfter({
        kind: 'simple',
        schedule: '',
        tz: 'UTC',
        last_start: null,
        ...fields,
      }),
    })
    const email = await buildChannel(
      c,
      project,
      'email',
      { value: 'ops@example.org', up: true, down: true },
      [check],
    )
    await buildChannel(
      c,
      project,
      'webhook',
      { url_down: `${hook.url}/down`, method_down: 'GET' },
      [check],
    )
    await handleGoingDown(c, c.clock.now())
    await processFlips(c, c.clock.now())
    await deliverDueNotifications(c, { workerId: 'w1' })
    await sendDueMail(c, { workerId: 'w1' })
    return { email, c }
  }

  async function emailOutcome(c: TestContext, channel: Channel) {
    const n = await c.db.kysely
      .selectFrom('notifications')
      .select(['error'])
      .where('channel_id', '=', channel.id)
      .executeTakeFirstOrThrow()
    const ch = await c.db.kysely
      .selectFrom('channels')
      .select('last_error')
      .where('id', '=', channel.id)
      .executeTakeFirstOrThrow()
    return { error: n.error, lastError: ch.last_error }
  }

  test('T-18 mail unconfigured: the webhook is called; the email row says "Email isn\'t configured on this server"', async () => {
    const { email, c } = await goDown({})
    assert.equal(hook.requests.length, 1)
    assert.equal(hook.requests[0].url, '/down')
    assert.deepEqual(await emailOutcome(c, email), {
      error: "Email isn't configured on this server",
      lastError: "Email isn't configured on this server",
    })
  })

  test('T-18 SMTP refusing connections: the webhook is called; the email row says "Email delivery failed: connect"', async () => {
    const { email, c } = await goDown({
      EMAIL_HOST: '127.0.0.1',
      EMAIL_PORT: String(await closedPort()),
      EMAIL_USE_TLS: 'False',
      EMAIL_TIMEOUT: '1',
    })
    assert.equal(hook.requests.length, 1)
    assert.deepEqual(await emailOutcome(c, email), {
      error: 'Email delivery failed: connect',
      lastError: 'Email delivery failed: connect',
    })
  })
})
