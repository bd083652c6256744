/**
 * The data side of the ping path: the few row operations one ping needs (`PingTx`) and a store
 * that runs a ping's work in a transaction and settles only after the commit. Both batch
 * concurrent pings into group commits (sqlite-ping-store.ts, postgres-ping-store.ts).
 * No rules live here: the work function (record-ping.ts) decides, the store only reads and writes.
 */
import type { Check, Db, PingKind, Project, StoredStatus } from '../db/index.js'
import type { ActionRules, EmailActionRules } from './ping-action.js'
import type { CheckPingUpdate, PingableCheck } from './ping-effect.js'
import { createPostgresPingStore } from './postgres-ping-store.js'
import type { PruneInput, PruneResult } from './prune-check-history.js'
import { createSqlitePingStore } from './sqlite-ping-store.js'

export interface NewPingRow {
  check_id: number
  n: number
  created: number
  kind: PingKind
  scheme: string
  remote_addr: string | null
  method: string
  ua: string
  body: Buffer | null
  exitstatus: number | null
  rid: string | null
  /** Set only for a body in object storage (objects/): then `body` is null. */
  object_key?: string | null
  object_size?: number | null
  /** 1 when `body` waits to be moved to object storage. */
  body_waiting?: number | null
}

/** An auto-provisioned check: everything else takes the column defaults (simple, 1 day, 1 hour). */
export interface NewSlugCheckRow {
  code: string
  badge_key: string
  project_id: number
  name: string
  slug: string
  created: number
}

export interface NewFlipRow {
  check_id: number
  created: number
  old_status: StoredStatus
  new_status: StoredStatus
  reason: string
}

/** The check columns the ping path reads (ping-action.ts, ping-effect.ts) and its id. */
export type PingCheck = Pick<Check, 'id'> & PingableCheck & ActionRules & EmailActionRules

/** PingCheck's columns, for stores that select only what a ping reads. */
export const PING_CHECK_COLUMNS = [
  'id',
  'kind',
  'timeout',
  'grace',
  'schedule',
  'tz',
  'status',
  'manual_resume',
  'last_ping',
  'last_start',
  'last_start_rid',
  'last_duration_ms',
  'max_runtime',
  'min_runtime',
  'last_progress',
  'methods',
  'filter_http_body',
  'filter_subject',
  'filter_body',
  'filter_default_fail',
  'start_kw',
  'success_kw',
  'failure_kw',
] as const satisfies readonly (keyof PingCheck)[]

/**
 * Row operations inside the store's transaction. Work given to `PingStore.run` must use only
 * these (never ctx.db directly): on SQLite the batch holds the one connection while it runs.
 */
export interface PingTx {
  /** The check with this UUID, locked for the rest of the transaction. */
  lockCheckByCode(code: string): Promise<PingCheck | undefined>
  /** The check with this slug in the project with this ping key, locked; 'ambiguous' when several match. */
  lockCheckBySlug(pingKey: string, slug: string): Promise<PingCheck | 'ambiguous' | undefined>
  /** The project with this ping key, locked so two auto-provisioning pings cannot both create. */
  lockProjectByPingKey(pingKey: string): Promise<Project | undefined>
  /** Checks in all projects owned by this user (Healthchecks' num_checks_used). */
  countChecksOwnedBy(ownerId: number): Promise<number>
  insertCheck(values: NewSlugCheckRow): Promise<Check>
  /** Assigns every channel of the project to the check. */
  assignAllChannels(checkId: number, projectId: number): Promise<void>
  insertFlip(flip: NewFlipRow): Promise<void>
  /**
   * Writes a ping's effect on its check, increments n_pings and inserts the ping numbered with
   * the new n_pings (one statement on PostgreSQL: it is the hot path). Returns that number.
   */
  writePing(
    checkId: number,
    update: CheckPingUpdate,
    ping: Omit<NewPingRow, 'check_id' | 'n'>,
  ): Promise<number>
}

export interface PingStore {
  /**
   * Runs `work` in a transaction. The promise settles after that transaction committed (then it
   * resolves with the work's value) or was rolled back (then it rejects): a ping is acknowledged
   * only once it is durable. A value the work returns is committed with whatever it wrote.
   * `hint.code`: the UUID of the check the work will lock, so a store can lock the checks of a
   * whole batch in one statement (a hint only: the work still calls lockCheckByCode).
   */
  run<T>(work: (tx: PingTx) => Promise<T>, hint?: { code?: string }): Promise<T>
  /**
   * Trims the check's history (prune-check-history.ts) in a transaction of the store's choosing:
   * on SQLite inside the next batch, so pruning adds no commit (no fsync) of its own.
   */
  prune(input: PruneInput): Promise<PruneResult>
  /** Transactions committed and pings run so far by this store (for metrics and tests). */
  stats(): { commits: number; pings: number }
}

const stores = new WeakMap<Db, PingStore>()

/** The store of this database handle (one per handle: SQLite's batch queue belongs to it). */
export function pingStoreFor(db: Db): PingStore {
  let store = stores.get(db)
  if (!store) {
    store = db.dialect === 'sqlite' ? createSqlitePingStore(db) : createPostgresPingStore(db)
    stores.set(db, store)
  }
  return store
}
