/**
 * MAIL-2, MAIL-3 and MAIL-6: an interactive send (sign-in link, confirmation code) is one attempt
 * within caps derived from EMAIL_TIMEOUT (connect ½, each command 1×, whole send 1½×), is cut to
 * ½× while mail is degraded, is not tried without SMTP, and says why it failed in MAIL-3's words.
 * Real SMTP servers on loopback: one that never greets, one that answers slowly, one that refuses.
 */
import assert from 'node:assert/strict'
import type { AddressInfo, Socket } from 'node:net'
import { createServer } from 'node:net'
import { after, afterEach, before, describe, test } from 'node:test'
import { SMTPServer } from 'smtp-server'
import { interactiveCaps, sendInteractiveMail } from '../../src/accounts/codes/interactive-mail.js'
import { loadConfig } from '../../src/config/index.js'
import { mailStatus, recordMailProbe } from '../../src/mail/mail-status.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { closedPort, startSmtpSink } from '../helpers/smtp-sink.js'

const MAIL = {
  to: 'alice@example.org',
  subject: 'Vigil confirmation code',
  text: 'code: 123456',
  verifiedRecipient: true,
}

function plain(port: number, timeoutSeconds = 2) {
  return {
    EMAIL_HOST: '127.0.0.1',
    EMAIL_PORT: String(port),
    EMAIL_USE_TLS: 'False',
    EMAIL_TIMEOUT: String(timeoutSeconds),
  }
}

describe('MAIL-2 interactive caps', () => {
  test('MAIL-2 with the default EMAIL_TIMEOUT: connect 5 s, each command 10 s, the whole send 15 s', () => {
    const config = loadConfig({ SECRET_KEY: 'x'.repeat(32), EMAIL_HOST: 'smtp.example.org' })
    assert.deepEqual(interactiveCaps(config, 'healthy'), {
      connectMs: 5_000,
      commandMs: 10_000,
      totalMs: 15_000,
    })
    assert.deepEqual(interactiveCaps(config, 'unknown'), interactiveCaps(config, 'healthy'))
  })

  test('MAIL-6 while degraded the whole attempt gets 5 s', () => {
    const config = loadConfig({ SECRET_KEY: 'x'.repeat(32), EMAIL_HOST: 'smtp.example.org' })
    assert.deepEqual(interactiveCaps(config, 'degraded'), {
      connectMs: 5_000,
      commandMs: 5_000,
      totalMs: 5_000,
    })
  })
})

