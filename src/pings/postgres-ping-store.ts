/**
 * The ping store on PostgreSQL: group commit. Pings that arrive together run in one transaction
 * on one pooled connection and are all answered after its single COMMIT (one fsync for the batch
 * instead of one per ping). Within the batch the work runs one ping after the other against an
 * in-memory copy of the locked check rows: the checks named by the batch's UUID pings are locked
 * with one `SELECT … FOR NO KEY UPDATE` (in id order, so two processes' batches cannot deadlock),
 * each ping reads and updates the copy, and the end of the batch writes every touched check, flip
 * and ping in one statement. A batch is BEGIN, one lock, one write and COMMIT, whatever its size.
 *
 * A failing ping must not fail the others: when a statement of the batch fails with a database
 * error (a bad row, a deadlock), the batch is rolled back and each of its pings is run again in a
 * transaction of its own, so only the failing one errors. A batch whose COMMIT fails, or whose
 * connection broke, is not retried (its outcome may be unknown): all of its pings error, and none
 * is acknowledged. FOR NO KEY UPDATE (Healthchecks uses FOR UPDATE) still serializes writers of a
 * check but does not block inserts that reference the row. Not here: any ping rule.
 */
import { type Kysely, sql } from 'kysely'
import type pg from 'pg'
import type { Check, Database, Db, Project } from '../db/index.js'
import {
  type NewFlipRow,
  type NewPingRow,
  PING_CHECK_COLUMNS,
  type PingCheck,
  type PingStore,
  type PingTx,
} from './ping-store.js'
import { kyselyHistoryRows, pruneWith } from './prune-check-history.js'

/** Most pings in one transaction; more wait for the next one. */
const MAX_BATCH = 256
/**
 * Batches in flight at once, each on its own connection. With two, the next batch has already
 * begun and asked for its locks while the previous one commits, so pings of one busy check wait
 * for one round trip less; batches of different checks commit together.
 */
const MAX_RUNNING = 2

interface Job {
  work: (tx: PingTx) => Promise<unknown>
  code: string | undefined
  resolve(value: unknown): void
  reject(error: unknown): void
}

const SLUG_IDS =
  'SELECT c.id FROM checks c JOIN projects p ON p.id = c.project_id WHERE p.ping_key = $1 AND c.slug = $2 LIMIT 2'

/** A check as the batch holds it: what a ping reads, plus what the batch's write needs. */
type BatchCheck = PingCheck &
  Pick<Check, 'code' | 'n_pings' | 'alert_after' | 'has_confirmation_link'>

/**
 * The batch's locking reads, selecting only BatchCheck's columns (`SELECT *` made pg parse all ~50
 * fields per row and statement). Built on first use: ping-store.ts imports this module.
 */
let lockSql: { byId: string; byCode: string; byCodes: string } | null = null
function lockStatements(): NonNullable<typeof lockSql> {
  if (lockSql) return lockSql
  const columns = [
    ...PING_CHECK_COLUMNS,
    'code',
    'n_pings',
    'alert_after',
    'has_confirmation_link',
  ].join(', ')
  lockSql = {
    byId: `SELECT ${columns} FROM checks WHERE id = $1 FOR NO KEY UPDATE`,
    byCode: `SELECT ${columns} FROM checks WHERE code = $1 FOR NO KEY UPDATE`,
    byCodes: `SELECT ${columns} FROM checks WHERE code = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE`,
  }
  return lockSql
}

// The batch's writes in one statement: data-modifying CTEs all run, each exactly once.
const UPDATE_CHECKS = `UPDATE checks AS c SET last_ping = v.last_ping, last_start = v.last_start,
    last_start_rid = v.last_start_rid, last_duration_ms = v.last_duration_ms, status = v.status,
    alert_after = v.alert_after, has_confirmation_link = v.has_confirmation_link, n_pings = v.n_pings,
    last_progress = v.last_progress,
    warn_at = CASE WHEN c.warn_after IS NULL THEN NULL
      ELSE v.alert_after - LEAST(c.warn_after, c.grace)::bigint * 1000 END
  FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::text[],
    $7::bigint[], $8::integer[], $9::integer[], $10::bigint[])
    AS v(id, last_ping, last_start, last_start_rid, last_duration_ms, status, alert_after,
      has_confirmation_link, n_pings, last_progress)
  WHERE c.id = v.id`
