import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { deliverDueNotifications } from '../../src/alerts/index.js'
import { ConfigError, loadConfig } from '../../src/config/index.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useChannelScene, WORKER } from './channel-harness.js'

/** A stand-in for `signal-cli daemon --socket`: records requests, answers as scripted. */
interface FakeSignalCli {
  path: string
  requests: Record<string, unknown>[]
  answer: (req: Record<string, unknown>) => Record<string, unknown> | null
  close(): Promise<void>
}

async function startFakeSignalCli(): Promise<FakeSignalCli> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-signal-'))
  const path = join(dir, 'signal-cli.sock')
  const sockets = new Set<Socket>()
  const fake: FakeSignalCli = {
    path,
    requests: [],
    answer: (req) => ({ jsonrpc: '2.0', result: { timestamp: 1 }, id: req.id }),
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise<void>((r) => server.close(() => r()))
      rmSync(dir, { recursive: true, force: true })
    },
  }
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    let buf = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      buf += chunk
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const req = JSON.parse(buf.slice(0, nl))
        buf = buf.slice(nl + 1)
        fake.requests.push(req)
        // The daemon also pushes unrelated messages; the client must skip them.
        socket.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'receive', params: {} })}\n`)
        const answer = fake.answer(req)
        if (answer) socket.write(`${JSON.stringify(answer)}\n`)
      }
    })
  })
  await new Promise<void>((r) => server.listen(path, r))
  return fake
}

let fake: FakeSignalCli
before(async () => {
  fake = await startFakeSignalCli()
})
after(() => fake.close())

describeEachDatabase('Signal', (dialect) => {
  const scene = useChannelScene(dialect, () => ({ SIGNAL_CLI_SOCKET: fake.path }))

  test('Signal sends a JSON-RPC send with the recipient and the message', async () => {
    const s = scene()
    fake.requests.length = 0
    fake.answer = (req) => ({ jsonrpc: '2.0', result: {}, id: req.id })
    await s.channel('signal', { value: '+15551234567', up: true, down: true })
    assert.deepEqual(await s.goDown(), ['sent'])
    const [req] = fake.requests
    assert.equal(req.jsonrpc, '2.0')
    assert.equal(req.method, 'send')
    assert.equal(typeof req.id, 'string')
    assert.deepEqual(req.params, {
      recipient: ['+15551234567'],
      message: [
        'The check "Nightly backup" is DOWN. Reason: success signal did not arrive on time, grace time passed.',
        '',
        'Project: Alices Project',
        'Tags: prod, db',
        'Period: 1 hour',
        'Total Pings: 7',
        'Last Ping: Success, 2026-01-15 10:00:00 UTC',
        '',
        `Details: http://localhost:8000/checks/${s.check.code}/details/`,
      ].join('\n'),
    })
  })

  test('Signal usernames are sent as username', async () => {
    const s = scene()
    fake.requests.length = 0
    fake.answer = (req) => ({ jsonrpc: '2.0', result: {}, id: req.id })
    await s.channel('signal', { value: 'u:alice.01', up: true, down: true })
    await s.goDown()
    assert.deepEqual((fake.requests[0].params as { username: string[] }).username, ['alice.01'])
  })

  test('an unregistered recipient is permanent and disables the channel', async () => {
    const s = scene()
    fake.answer = (req) => ({
      jsonrpc: '2.0',
      error: {
        code: -1,
        message: 'Failed to send message',
        data: { response: { results: [{ type: 'UNREGISTERED_FAILURE' }] } },
      },
      id: req.id,
    })
    const ch = await s.channel('signal', '+15551234567')
    assert.deepEqual(await s.goDown(), ['failed'])
    const row = await s.channelRow(ch.id)
    assert.equal(row.disabled, 1)
    assert.equal(row.last_error, 'Recipient not found')
  })

  test('other signal-cli errors are retried with their code', async () => {
    const s = scene()
    fake.answer = (req) => ({ jsonrpc: '2.0', error: { code: -3, message: 'x' }, id: req.id })
    const ch = await s.channel('signal', '+15551234567')
    assert.deepEqual(await s.goDown(), ['retrying'])
    assert.equal((await s.channelRow(ch.id)).last_error, 'signal-cli call failed (-3)')
  })

  test('a daemon that never answers times out and is retried', async () => {
    const s = scene()
    fake.answer = () => null
    const ch = await s.channel('signal', '+15551234567')
    assert.deepEqual(await s.goDown(), ['retrying'])
    assert.equal((await s.channelRow(ch.id)).last_error, 'Connection timed out')
  })
})

/** signal-cli's answer when the Signal network wants a CAPTCHA solved. */
const rateLimited = (token?: string) => (req: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  error: {
    code: -5,
    message: 'Failed to send message due to rate limiting',
    data: {
      response: {
        results: [
          {
            recipientAddress: { number: '+15551234567' },
            type: 'RATE_LIMIT_FAILURE',
            ...(token ? { token } : {}),
          },
        ],
      },
    },
  },
  id: req.id,
})

