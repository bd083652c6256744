/**
 * Group commit for small write units that finish at nearly the same time (delivery outcomes):
 * units queued while a commit is running share the next transaction, so a burst costs one
 * fsync per batch instead of one per unit. Each caller gets its own unit's result after the
 * batch commits. If the batch fails, each unit is retried alone, so one bad unit fails only
 * its own caller.
 *
 * A batch starts at the end of the event-loop turn (setImmediate), not at the first unit: on
 * SQLite a whole transaction runs synchronously within microtasks, so a flush started at once
 * would commit every unit alone (deliveries end in separate I/O callbacks). Waiting for the turn
 * lets every delivery whose answer arrived in the same poll phase join, at no added latency
 * beyond the turn; while a commit's fsync blocks, the next turn gathers what arrived meanwhile.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Database } from './tables.js'

export type WriteUnit<T> = (trx: Transaction<Database>) => Promise<T>

interface Queued {
  unit: WriteUnit<unknown>
  resolve: (v: unknown) => void
  reject: (e: unknown) => void
}

export interface GroupCommit {
  run<T>(unit: WriteUnit<T>): Promise<T>
}

export function groupCommit(kysely: Kysely<Database>, maxBatch = 200): GroupCommit {
  let queue: Queued[] = []
  let running = false

  async function flush(): Promise<void> {
    running = true
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch)
      queue = queue.slice(batch.length)
      try {
        const results = await kysely.transaction().execute(async (trx) => {
          const out: unknown[] = []
          for (const q of batch) out.push(await q.unit(trx))
          return out
        })
        for (const [i, q] of batch.entries()) q.resolve(results[i])
      } catch {
        for (const q of batch) {
          try {
            q.resolve(await kysely.transaction().execute(q.unit))
          } catch (e) {
            q.reject(e)
          }
        }
      }
    }
    running = false
  }

  return {
    run<T>(unit: WriteUnit<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ unit, resolve: resolve as (v: unknown) => void, reject })
        if (!running) {
          running = true
          setImmediate(() => void flush())
        }
      })
    },
  }
}