const INSERT_PINGS = `INSERT INTO pings (check_id, n, created, kind, scheme, remote_addr, method, ua, body, exitstatus, rid)
  SELECT * FROM unnest($11::bigint[], $12::integer[], $13::bigint[], $14::text[], $15::text[],
    $16::text[], $17::text[], $18::text[], $19::bytea[], $20::integer[], $21::text[])`
const INSERT_FLIPS = `INSERT INTO flips (check_id, created, old_status, new_status, reason)
  SELECT * FROM unnest($22::bigint[], $23::bigint[], $24::text[], $25::text[], $26::text[])`
/** INSERT_PINGS with the object-storage columns as parameters $first…$first+2. */
const insertPingsWithObjects = (first: number): string =>
  `INSERT INTO pings (check_id, n, created, kind, scheme, remote_addr, method, ua, body, exitstatus, rid,
    object_key, object_size, body_waiting)
  SELECT * FROM unnest($11::bigint[], $12::integer[], $13::bigint[], $14::text[], $15::text[],
    $16::text[], $17::text[], $18::text[], $19::bytea[], $20::integer[], $21::text[],
    $${first}::text[], $${first + 1}::integer[], $${first + 2}::integer[])`
const WRITE = `WITH u AS (${UPDATE_CHECKS}) ${INSERT_PINGS}`
const WRITE_WITH_FLIPS = `WITH u AS (${UPDATE_CHECKS}), f AS (${INSERT_FLIPS}) ${INSERT_PINGS}`
// Only batches with a body placed by objects/ (S3 configured) bind the three extra arrays.
const WRITE_OBJECTS = `WITH u AS (${UPDATE_CHECKS}) ${insertPingsWithObjects(22)}`
const WRITE_WITH_FLIPS_OBJECTS = `WITH u AS (${UPDATE_CHECKS}), f AS (${INSERT_FLIPS}) ${insertPingsWithObjects(27)}`

