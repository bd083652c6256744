import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { describeEachDatabase } from '../helpers/databases.js'
import { useChannelScene } from './channel-harness.js'

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

describeEachDatabase('Signal over TCP and without a socket', (dialect) => {
  const scene = useChannelScene(dialect, () => ({ SIGNAL_CLI_SOCKET: '127.0.0.1:1' }))

  test('an unreachable host:port is a retried connection failure', async () => {
    const s = scene()
    const ch = await s.channel('signal', '+15551234567')
    assert.deepEqual(await s.goDown(), ['retrying'])
    assert.equal((await s.channelRow(ch.id)).last_error, 'Connection failed')
  })
})
