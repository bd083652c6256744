/**
 * SEC-F3 (issue 11): clients that hold connections open cannot starve the server. A real server
 * listens on loopback and raw sockets (node:net) play the attacker: bodies and headers that never
 * finish get 408 and a closed socket within REQUEST_TIMEOUT / HEADERS_TIMEOUT, a normal ping sent
 * meanwhile answers at once, and MAX_CONNECTIONS refuses the surplus without harming the process.
 */
import assert from 'node:assert/strict'
import net from 'node:net'
import { afterEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import type { Env } from '../../src/config/index.js'
import type { Check } from '../../src/db/index.js'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase, type TestDialect } from '../helpers/databases.js'

/** What one raw socket saw: the bytes it received and when it closed (ms after `start`). */
interface SocketOutcome {
  data: string
  closedAfterMs: number
}

/** Opens a socket, writes `text`, then sends nothing more; resolves when the server closes it. */
function holdOpen(port: number, text: string, start: number): Promise<SocketOutcome> {
  return new Promise((resolve) => {
    let data = ''
    const s = net.connect(port, '127.0.0.1', () => s.write(text))
    s.setEncoding('utf8')
    s.on('data', (d) => {
      data += d
    })
    s.on('error', () => {})
    s.on('close', () => resolve({ data, closedAfterMs: Date.now() - start }))
  })
}

/** Connects and resolves once connected, keeping the socket (sending nothing). */
function connectIdle(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s))
    s.on('error', reject)
  })
}