/** One ping per transaction, through Kysely: the path a ping takes when its batch failed. */
function kyselyTx(trx: Kysely<Database>): PingTx {
  return {
    lockCheckByCode(code) {
      return trx
        .selectFrom('checks')
        .selectAll()
        .where('code', '=', code)
        .forNoKeyUpdate()
        .executeTakeFirst()
    },
    async lockCheckBySlug(pingKey, slug) {
      const ids = await trx
        .selectFrom('checks')
        .innerJoin('projects', 'projects.id', 'checks.project_id')
        .select('checks.id')
        .where('projects.ping_key', '=', pingKey)
        .where('checks.slug', '=', slug)
        .limit(2)
        .execute()
      if (ids.length === 0) return undefined
      if (ids.length > 1) return 'ambiguous'
      // Locked by id in a second statement, so an ambiguous slug locks nothing; a check deleted
      // in between reads as missing.
      return trx
        .selectFrom('checks')
        .selectAll()
        .where('id', '=', ids[0].id)
        .forNoKeyUpdate()
        .executeTakeFirst()
    },
    lockProjectByPingKey(pingKey) {
      return trx
        .selectFrom('projects')
        .selectAll()
        .where('ping_key', '=', pingKey)
        .forNoKeyUpdate()
        .executeTakeFirst()
    },
    async countChecksOwnedBy(ownerId) {
      const row = await trx
        .selectFrom('checks')
        .innerJoin('projects', 'projects.id', 'checks.project_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('projects.owner_id', '=', ownerId)
        .executeTakeFirstOrThrow()
      return Number(row.n)
    },
    insertCheck(values) {
      return trx.insertInto('checks').values(values).returningAll().executeTakeFirstOrThrow()
    },
    async assignAllChannels(checkId, projectId) {
      const channels = await trx
        .selectFrom('channels')
        .select('id')
        .where('project_id', '=', projectId)
        .execute()
      if (channels.length === 0) return
      await trx
        .insertInto('check_channels')
        .values(channels.map((c) => ({ check_id: checkId, channel_id: c.id })))
        .execute()
    },
    async insertFlip(flip) {
      await trx.insertInto('flips').values(flip).execute()
    },
    async writePing(checkId, u, p) {
      // One round trip instead of two: the check update and the ping insert in one statement.
      // Parameters in the SELECT list carry casts, since PostgreSQL cannot infer their types there.
      const { rows } = await sql<{ n: number }>`
        WITH c AS (
          UPDATE checks SET last_ping = ${u.last_ping}, last_start = ${u.last_start},
            last_start_rid = ${u.last_start_rid}, last_duration_ms = ${u.last_duration_ms},
            status = ${u.status}, alert_after = ${u.alert_after},
            has_confirmation_link = ${u.has_confirmation_link}, last_progress = ${u.last_progress},
            n_pings = n_pings + 1,
            warn_at = CASE WHEN warn_after IS NULL THEN NULL
              ELSE ${u.alert_after}::bigint - LEAST(warn_after, grace)::bigint * 1000 END
          WHERE id = ${checkId} RETURNING id, n_pings
        )
        INSERT INTO pings (check_id, n, created, kind, scheme, remote_addr, method, ua, body, exitstatus, rid,
          object_key, object_size, body_waiting)
        SELECT id, n_pings, ${p.created}::bigint, ${p.kind}::text, ${p.scheme}::text,
          ${p.remote_addr}::text, ${p.method}::text, ${p.ua}::text, ${p.body}::bytea,
          ${p.exitstatus}::integer, ${p.rid}::text, ${p.object_key ?? null}::text,
          ${p.object_size ?? null}::integer, ${p.body_waiting ?? null}::integer
        FROM c RETURNING n`.execute(trx)
      if (rows.length !== 1) throw new Error(`ping write: check ${checkId} vanished under its lock`)
      return Number(rows[0].n)
    },
  }
}

/**
 * The batch's transaction: reads that lock go to the database once per check, after which the
 * check lives in `checks` (the database row is stale until `write`); ping, flip and check writes
 * are collected and written by `write`.
 */
class BatchTx implements PingTx {
  private readonly checks = new Map<number, BatchCheck>()
  private readonly idByCode = new Map<string, number | null>()
  private readonly dirty = new Set<number>()
  private readonly pings: NewPingRow[] = []
  private readonly flips: NewFlipRow[] = []
  /** True once a ping of the batch carries object-storage columns. */
  private withObjects = false

  constructor(private readonly client: pg.PoolClient) {}

  private remember(check: BatchCheck): BatchCheck {
    const known = this.checks.get(check.id)
    if (known) return known
    this.checks.set(check.id, check)
    this.idByCode.set(check.code, check.id)
    return check
  }

  private copyOf(id: number | null | undefined): BatchCheck | undefined {
    const check = id == null ? undefined : this.checks.get(id)
    return check ? { ...check } : undefined
  }

  /** Locks the checks with these UUIDs (those that exist) in one statement. */
  async lockCodes(codes: string[]): Promise<void> {
    if (codes.length === 0) return
    const { rows } = await this.client.query<BatchCheck>(lockStatements().byCodes, [codes])
    for (const code of codes) this.idByCode.set(code, null)
    for (const row of rows) this.remember(row)
  }

  async lockCheckByCode(code: string): Promise<BatchCheck | undefined> {
    const id = this.idByCode.get(code)
    if (id !== undefined) return this.copyOf(id)
    const { rows } = await this.client.query<BatchCheck>(lockStatements().byCode, [code])
    if (rows.length === 0) {
      this.idByCode.set(code, null)
      return undefined
    }
    return { ...this.remember(rows[0]) }
  }

  async lockCheckBySlug(
    pingKey: string,
    slug: string,
  ): Promise<BatchCheck | 'ambiguous' | undefined> {
    const ids = await this.client.query<{ id: number }>(SLUG_IDS, [pingKey, slug])
    if (ids.rows.length === 0) return undefined
    if (ids.rows.length > 1) return 'ambiguous'
    const id = ids.rows[0].id
    if (this.checks.has(id)) return this.copyOf(id)
    const { rows } = await this.client.query<BatchCheck>(lockStatements().byId, [id])
    return rows.length === 0 ? undefined : { ...this.remember(rows[0]) }
  }

  async lockProjectByPingKey(pingKey: string): Promise<Project | undefined> {
    const { rows } = await this.client.query<Project>(
      'SELECT * FROM projects WHERE ping_key = $1 FOR NO KEY UPDATE',
      [pingKey],
    )
    return rows[0]
  }

  async countChecksOwnedBy(ownerId: number): Promise<number> {
    const { rows } = await this.client.query<{ n: number }>(
      'SELECT count(*) AS n FROM checks c JOIN projects p ON p.id = c.project_id WHERE p.owner_id = $1',
      [ownerId],
    )
    return Number(rows[0].n)
  }

  async insertCheck(v: Parameters<PingTx['insertCheck']>[0]): Promise<Check> {
    const { rows } = await this.client.query<Check>(
      `INSERT INTO checks (code, badge_key, project_id, name, slug, created)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [v.code, v.badge_key, v.project_id, v.name, v.slug, v.created],
    )
    // A new row: nothing of the batch knew it, so remember keeps this one.
    this.remember(rows[0])
    return { ...rows[0] }
  }

  async assignAllChannels(checkId: number, projectId: number): Promise<void> {
    await this.client.query(
      'INSERT INTO check_channels (check_id, channel_id) SELECT $1::bigint, id FROM channels WHERE project_id = $2',
      [checkId, projectId],
    )
  }

  async insertFlip(flip: NewFlipRow): Promise<void> {
    this.flips.push(flip)
  }

  async writePing(
    checkId: number,
    update: Parameters<PingTx['writePing']>[1],
    ping: Parameters<PingTx['writePing']>[2],
  ): Promise<number> {
    const check = this.checks.get(checkId)
    if (!check) throw new Error(`ping write: check ${checkId} was not locked in this batch`)
    Object.assign(check, update)
    check.n_pings += 1
    this.dirty.add(checkId)
    this.pings.push({ ...ping, check_id: checkId, n: check.n_pings })
    if (ping.object_key != null || ping.body_waiting != null) this.withObjects = true
    return check.n_pings
  }

  /** Writes every touched check, flip and ping of the batch in one statement. */
  async write(): Promise<void> {
    if (this.pings.length === 0 && this.dirty.size === 0) {
      if (this.flips.length > 0) throw new Error('ping batch: a flip without its ping')
      return
    }
    const cs = [...this.dirty].map((id) => this.checks.get(id) as BatchCheck)
    const ps = this.pings
    const params: unknown[] = [
      cs.map((c) => c.id),
      cs.map((c) => c.last_ping),
      cs.map((c) => c.last_start),
      cs.map((c) => c.last_start_rid),
      cs.map((c) => c.last_duration_ms),
      cs.map((c) => c.status),
      cs.map((c) => c.alert_after),
      cs.map((c) => c.has_confirmation_link),
      cs.map((c) => c.n_pings),
      cs.map((c) => c.last_progress),
      ps.map((p) => p.check_id),
      ps.map((p) => p.n),
      ps.map((p) => p.created),
      ps.map((p) => p.kind),
      ps.map((p) => p.scheme),
      ps.map((p) => p.remote_addr),
      ps.map((p) => p.method),
      ps.map((p) => p.ua),
      ps.map((p) => p.body),
      ps.map((p) => p.exitstatus),
      ps.map((p) => p.rid),
    ]
    const fs = this.flips
    if (fs.length > 0) {
      params.push(
        fs.map((f) => f.check_id),
        fs.map((f) => f.created),
        fs.map((f) => f.old_status),
        fs.map((f) => f.new_status),
        fs.map((f) => f.reason),
      )
    }
    if (this.withObjects) {
      params.push(
        ps.map((p) => p.object_key ?? null),
        ps.map((p) => p.object_size ?? null),
        ps.map((p) => p.body_waiting ?? null),
      )
      await this.client.query(fs.length > 0 ? WRITE_WITH_FLIPS_OBJECTS : WRITE_OBJECTS, params)
      return
    }
    await this.client.query(fs.length > 0 ? WRITE_WITH_FLIPS : WRITE, params)
  }
}

/** A database error that concerns the statement (not the connection or the server's state). */
function isStatementError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|53|57|58|XX)/.test(code)
}

export function createPostgresPingStore(db: Db): PingStore {
  if (!db.pool) throw new Error('createPostgresPingStore needs a PostgreSQL database')
  const pool = db.pool
  const queue: Job[] = []
  let commits = 0
  let pings = 0

  /** One ping in a transaction of its own. */
  async function runAlone(job: Job): Promise<void> {
    try {
      const value = await db.kysely.transaction().execute((trx) => job.work(kyselyTx(trx)))
      commits++
      pings++
      job.resolve(value)
    } catch (e) {
      job.reject(e)
    }
  }

  /** Runs a batch in one transaction; settles its jobs only after COMMIT. */
  async function runBatch(batch: Job[]): Promise<void> {
    const client = await pool.connect()
    let broken: unknown
    let committing = false
    try {
      await client.query('BEGIN')
      const tx = new BatchTx(client)
      const codes = new Set<string>()
      for (const job of batch) if (job.code !== undefined) codes.add(job.code)
      await tx.lockCodes([...codes])
      // One after the other: a ping sees the check as the pings before it in the batch left it.
      const values: unknown[] = []
      for (const job of batch) values.push(await job.work(tx))
      await tx.write()
      committing = true
      await client.query('COMMIT')
      commits++
      pings += batch.length
      for (const [i, job] of batch.entries()) job.resolve(values[i])
    } catch (e) {
      if (!committing) {
        try {
          await client.query('ROLLBACK')
        } catch (rollbackError) {
          broken = rollbackError
        }
      } else {
        broken = e
      }
      if (broken !== undefined || !isStatementError(e) || batch.length === 1) {
        for (const job of batch) job.reject(e)
      } else {
        // Which ping's row failed is unknown: each runs again alone, so only that one fails.
        client.release()
        for (const job of batch) await runAlone(job)
        return
      }
    }
    client.release(broken === undefined ? undefined : true)
  }

  let running = 0
  let scheduled = false

  async function flush(): Promise<void> {
    const batch = queue.splice(0, MAX_BATCH)
    try {
      await runBatch(batch)
    } catch (e) {
      // No connection: nothing of this batch was written. Settled jobs ignore this.
      for (const job of batch) job.reject(e)
    }
    running--
    schedule()
  }

  /** Starts a batch when pings wait and fewer than MAX_RUNNING run; setImmediate lets the requests
   * already read from sockets join it. */
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

  return {
    run<T>(work: (tx: PingTx) => Promise<T>, hint?: { code?: string }): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, code: hint?.code, resolve: resolve as (v: unknown) => void, reject })
        schedule()
      })
    },
    prune(input) {
      return db.kysely.transaction().execute((trx) => pruneWith(kyselyHistoryRows(trx), input))
    },
    stats() {
      return { commits, pings }
    },
  }
}
