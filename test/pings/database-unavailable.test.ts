import assert from 'node:assert/strict'
import net from 'node:net'
import { afterEach, beforeEach, test } from 'node:test'
import { buildApp } from '../../src/app.js'
import type { Check } from '../../src/db/index.js'
import { openDatabase } from '../../src/db/index.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { createPingHarness, type PingHarness, readCheck } from './ping-harness.js'

/** A TCP relay to PostgreSQL that can be cut (every connection dropped, port closed) and restored. */
class CuttableRelay {
  private server: net.Server | null = null
  private sockets = new Set<net.Socket>()
  port = 0
  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.host)
      for (const s of [client, upstream]) {
        this.sockets.add(s)
        s.on('error', () => {})
        s.on('close', () => {
          this.sockets.delete(s)
          client.destroy()
          upstream.destroy()
        })
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve))
    this.port = (server.address() as net.AddressInfo).port
    this.server = server
  }

  async cut(): Promise<void> {
    const server = this.server
    this.server = null
    for (const s of this.sockets) s.destroy()
    if (server) await new Promise((resolve) => server.close(resolve))
  }
}

describeEachDatabase('ping while the database fails', (dialect) => {
  let h: PingHarness
  let check: Check
  beforeEach(async () => {
    h = await createPingHarness(dialect)
    check = await buildCheck(h.ctx, h.alice.project)
  })
  afterEach(() => h.close())

  if (dialect === 'postgres') {
    test('it answers 503 while PostgreSQL is unreachable and recovers when it returns', async () => {
      const cfg = h.ctx.config.db
      assert.equal(cfg.kind, 'postgres')
      if (cfg.kind !== 'postgres') return
      const relay = new CuttableRelay(cfg.host, cfg.port)
      await relay.open()
      const db = openDatabase({ ...cfg, host: '127.0.0.1', port: relay.port })
      const app = await buildApp({ ...h.ctx, db }, { web: false })
      try {
        const url = `/ping/${check.code}`
        assert.equal((await app.inject({ method: 'GET', url })).statusCode, 200)

        await relay.cut()
        // First on the pooled connection that just died, then on a refused new one.
        for (let i = 0; i < 2; i++) {
          const down = await app.inject({ method: 'GET', url })
          assert.equal(down.statusCode, 503)
          assert.equal(down.body, 'database unavailable, try again')
          assert.equal(down.headers['access-control-allow-origin'], undefined)
        }

        await relay.open()
        const back = await app.inject({ method: 'GET', url })
        assert.equal(back.statusCode, 200)
        assert.equal((await readCheck(h.ctx, check.id)).n_pings, 2)
      } finally {
        await app.close()
        await relay.cut()
        await db.close()
      }
    })
  } else {
    test('it answers 503 while SQLite refuses writes and recovers afterwards', async () => {
      const url = `/ping/${check.code}`
      h.ctx.db.sqlite!.pragma('query_only = ON')
      const down = await h.app.inject({ method: 'GET', url })
      assert.equal(down.statusCode, 503)
      assert.equal(down.body, 'database unavailable, try again')

      h.ctx.db.sqlite!.pragma('query_only = OFF')
      assert.equal((await h.app.inject({ method: 'GET', url })).statusCode, 200)
      assert.equal((await readCheck(h.ctx, check.id)).n_pings, 1)
    })
  }
})