test('ADMINS is a comma-separated list of addresses, blanks skipped, anything else refused', () => {
  assert.deepEqual(loadConfig({}).admins, [])
  assert.deepEqual(loadConfig({ ADMINS: ' a@example.org,, b@example.org ' }).admins, [
    'a@example.org',
    'b@example.org',
  ])
  assert.throws(() => loadConfig({ ADMINS: 'a@example.org, nobody' }), ConfigError)
})

describeEachDatabase('Signal CAPTCHA challenges', (dialect) => {
  const scene = useChannelScene(dialect, () => ({
    SIGNAL_CLI_SOCKET: fake.path,
    ADMINS: 'ops@example.org, oncall@example.org',
  }))

  const outbox = (s: ReturnType<typeof scene>) =>
    s.ctx.db.kysely.selectFrom('mail_outbox').selectAll().orderBy('id').execute()

  test('a rate-limit challenge mails the admins the token and how to submit it, once', async () => {
    const s = scene()
    fake.answer = rateLimited('tok-123')
    const ch = await s.channel('signal', { value: '+15551234567', up: true, down: true })
    assert.deepEqual(await s.goDown(), ['retrying'])
    assert.equal((await s.channelRow(ch.id)).last_error, 'CAPTCHA proof required')
    const admin = (await outbox(s)).filter((m) => m.subject === 'Signal CAPTCHA proof required')
    assert.deepEqual(
      admin.map((m) => m.to_addr),
      ['ops@example.org', 'oncall@example.org'],
    )
    const text = admin[0].text_body
    assert.match(text, /^Challenge token: tok-123\n/)
    assert.ok(text.includes('"method":"submitRateLimitChallenge"'), text)
    assert.ok(text.includes('"challenge":"tok-123"'), text)
    assert.ok(text.includes('https://signalcaptchas.org/challenge/generate.html'), text)
    assert.ok(text.includes('RATE_LIMIT_FAILURE'), 'the raw reply is quoted')
    // The worker retries; the same challenge is not mailed again.
    s.ctx.clock.advance(60_000)
    assert.deepEqual(await deliverDueNotifications(s.ctx, { workerId: WORKER }), ['retrying'])
    const again = (await outbox(s)).filter((m) => m.subject === 'Signal CAPTCHA proof required')
    assert.equal(again.length, 2)
  })

  test('the project owner gets the undelivered alert by email instead, once', async () => {
    const s = scene()
    fake.answer = rateLimited('tok-456')
    await s.channel('signal', { value: '+15551234567', up: true, down: true })
    await s.goDown()
    s.ctx.clock.advance(60_000)
    await deliverDueNotifications(s.ctx, { workerId: WORKER })
    const owner = (await outbox(s)).filter((m) => m.to_addr === 'alice@example.org')
    assert.equal(owner.length, 1)
    assert.equal(
      owner[0].subject,
      'Signal notification failed: The check "Nightly backup" is DOWN. Reason: success signal did not arrive on time, grace time passed.',
    )
    assert.match(owner[0].text_body, /could not deliver a Signal notification to \+15…4567/)
    assert.match(owner[0].text_body, /\*\*\*\nThe check "Nightly backup" is DOWN\./)
  })

  test('a rate-limit failure without a challenge token is a plain signal-cli failure', async () => {
    const s = scene()
    fake.answer = rateLimited()
    const ch = await s.channel('signal', '+15551234567')
    assert.deepEqual(await s.goDown(), ['retrying'])
    assert.equal((await s.channelRow(ch.id)).last_error, 'signal-cli call failed (-5)')
    assert.equal((await outbox(s)).length, 0)
  })
})

describeEachDatabase('Signal CAPTCHA challenges without ADMINS', (dialect) => {
  const scene = useChannelScene(dialect, () => ({ SIGNAL_CLI_SOCKET: fake.path }))

  test('without ADMINS only the owner is mailed', async () => {
    const s = scene()
    fake.answer = rateLimited('tok-789')
    await s.channel('signal', '+15551234567')
    assert.deepEqual(await s.goDown(), ['retrying'])
    const mail = await s.ctx.db.kysely.selectFrom('mail_outbox').selectAll().execute()
    assert.deepEqual(
      mail.map((m) => m.to_addr),
      ['alice@example.org'],
    )
  })
})

describeEachDatabase('Signal over TCP and without a socket', (dialect) => {
  const scene = useChannelScene(dialect, () => ({ SIGNAL_CLI_SOCKET: '127.0.0.1:1' }))

  test('an unreachable host:port is a retried connection failure', async () => {
    const s = scene()
    const ch = await s.channel('signal', '+15551234567')
    assert.deepEqual(await s.goDown(), ['retrying'])
    assert.equal((await s.channelRow(ch.id)).last_error, 'Connection failed')
  })
})