async function waitFor(cond: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describeEachDatabase('SEC-F3 slow clients', (dialect: TestDialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let check: Check
  let port: number

  async function start(env: Env): Promise<void> {
    ctx = await createTestContext(dialect, env)
    const { project } = await buildProject(ctx)
    check = await buildCheck(ctx, project)
    app = await buildApp(ctx)
    await app.listen({ port: 0, host: '127.0.0.1' })
    port = (app.server.address() as net.AddressInfo).port
  }
  afterEach(async () => {
    await app.close()
    await ctx.drop()
  })

  test('SEC-F3 slow bodies and slow headers get 408 and are closed while a normal ping answers at once', {
    timeout: 30_000,
  }, async () => {
    await start({ REQUEST_TIMEOUT: '2', HEADERS_TIMEOUT: '1.5' })
    const t0 = Date.now()
    const slowBody = `POST /ping/${check.code} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nabc`
    const slowHeaders = `GET /ping/${check.code} HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1\r\n`
    const bodies = Array.from({ length: 150 }, () => holdOpen(port, slowBody, t0))
    const headers = Array.from({ length: 50 }, () => holdOpen(port, slowHeaders, t0))
    const firstClose = Promise.race([...bodies, ...headers]).then(() => Date.now() - t0)
    await waitFor(async () => (await connectionCount(app)) >= 200, 5000)

    const pingStart = Date.now()
    const ping = await fetch(`http://127.0.0.1:${port}/ping/${check.code}`)
    const pingDoneAfterMs = Date.now() - t0
    assert.equal(ping.status, 200)
    assert.equal(await ping.text(), 'OK')
    // The ping did not wait for any slow client: it was answered while all of them were still held.
    assert.ok(Date.now() - pingStart < 1500, `ping took ${Date.now() - pingStart} ms`)

    const outcomes = await Promise.all([...bodies, ...headers])
    assert.ok(
      pingDoneAfterMs < (await firstClose),
      'the ping answered before any slow socket closed',
    )
    for (const [i, o] of outcomes.entries()) {
      assert.match(
        o.data,
        /^HTTP\/1\.1 408 /,
        `socket ${i} got ${JSON.stringify(o.data.slice(0, 40))}`,
      )
      // Deadline 2 s (bodies) or 1.5 s (headers), checked every 150 ms; generous for a loaded machine.
      assert.ok(o.closedAfterMs < 6000, `socket ${i} closed after ${o.closedAfterMs} ms`)
    }
    const lastBodyClose = Math.max(...outcomes.slice(0, 150).map((o) => o.closedAfterMs))
    assert.ok(lastBodyClose >= 1900, 'a slow body is given its whole REQUEST_TIMEOUT')
    // The server still answers after the flood.
    assert.equal((await fetch(`http://127.0.0.1:${port}/ping/${check.code}`)).status, 200)
  })

  test('SEC-F3 MAX_CONNECTIONS closes connections past the cap and the server keeps serving', {
    timeout: 30_000,
  }, async () => {
    await start({ MAX_CONNECTIONS: '20', REQUEST_TIMEOUT: '10' })
    const held = await Promise.all(Array.from({ length: 20 }, () => connectIdle(port)))
    await waitFor(async () => (await connectionCount(app)) === 20, 5000)
    const t0 = Date.now()
    const refused = await Promise.all(
      Array.from({ length: 10 }, () =>
        holdOpen(port, `GET /ping/${check.code} HTTP/1.1\r\nHost: localhost\r\n\r\n`, t0),
      ),
    )
    for (const o of refused) {
      assert.equal(o.data, '', 'a connection past the cap gets no answer')
      assert.ok(o.closedAfterMs < 2000, `closed after ${o.closedAfterMs} ms`)
    }
    for (const s of held) s.destroy()
    await waitFor(async () => (await connectionCount(app)) === 0, 5000)
    const ping = await fetch(`http://127.0.0.1:${port}/ping/${check.code}`)
    assert.equal(ping.status, 200)
    assert.equal(await ping.text(), 'OK')
  })

  test('SEC-F3 an idle keep-alive connection closes after KEEPALIVE_TIMEOUT', {
    timeout: 30_000,
  }, async () => {
    await start({ KEEPALIVE_TIMEOUT: '0.3' })
    const t0 = Date.now()
    const o = await holdOpen(
      port,
      `GET /ping/${check.code} HTTP/1.1\r\nHost: localhost\r\n\r\n`,
      t0,
    )
    assert.match(o.data, /^HTTP\/1\.1 200 /)
    assert.ok(
      o.closedAfterMs >= 250 && o.closedAfterMs < 3000,
      `closed after ${o.closedAfterMs} ms`,
    )
  })

  test('SEC-F3 MAX_REQUESTS_PER_SOCKET closes a connection after that many requests', {
    timeout: 30_000,
  }, async () => {
    // Node 20 sends "connection: close" with the last answer but leaves the socket to the
    // keep-alive timeout (seen: closed 6.1 s after it with the default 5 s, 21.1 s with 20 s):
    // 2 s instead of 5 s keeps that wait short, and still far above the client's next write.
    await start({ MAX_REQUESTS_PER_SOCKET: '2', KEEPALIVE_TIMEOUT: '2' })
    const one = `GET /ping/${check.code} HTTP/1.1\r\nHost: localhost\r\n\r\n`
    const s = await connectIdle(port)
    s.setEncoding('utf8')
    let data = ''
    const closed = new Promise<void>((resolve) => s.on('close', () => resolve()))
    const answered = (n: number) =>
      new Promise<void>((resolve) => {
        const onData = (d: string) => {
          data += d
          if ((data.match(/\r\n\r\nOK/g) ?? []).length >= n) {
            s.off('data', onData)
            resolve()
          }
        }
        s.on('data', onData)
      })
    s.write(one)
    await answered(1)
    assert.match(data, /keep-alive: timeout=\d+, max=2/i)
    s.write(one)
    await answered(2)
    const second = data.slice(data.lastIndexOf('HTTP/1.1'))
    assert.match(second, /^HTTP\/1\.1 200 /)
    assert.match(second, /connection: close/i)
    await closed
  })
})

function connectionCount(app: FastifyInstance): Promise<number> {
  return new Promise((resolve, reject) =>
    app.server.getConnections((err, n) => (err ? reject(err) : resolve(n))),
  )
}
