/**
 * The yardstick for `npm run bench:ping`: a bare node:http server doing the same database work per
 * ping as Vigil (find the check, update it, insert the ping) with the same durability (SQLite WAL +
 * synchronous=FULL with group commit; PostgreSQL one transaction per ping). Prints its port.
 */
import { createServer } from 'node:http'
import SQLite from 'better-sqlite3'
import pg from 'pg'

const UUID = /^\/ping\/([0-9a-f-]{36})\/?$/
const dialect = process.env.BENCH_DB
const now = () => Date.now()

type Done = (ok: boolean) => void
let handle: (code: string, method: string, ua: string, body: Buffer, done: Done) => void

if (dialect === 'sqlite') {
  const db = new SQLite(process.env.BENCH_SQLITE_FILE as string)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  const find = db.prepare('select id, n_pings from checks where code = ?')
  const update = db.prepare(
    "update checks set n_pings = n_pings + 1, last_ping = ?, status = 'up' where id = ?",
  )
  const insert = db.prepare(
    "insert into pings (check_id, n, created, kind, scheme, remote_addr, method, ua, body) values (?, ?, ?, 'success', 'http', '127.0.0.1', ?, ?, ?)",
  )
  let queue: { code: string; method: string; ua: string; body: Buffer; done: Done }[] = []
  const flush = () => {
    const batch = queue
    queue = []
    const results = db.transaction(() =>
      batch.map((p) => {
        const check = find.get(p.code) as { id: number; n_pings: number } | undefined
        if (!check) return false
        const t = now()
        update.run(t, check.id)
        insert.run(check.id, check.n_pings + 1, t, p.method, p.ua, p.body.length ? p.body : null)
        return true
      }),
    )()
    for (const [i, p] of batch.entries()) p.done(results[i])
  }
  handle = (code, method, ua, body, done) => {
    if (queue.push({ code, method, ua, body, done }) === 1) setImmediate(flush)
  }
} else {
  const pool = new pg.Pool({
    connectionString: process.env.BENCH_PG_URL,
    options: `-c search_path=${process.env.BENCH_PG_SCHEMA}`,
    max: 10,
  })
  handle = async (code, method, ua, body, done) => {
    const client = await pool.connect()
    try {
      await client.query('begin')
      const r = await client.query('select id, n_pings from checks where code = $1 for update', [
        code,
      ])
      if (r.rowCount === 0) {
        await client.query('rollback')
        return done(false)
      }
      const { id, n_pings } = r.rows[0]
      const t = now()
      await client.query(
        "update checks set n_pings = n_pings + 1, last_ping = $1, status = 'up' where id = $2",
        [t, id],
      )
      await client.query(
        "insert into pings (check_id, n, created, kind, scheme, remote_addr, method, ua, body) values ($1, $2, $3, 'success', 'http', '127.0.0.1', $4, $5, $6)",
        [id, Number(n_pings) + 1, t, method, ua, body.length ? body : null],
      )
      await client.query('commit')
      done(true)
    } catch {
      await client.query('rollback').catch(() => {})
      done(false)
    } finally {
      client.release()
    }
  }
}

const server = createServer((req, res) => {
  const m = UUID.exec(req.url ?? '')
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    if (!m) {
      res.writeHead(404).end('not found')
      return
    }
    handle(
      m[1],
      req.method ?? 'GET',
      req.headers['user-agent'] ?? '',
      Buffer.concat(chunks).subarray(0, 10000),
      (ok) => {
        res
          .writeHead(ok ? 200 : 404, { 'content-type': 'text/plain; charset=utf-8' })
          .end(ok ? 'OK' : 'not found')
      },
    )
  })
})
server.listen(0, '127.0.0.1', () => {
  const addr = server.address()
  process.stdout.write(`LISTENING ${typeof addr === 'object' && addr ? addr.port : 0}\n`)
})
