/**
 * The ping store on SQLite: group commit. With synchronous=FULL every commit is an fsync, so pings
 * that arrive together are applied in one transaction (a failing ping is dropped and the batch run
 * again without it, so it does not fail the others) and all of them are answered after that single
 * COMMIT. Raw prepared better-sqlite3 statements keep the hot path free of query building. Not
 * here: any ping rule.
 */
import type SQLite from 'better-sqlite3'
import type { Check, Db, Project } from '../db/index.js'
import { PING_CHECK_COLUMNS, type PingCheck, type PingStore, type PingTx } from './ping-store.js'
import { type HistoryRows, pruneWith } from './prune-check-history.js'

/** Most pings in one transaction; more wait for the next one. */
const MAX_BATCH = 256

interface Job {
  work: (tx: PingTx) => Promise<unknown>
  resolve(value: unknown): void
  reject(error: unknown): void
}

/** A check as the lookups read it: what a ping reads, plus n_pings to number the ping. */
type LookedUpCheck = PingCheck & { n_pings: number }

/**
 * A check from a raw row (`Statement.raw()`) of LOOKUP_COLUMNS, as one object literal: a row as
 * better-sqlite3 builds it (one property set at a time from C++) cost about twice the lookup's own
 * CPU and left more garbage. The order here defines LOOKUP_COLUMNS.
 */
function lookedUpCheck(r: unknown[]): LookedUpCheck {
  return {
    id: r[0],
    kind: r[1],
    timeout: r[2],
    grace: r[3],
    schedule: r[4],
    tz: r[5],
    status: r[6],
    manual_resume: r[7],
    last_ping: r[8],
    last_start: r[9],
    last_start_rid: r[10],
    last_duration_ms: r[11],
    max_runtime: r[12],
    min_runtime: r[13],
    last_progress: r[14],
    methods: r[15],
    filter_http_body: r[16],
    filter_subject: r[17],
    filter_body: r[18],
    filter_default_fail: r[19],
    start_kw: r[20],
    success_kw: r[21],
    failure_kw: r[22],
    n_pings: r[23],
  } as LookedUpCheck
}

/** The columns the lookups select, in lookedUpCheck's order. */
function lookupColumns(): string[] {
  const columns = Object.keys(lookedUpCheck([]))
  // The literal must name exactly the columns a ping reads (ping-store.ts), plus n_pings. Checked
  // here, not at load time: ping-store.ts imports this module.
  const expected: string[] = [...PING_CHECK_COLUMNS, 'n_pings']
  if (columns.length !== expected.length || !expected.every((c) => columns.includes(c)))
    throw new Error('sqlite-ping-store: lookedUpCheck does not match PING_CHECK_COLUMNS')
  return columns
}

/** PingTx plus what the batch tells it: a transaction began (forget what earlier ones read). */
type SqlitePingTx = PingTx & { began(): void }