describeEachDatabase('interactive mail against real servers', (dialect) => {
  let ctx: TestContext | null = null
  const connections: number[] = []
  let silentPort = 0
  let slowPort = 0
  let silent: ReturnType<typeof createServer>
  let slow: SMTPServer
  const sockets = new Set<Socket>()
  before(async () => {
    // Accepts and never says a word.
    silent = createServer((s) => {
      connections.push(Date.now())
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => {})
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    silentPort = (silent.address() as AddressInfo).port
    // Answers every step of the envelope, each 1.2 s late: under the per-command cap, over the total.
    const late = (callback: () => void) => setTimeout(callback, 1200)
    slow = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onConnect(_session, callback) {
        connections.push(Date.now())
        callback()
      },
      onMailFrom(_a, _s, callback) {
        late(() => callback())
      },
      onRcptTo(_a, _s, callback) {
        late(() => callback())
      },
      onData(stream, _s, callback) {
        stream.resume()
        stream.on('end', () => late(() => callback()))
      },
    })
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve))
    slowPort = (slow.server.address() as AddressInfo).port
  })
  after(async () => {
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => silent.close(() => resolve()))
    await new Promise<void>((resolve) => slow.close(() => resolve()))
  })
  afterEach(async () => {
    await ctx?.drop()
    ctx = null
    connections.length = 0
  })

  async function timed(env: Record<string, string>) {
    ctx = await createTestContext(dialect, env)
    const started = Date.now()
    const r = await sendInteractiveMail(ctx, MAIL)
    return { r, ms: Date.now() - started }
  }

  test('MAIL-2 a server that never greets is given up on within the caps', async () => {
    const { r, ms } = await timed(plain(silentPort, 2))
    assert.deepEqual(r, { ok: false, reason: 'timeout' })
    assert.equal(connections.length, 1)
    assert.ok(ms < 2_900, `took ${ms} ms`)
  })

  test('MAIL-2 a server slow at every step is cut off at the whole-send cap (1.5 × EMAIL_TIMEOUT)', async () => {
    const { r, ms } = await timed(plain(slowPort, 2))
    assert.deepEqual(r, { ok: false, reason: 'timeout' })
    assert.ok(ms >= 2_900 && ms < 3_800, `took ${ms} ms, expected about 3000`)
  })

  test('MAIL-6 while mail is degraded the attempt is made but capped at half of EMAIL_TIMEOUT', async () => {
    ctx = await createTestContext(dialect, plain(slowPort, 2))
    await recordMailProbe(ctx, false, ctx.clock.now())
    const started = Date.now()
    const r = await sendInteractiveMail(ctx, MAIL)
    const ms = Date.now() - started
    assert.deepEqual(r, { ok: false, reason: 'timeout' })
    assert.equal(connections.length, 1, 'the attempt was made')
    assert.ok(ms >= 900 && ms < 1_800, `took ${ms} ms, expected about 1000`)
  })

  test('MAIL-6 with mail unconfigured nothing is attempted', async () => {
    const { r, ms } = await timed({})
    assert.deepEqual(r, { ok: false, reason: 'unconfigured' })
    assert.equal(connections.length, 0)
    assert.ok(ms < 500)
  })

  test('MAIL-3 a refused connection is reason "connect"', async () => {
    const { r } = await timed(plain(await closedPort()))
    assert.deepEqual(r, { ok: false, reason: 'connect' })
  })

  test('MAIL-3 a recipient refused with 550 is reason "recipient_rejected"; a sent mail is ok', async () => {
    const sink = await startSmtpSink()
    try {
      sink.reject(550, 'No such user')
      const { r } = await timed(sink.env)
      assert.deepEqual(r, { ok: false, reason: 'recipient_rejected' })
      sink.reject(null)
      assert.deepEqual(await sendInteractiveMail(ctx!, MAIL), { ok: true })
      assert.equal((await sink.waitFor(1))[0].subject, 'Vigil confirmation code')
    } finally {
      await sink.close()
    }
  })

  test('MAIL-3 AUTH answered with 535 is reason "auth"', async () => {
    const smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(_auth, _session, callback) {
        const e = new Error('Authentication credentials invalid') as Error & {
          responseCode: number
        }
        e.responseCode = 535
        callback(e)
      },
    })
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
    try {
      const port = (smtp.server.address() as AddressInfo).port
      const { r } = await timed({
        ...plain(port),
        EMAIL_HOST_USER: 'vigil',
        EMAIL_HOST_PASSWORD: 'wrong',
      })
      assert.deepEqual(r, { ok: false, reason: 'auth' })
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()))
    }
  })

  test('MAIL-1 three failed interactive sends (refused connection) degrade the mail status', async () => {
    ctx = await createTestContext(dialect, plain(await closedPort()))
    assert.equal(await mailStatus(ctx), 'unknown')
    for (let i = 0; i < 3; i++) {
      ctx.clock.advance(1_000)
      assert.deepEqual(await sendInteractiveMail(ctx, MAIL), { ok: false, reason: 'connect' })
    }
    assert.equal(await mailStatus(ctx), 'degraded')
  })

  test('MAIL-1 after three failed interactive sends one that succeeds makes the status healthy', async () => {
    const sink = await startSmtpSink()
    try {
      ctx = await createTestContext(dialect, sink.env)
      sink.reject(550, 'No such user')
      for (let i = 0; i < 3; i++) {
        ctx.clock.advance(1_000)
        assert.equal((await sendInteractiveMail(ctx, MAIL)).ok, false)
      }
      assert.equal(await mailStatus(ctx), 'degraded')
      sink.reject(null)
      ctx.clock.advance(1_000)
      assert.deepEqual(await sendInteractiveMail(ctx, MAIL), { ok: true })
      assert.equal(await mailStatus(ctx), 'healthy')
    } finally {
      await sink.close()
    }
  })
})
