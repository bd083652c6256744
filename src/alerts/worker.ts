/**
 * The worker loop (Healthchecks' sendalerts, plus delivery and mail): every WORKER_POLL_MS it
 * flips overdue checks down, turns new flips into notifications, starts due deliveries, sends due
 * mail and writes a heartbeat; every minute it also queues due reports and nags (sendreports). Deliveries and mail run beside the loop with a small concurrency
 * limit, so a hanging service delays only its own notification. Nothing escapes the loop: errors
 * (a database outage included) are logged and the next tick tries again. Any number of workers
 * may share one database; they coordinate only through conditional updates.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { pruneSecurityEvents } from '../accounts/security-events.js'
import type { Ctx } from '../context.js'
import { sendDueMail } from '../mail/index.js'
import { claimDueNotifications, deliverNotification } from './deliver-notifications.js'
import { handleGoingDown } from './going-down.js'
import { writeHeartbeat } from './heartbeat.js'
import { processFlips } from './process-flips.js'
import { REPORTS_EVERY_MS, sendDueReports } from './send-reports.js'

/** How often the heartbeat row is refreshed. */
export const HEARTBEAT_EVERY_MS = 5_000
/** How often old audit events are deleted (AU-4, AUDIT_RETENTION_DAYS). */
export const AUDIT_PRUNE_EVERY_MS = 3_600_000
/** Deliveries in flight per worker. */
export const DELIVERY_CONCURRENCY = 8

export interface WorkerOptions {
  /** Unique per process; default hostname:pid:random. */
  workerId?: string
  /** Recorded in worker_heartbeats; default 'worker'. */
  role?: string
}

export interface WorkerHandle {
  workerId: string
  /** Runs an iteration now (or right after the current one) and resolves when it has ended. */
  tick(): Promise<void>
  /** Resolves when the deliveries and the mail run in flight right now have ended. */
  drain(): Promise<void>
  /** Stops the loop after the current iteration and waits for in-flight deliveries and mail. */
  stop(): Promise<void>
}

export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
}

export function startWorker(ctx: Ctx, options: WorkerOptions = {}): WorkerHandle {
  const workerId = options.workerId ?? newWorkerId()
  const role = options.role ?? 'worker'
  const started = ctx.clock.now()
  let lastHeartbeat = Number.NEGATIVE_INFINITY
  let lastReports = Number.NEGATIVE_INFINITY
  let lastAuditPrune = Number.NEGATIVE_INFINITY
  let stopping = false
  let timer: NodeJS.Timeout | null = null
  let current: Promise<void> | null = null
  const inFlight = new Set<Promise<unknown>>()
  let mailRun: Promise<unknown> | null = null
  let tickWaiters: (() => void)[] = []

  const step = async (name: string, fn: () => Promise<unknown>) => {
    try {
      await fn()
    } catch (e) {
      ctx.log.error({ err: e, step: name, workerId }, 'worker step failed; will retry')
    }
  }

  const track = (p: Promise<unknown>) => {
    inFlight.add(p)
    p.finally(() => inFlight.delete(p))
  }

  async function iteration(): Promise<void> {
    const now = ctx.clock.now()
    await step('going-down', () => handleGoingDown(ctx, now))
    await step('flips', () => processFlips(ctx, ctx.clock.now()))
    await step('deliveries', async () => {
      const free = DELIVERY_CONCURRENCY - inFlight.size
      const claimed = await claimDueNotifications(ctx, workerId, ctx.clock.now(), free)
      for (const n of claimed) {
        track(
          deliverNotification(ctx, workerId, n).catch((e) =>
            ctx.log.error(
              { err: e, notification: n.code, workerId },
              'recording a delivery failed',
            ),
          ),
        )
      }
    })
    if (!mailRun) {
      mailRun = step('mail', () => sendDueMail(ctx, { workerId })).finally(() => {
        mailRun = null
      })
    }
    if (now - lastReports >= REPORTS_EVERY_MS) {
      // Reports and nags only queue mail (the outbox sends it), so this step stays short.
      lastReports = now
      await step('reports', () => sendDueReports(ctx, ctx.clock.now()))
    }
    if (now - lastAuditPrune >= AUDIT_PRUNE_EVERY_MS) {
      // One DELETE by time; several workers doing it at once is harmless.
      lastAuditPrune = now
      await step('audit-retention', () => pruneSecurityEvents(ctx, ctx.clock.now()))
    }
    if (now - lastHeartbeat >= HEARTBEAT_EVERY_MS) {
      await step('heartbeat', async () => {
        await writeHeartbeat(ctx, workerId, role, started, now)
        lastHeartbeat = now
      })
    }
  }

  function schedule(delay: number) {
    if (stopping) return
    timer = setTimeout(() => {
      timer = null
      // Waiters registered before this iteration started are released when it ends.
      const waiters = tickWaiters
      tickWaiters = []
      current = iteration().finally(() => {
        current = null
        for (const w of waiters) w()
        schedule(tickWaiters.length > 0 ? 0 : ctx.config.workerPollMs)
      })
    }, delay)
  }
  schedule(0)

  return {
    workerId,
    tick() {
      return new Promise<void>((resolve) => {
        if (stopping) return resolve()
        tickWaiters.push(resolve)
        // Run the next iteration now rather than after the poll interval.
        if (timer && !current) {
          clearTimeout(timer)
          schedule(0)
        }
      })
    },
    async drain() {
      await Promise.allSettled([...inFlight, ...(mailRun ? [mailRun] : [])])
    },
    async stop() {
      stopping = true
      if (timer) clearTimeout(timer)
      timer = null
      if (current) await current
      await Promise.allSettled([...inFlight, ...(mailRun ? [mailRun] : [])])
      for (const w of tickWaiters) w()
      tickWaiters = []
    },
  }
}
