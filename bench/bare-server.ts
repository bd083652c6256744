/**
 * The yardstick for `npm run bench:ping`: the least any correct ping server must do, on a bare
 * node:http server. Per ping: one indexed lookup of the check, one update of it, one insert of the
 * ping; pings that arrive together share one transaction (group commit) and each is answered only
 * after that COMMIT. SQLite: WAL + synchronous=FULL, prepared statements. PostgreSQL (fsync and
 * synchronous_commit as the server has them): per batch BEGIN, one `SELECT … FOR UPDATE` of the
 * batch's checks, one statement updating them and inserting the pings, COMMIT. No ping rules, no
 * routing, no logging: only the durable work. Prints its port.
 *
 * The update writes what a success ping changes on a check, as any server whose worker finds
 * late checks by indexed deadlines must: last_ping, status, the run columns (last_start,
 * last_start_rid, last_duration_ms, last_progress), has_confirmation_link, n_pings, the going-down
 * deadline `alert_after` (now + period + grace) and the warning deadline `warn_at` (computed in SQL
 * from the row's warn_after and grace). Both deadlines are indexed, so writing them maintains those
 * indexes. The insert writes the ping's columns with the client's address.
 */
import { createServer } from 'node:http'
import SQLite from 'better-sqlite3'
import pg from 'pg'

const UUID = /^\/ping\/([0-9a-f-]{36})\/?$/
const dialect = process.env.BENCH_DB
const MAX_BATCH = 256
/** Batches in flight (PostgreSQL; as Vigil: the next one asks for its locks while one commits). */
const MAX_RUNNING = dialect === 'sqlite' ? 1 : 2

interface Ping {
  code: string
  method: string
  ua: string
  remoteAddr: string | null
  body: Buffer | null
  /** true: stored; false: no such check; null: the batch failed. */
  done: (stored: boolean | null) => void
}

const queue: Ping[] = []
let running = 0
let scheduled = false
let runBatch: (batch: Ping[]) => Promise<boolean[]>

if (dialect === 'sqlite') {
  const db = new SQLite(process.env.BENCH_SQLITE_FILE as string)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('busy_timeout = 5000')
  const find = db.prepare('select id, n_pings, timeout, grace from checks where code = ?')
  const update = db.prepare(
    `update checks set last_ping = ?, last_start = null, last_start_rid = null,
       last_duration_ms = null, status = 'up', alert_after = ?, has_confirmation_link = 0,
       last_progress = null, n_pings = n_pings + 1,
       warn_at = case when warn_after is null then null else ? - min(warn_after, grace) * 1000 end
     where id = ?`,
  )
  const insert = db.prepare(
    `insert into pings (check_id, n, created, kind, scheme, remote_addr, method, ua, body, exitstatus, rid)
     values (?, ?, ?, 'success', 'http', ?, ?, ?, ?, null, null)`,
  )
  type Row = { id: number; n_pings: number; timeout: number; grace: number }
  const apply = db.transaction((batch: Ping[]) =>
    batch.map((p) => {
      const check = find.get(p.code) as Row | undefined
      if (!check) return false
      const t = Date.now()
      const alertAfter = t + (check.timeout + check.grace) * 1000
      update.run(t, alertAfter, alertAfter, check.id)
      insert.run(check.id, check.n_pings + 1, t, p.remoteAddr, p.method, p.ua, p.body)
      return true
    }),
  )
  runBatch = async (batch) => apply(batch)
} else {
  const pool = new pg.Pool({
    connectionString: process.env.BENCH_PG_URL,
    options: `-c search_path=${process.env.BENCH_PG_SCHEMA}`,
    max: 2,
  })
  runBatch = async (batch) => {
    const client = await pool.connect()
    try {
      await client.query('begin')
      const codes = [...new Set(batch.map((p) => p.code))]
      type Row = { id: string; code: string; n_pings: number; timeout: number; grace: number }
      const { rows } = await client.query<Row>(
        'select id, code, n_pings, timeout, grace from checks where code = any($1::text[]) order by id for update',
        [codes],
      )
      const byCode = new Map(rows.map((r) => [r.code, r]))
      const t = Date.now()
      const pings = { check: [] as string[], n: [] as number[], method: [] as string[] }
      const addr: (string | null)[] = []
      const ua: string[] = []
      const body: (Buffer | null)[] = []
      const found = batch.map((p) => {
        const check = byCode.get(p.code)
        if (!check) return false
        check.n_pings += 1
        pings.check.push(check.id)
        pings.n.push(check.n_pings)
        pings.method.push(p.method)
        addr.push(p.remoteAddr)
        ua.push(p.ua)
        body.push(p.body)
        return true
      })
      if (pings.n.length > 0) {
        await client.query(
          `with u as (update checks c set last_ping = $4, last_start = null, last_start_rid = null,
               last_duration_ms = null, status = 'up', alert_after = v.alert_after,
               has_confirmation_link = 0, last_progress = null, n_pings = v.n,
               warn_at = case when c.warn_after is null then null
                 else v.alert_after - least(c.warn_after, c.grace)::bigint * 1000 end
             from unnest($1::bigint[], $2::integer[], $3::bigint[]) as v(id, n, alert_after)
             where c.id = v.id)
           insert into pings (check_id, n, created, kind, scheme, remote_addr, method, ua, body, exitstatus, rid)
           select check_id, n, $4, 'success', 'http', remote_addr, method, ua, body, null, null
           from unnest($5::bigint[], $6::integer[], $7::text[], $8::text[], $9::text[], $10::bytea[])
             as p(check_id, n, remote_addr, method, ua, body)`,
          [
            rows.map((r) => r.id),
            rows.map((r) => r.n_pings),
            rows.map((r) => t + (r.timeout + r.grace) * 1000),
            t,
            pings.check,
            pings.n,
            addr,
            pings.method,
            ua,
            body,
          ],
        )
      }
      await client.query('commit')
      return found
    } catch (e) {
      await client.query('rollback').catch(() => {})
      throw e
    } finally {
      client.release()
    }
  }
}

async function flush(): Promise<void> {
  const batch = queue.splice(0, MAX_BATCH)
  let results: boolean[] | null = null
  try {
    results = await runBatch(batch)
  } catch (e) {
    console.error(e)
  }
  for (const [i, p] of batch.entries()) p.done(results ? results[i] : null)
  running--
  schedule()
}

function schedule(): void {
  if (queue.length === 0 || scheduled || running >= MAX_RUNNING) return
  scheduled = true
  setImmediate(() => {
    scheduled = false
    if (queue.length === 0 || running >= MAX_RUNNING) return
    running++
    void flush()
    schedule()
  })
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
    const body = Buffer.concat(chunks).subarray(0, 100_000)
    queue.push({
      code: m[1],
      method: req.method ?? 'GET',
      remoteAddr: req.socket.remoteAddress ?? null,
      ua: req.headers['user-agent'] ?? '',
      body: body.length ? body : null,
      done: (stored) => {
        const [status, text] = stored
          ? [200, 'OK']
          : stored === false
            ? [404, 'not found']
            : [503, 'error']
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text)
      },
    })
    schedule()
  })
})
server.listen(0, '127.0.0.1', () => {
  const addr = server.address()
  process.stdout.write(`LISTENING ${typeof addr === 'object' && addr ? addr.port : 0}\n`)
})
// Exit normally on SIGTERM, so `--cpu-prof` (BENCH_PROFILE) writes its profile.
process.on('SIGTERM', () => process.exit(0))