function prepareTx(handle: SQLite.Database): SqlitePingTx {
  // Only the columns a ping reads, as raw arrays made into objects by lookedUpCheck.
  const columns = lookupColumns()
    .map((c) => `c.${c}`)
    .join(', ')
  const checkByCode = handle.prepare(`SELECT ${columns} FROM checks c WHERE c.code = ?`).raw()
  const checksBySlug = handle
    .prepare(
      `SELECT ${columns} FROM checks c JOIN projects p ON p.id = c.project_id WHERE p.ping_key = ? AND c.slug = ? LIMIT 2`,
    )
    .raw()
  const projectByPingKey = handle.prepare('SELECT * FROM projects WHERE ping_key = ?')
  const countOwned = handle.prepare(
    'SELECT count(*) AS n FROM checks c JOIN projects p ON p.id = c.project_id WHERE p.owner_id = ?',
  )
  const insertCheck = handle.prepare(
    `INSERT INTO checks (code, badge_key, project_id, name, slug, created)
     VALUES (@code, @badge_key, @project_id, @name, @slug, @created) RETURNING *`,
  )
  const assignAll = handle.prepare(
    'INSERT INTO check_channels (check_id, channel_id) SELECT ?, id FROM channels WHERE project_id = ?',
  )
  // Positional parameters on the hot path: binding named ones costs a lookup per parameter.
  const UPDATE_CHECK = `UPDATE checks SET last_ping = ?, last_start = ?, last_start_rid = ?, last_duration_ms = ?,
       status = ?, alert_after = ?, has_confirmation_link = ?, last_progress = ?, n_pings = n_pings + 1,
       warn_at = CASE WHEN warn_after IS NULL THEN NULL ELSE ? - MIN(warn_after, grace) * 1000 END
     WHERE id = ?`
  const updateCheck = handle.prepare(UPDATE_CHECK)
  // For a write whose check this transaction has not just looked up (not the case of any ping
  // today): the new n_pings comes back from the row.
  const updateCheckReturning = handle.prepare(`${UPDATE_CHECK} RETURNING n_pings`)
  updateCheckReturning.pluck()
  const insertFlip = handle.prepare(
    `INSERT INTO flips (check_id, created, processed, old_status, new_status, reason)
     VALUES (@check_id, @created, NULL, @old_status, @new_status, @reason)`,
  )
  const insertPing = handle.prepare(
    `INSERT INTO pings (check_id, n, created, kind, scheme, remote_addr, method, ua, body, exitstatus, rid)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  // Only for bodies placed by objects/ (S3 configured, body over the threshold), so the common
  // statement binds nothing more.
  const insertPingWithObject = handle.prepare(
    `INSERT INTO pings (check_id, n, created, kind, scheme, remote_addr, method, ua, body, exitstatus, rid,
       object_key, object_size, body_waiting)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  // The batch holds the write lock (BEGIN IMMEDIATE) and the only connection, so plain reads
  // are already "locked", and nothing but this batch changes a row between its reads and writes.
  // The check a ping looked up last, with the n_pings read then: its write numbers the ping
  // n_pings + 1 without reading the row back (RETURNING cost about half the update's CPU).
  let lastRead: { id: number; n: number } | null = null
  const remember = (check: LookedUpCheck | undefined): PingCheck | undefined => {
    lastRead = check ? { id: check.id, n: check.n_pings } : null
    return check
  }
  return {
    began() {
      lastRead = null
    },
    async lockCheckByCode(code) {
      const row = checkByCode.get(code) as unknown[] | undefined
      return remember(row && lookedUpCheck(row))
    },
    async lockCheckBySlug(pingKey, slug) {
      const rows = checksBySlug.all(pingKey, slug) as unknown[][]
      if (rows.length > 1) {
        lastRead = null
        return 'ambiguous'
      }
      return remember(rows[0] && lookedUpCheck(rows[0]))
    },
    async lockProjectByPingKey(pingKey) {
      return projectByPingKey.get(pingKey) as Project | undefined
    },
    async countChecksOwnedBy(ownerId) {
      return (countOwned.get(ownerId) as { n: number }).n
    },
    async insertCheck(values) {
      const check = insertCheck.get(values) as Check
      lastRead = { id: check.id, n: check.n_pings }
      return check
    },
    async assignAllChannels(checkId, projectId) {
      assignAll.run(checkId, projectId)
    },
    async insertFlip(flip) {
      insertFlip.run(flip)
    },
    async writePing(checkId, u, p) {
      const params = [
        u.last_ping,
        u.last_start,
        u.last_start_rid,
        u.last_duration_ms,
        u.status,
        u.alert_after,
        u.has_confirmation_link,
        u.last_progress,
        // warn_at: checks.warnAtFor in SQL (the row's warn_after and grace; null stays null).
        u.alert_after,
        checkId,
      ]
      let n: number
      if (lastRead !== null && lastRead.id === checkId) {
        if (updateCheck.run(params).changes !== 1)
          throw new Error(`ping write: check ${checkId} vanished under the write lock`)
        n = lastRead.n + 1
      } else {
        n = updateCheckReturning.get(params) as number
      }
      lastRead = null
      if (p.object_key == null && p.body_waiting == null) {
        insertPing.run(
          checkId,
          n,
          p.created,
          p.kind,
          p.scheme,
          p.remote_addr,
          p.method,
          p.ua,
          p.body,
          p.exitstatus,
          p.rid,
        )
      } else {
        insertPingWithObject.run(
          checkId,
          n,
          p.created,
          p.kind,
          p.scheme,
          p.remote_addr,
          p.method,
          p.ua,
          p.body,
          p.exitstatus,
          p.rid,
          p.object_key,
          p.object_size,
          p.body_waiting,
        )
      }
      return n
    },
  }
}

function prepareHistoryRows(handle: SQLite.Database): HistoryRows {
  const limits = handle.prepare(
    'SELECT c.n_pings, p.ping_log_limit FROM checks c JOIN projects p ON p.id = c.project_id WHERE c.id = ?',
  )
  const deletePings = handle.prepare('DELETE FROM pings WHERE check_id = ? AND n <= ?')
  const oldest = handle.prepare('SELECT created FROM pings WHERE check_id = ? ORDER BY n LIMIT 1')
  oldest.pluck()
  const deleteNotifications = handle.prepare(
    'DELETE FROM notifications WHERE check_id = ? AND created < ?',
  )
  const deleteFlips = handle.prepare('DELETE FROM flips WHERE check_id = ? AND created < ?')
  return {
    async limits(checkId) {
      return limits.get(checkId) as { n_pings: number; ping_log_limit: number } | undefined
    },
    async deletePingsUpTo(checkId, n) {
      return deletePings.run(checkId, n).changes
    },
    async oldestPing(checkId) {
      return oldest.get(checkId) as number | undefined
    },
    async deleteNotificationsBefore(checkId, created) {
      return deleteNotifications.run(checkId, created).changes
    },
    async deleteFlipsBefore(checkId, created) {
      return deleteFlips.run(checkId, created).changes
    },
  }
}

export function createSqlitePingStore(db: Db): PingStore {
  if (!db.sqlite) throw new Error('createSqlitePingStore needs a SQLite database')
  const handle: SQLite.Database = db.sqlite
  // Prepared on first use: the tables exist only once migrations have run.
  let tx: SqlitePingTx | null = null
  let history: HistoryRows | null = null
  // Transaction control as prepared statements: exec() would parse them again for every ping.
  const begin = handle.prepare('BEGIN IMMEDIATE')
  const commit = handle.prepare('COMMIT')
  const rollback = handle.prepare('ROLLBACK')
  const queue: Job[] = []
  let flushing = false
  let commits = 0
  let pings = 0

  /** Applies one batch in one transaction; resolves its jobs only after COMMIT. */
  async function runBatch(batch: Job[]): Promise<void> {
    tx ??= prepareTx(handle)
    if (handle.inTransaction)
      throw new Error('ping batch: the SQLite connection is already in a transaction')
    // No savepoint per ping (two statements each): when a ping fails, the batch is rolled back
    // and run again without it, so only that ping errors. Failures are rare; pings are not.
    let jobs = batch
    for (;;) {
      begin.run()
      tx.began()
      const values: unknown[] = []
      let failed = -1
      let failure: unknown
      try {
        for (const [i, job] of jobs.entries()) {
          try {
            values.push(await job.work(tx))
          } catch (e) {
            // Disk full and I/O errors make SQLite roll back the whole transaction: then nothing
            // of this batch is durable and every job fails (the outer catch).
            if (!handle.inTransaction) throw e
            failed = i
            failure = e
            break
          }
        }
        if (failed < 0) commit.run()
        else rollback.run()
      } catch (e) {
        if (handle.inTransaction) handle.exec('ROLLBACK')
        throw e
      }
      if (failed >= 0) {
        jobs[failed].reject(failure)
        jobs = jobs.filter((_, i) => i !== failed)
        if (jobs.length > 0) continue
        return
      }
      commits++
      pings += jobs.length
      for (const [i, job] of jobs.entries()) job.resolve(values[i])
      return
    }
  }

  async function flush(): Promise<void> {
    const batch = queue.splice(0, MAX_BATCH)
    try {
      // Through Kysely's connection so the batch is serialized with every other query on this
      // handle: it never runs inside someone's open Kysely transaction, and none starts inside it.
      await db.kysely.connection().execute(() => runBatch(batch))
    } catch (e) {
      // Settled jobs ignore this; the rest were not committed and must not be acknowledged.
      for (const job of batch) job.reject(e)
    }
    // Pings that arrived during this batch (and its fsync) form the next one; setImmediate lets
    // the requests already read from sockets join it.
    if (queue.length > 0) setImmediate(flush)
    else flushing = false
  }

  function run<T>(work: (tx: PingTx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (v: unknown) => void, reject })
      if (!flushing) {
        flushing = true
        setImmediate(flush)
      }
    })
  }

  return {
    run,
    prune(input) {
      // A job of the next batch: a failing prune fails only itself.
      return run(() => {
        history ??= prepareHistoryRows(handle)
        return pruneWith(history, input)
      })
    },
    stats() {
      return { commits, pings }
    },
  }
}
