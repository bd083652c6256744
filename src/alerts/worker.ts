/**
 * The worker loop (Healthchecks' sendalerts, plus delivery and mail): every WORKER_POLL_MS it
 * first looks for an outage of its own (outage-recovery.ts), then flips overdue checks down,
 * turns new flips into notifications, kicks the sender, sends due mail and writes a heartbeat;
 * every minute it also queues due reports and nags (sendreports). The sender
 * (delivery-sender.ts) and the mail run beside the loop and keep going while work is due, so a
 * burst is not paced by the poll interval. With S3_BUCKET set it also moves ping bodies that waited
 * in the database to object storage, beside the loop. Nothing escapes the loop: errors
 * (a database outage included) are logged and the next tick tries again. Any number of workers
 * may share one database; they coordinate only through conditional updates.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { pruneSecurityEvents } from '../accounts/index.js'
import type { Ctx } from '../context.js'
import { sendDueMail } from '../mail/index.js'
import { moveWaitingBodies } from '../objects/index.js'
import { releaseOrphanedMembers } from './alert-groups.js'
import { startDeliverySender } from './delivery-sender.js'
import { handleGoingDown } from './going-down.js'
import { writeHeartbeat } from './heartbeat.js'
import { handleLateWarnings } from './late-warnings.js'
import { recoverFromOutage } from './outage-recovery.js'
import { processFlips } from './process-flips.js'
import { processWarnings } from './process-warnings.js'
import { queueDueRepeats } from './queue-repeats.js'
import { detectRunInsights } from './run-insight.js'
import { REPORTS_EVERY_MS, sendDueReports } from './send-reports.js'
import { onFlipsQueued } from './work-signal.js'

/** How often the heartbeat row is refreshed. */
export const HEARTBEAT_EVERY_MS = 5_000
/** How often old audit events are deleted (AU-4, AUDIT_RETENTION_DAYS). */
export const AUDIT_PRUNE_EVERY_MS = 3_600_000
/** Most mails one outbox run claims; a full run is followed by another at once. */
export const MAIL_BATCH = 100
/** Most waiting ping bodies one run moves to object storage; a full run is followed by another. */
export const BODY_MOVE_BATCH = 100
/** After the object store refused a body, the worker waits this long before trying again. */
export const BODY_MOVE_RETRY_MS = 30_000

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
  /** Resolves when the deliveries, the mail run and the body move in flight right now have ended. */
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
  /** The `now` of the last iteration whose going-down step succeeded. */
  let handledAt: number | null = null
  let stopping = false
  let timer: NodeJS.Timeout | null = null
  let current: Promise<void> | null = null
  let mailRun: Promise<unknown> | null = null
  let mailAgain = false
  let flipsRun: Promise<unknown> | null = null
  /** The processFlips call of flipsRun in progress right now. */
  let flipsCall: Promise<unknown> | null = null
  let flipsAgain = false
  let tickWaiters: (() => void)[] = []
  let bodiesRun: Promise<unknown> | null = null
  let bodiesRetryAt = Number.NEGATIVE_INFINITY

  const step = async (name: string, fn: () => Promise<unknown>): Promise<boolean> => {
    try {
      await fn()
      return true
    } catch (e) {
      ctx.log.error({ err: e, step: name, workerId }, 'worker step failed; will retry')
      return false
    }
  }

  /** Sends due mail in batches until a batch comes back short; a kick meanwhile runs it again. */
  const kickMail = () => {
    if (stopping) return
    if (mailRun) {
      mailAgain = true
      return
    }
    mailRun = step('mail', async () => {
      do {
        mailAgain = false
        const r = await sendDueMail(ctx, { workerId, limit: MAIL_BATCH })
        if (r.sent + r.retrying + r.failed >= MAIL_BATCH) mailAgain = true
      } while (mailAgain && !stopping)
    }).finally(() => {
      mailRun = null
    })
  }

  /**
   * Turns new flips into notifications now (processFlips wakes the sender after each commit):
   * kicked when this process commits flips (a going-down batch, a ping that flips a check), so no
   * poll interval passes between "flipped" and "sent". A kick meanwhile runs it again.
   */
  const kickFlips = () => {
    if (stopping) return
    if (flipsRun) {
      flipsAgain = true
      return
    }
    flipsRun = step('flips', async () => {
      do {
        flipsAgain = false
        flipsCall = processFlips(ctx, ctx.clock.now())
        try {
          await flipsCall
        } finally {
          flipsCall = null
        }
      } while (flipsAgain && !stopping)
    }).finally(() => {
      flipsRun = null
    })
  }
  const unsubscribeFlips = onFlipsQueued(kickFlips)

  /**
   * Moves ping bodies that waited in the database (the object store was down when they came) to
   * the bucket, beside the loop: a store that hangs for S3_TIMEOUT never holds back going-down.
   */
  const kickBodies = () => {
    if (stopping || !ctx.config.s3 || bodiesRun || ctx.clock.now() < bodiesRetryAt) return
    bodiesRun = step('ping-bodies', async () => {
      let r: { moved: number; storeFailed: boolean }
      do {
        r = await moveWaitingBodies(ctx, { limit: BODY_MOVE_BATCH })
      } while (r.moved === BODY_MOVE_BATCH && !stopping)
      // A store that refuses is asked again in a while, not at every tick (one log line each).
      if (r.storeFailed) bodiesRetryAt = ctx.clock.now() + BODY_MOVE_RETRY_MS
    }).finally(() => {
      bodiesRun = null
    })
  }

  const sender = startDeliverySender(ctx, workerId, { onHandedOff: kickMail })

  async function iteration(): Promise<void> {
    const now = ctx.clock.now()
    // After an outage, deadlines that passed in it are re-armed before anything may flip; if the
    // database cannot tell, nothing flips this time either.
    const recovered = await step('outage', async () => {
      if (await recoverFromOutage(ctx, workerId, role, started, now, handledAt)) lastHeartbeat = now
    })
    if (recovered && (await step('going-down', () => handleGoingDown(ctx, now)))) handledAt = now
    await step('flips', () => processFlips(ctx, ctx.clock.now()))
    // A kicked call may hold a flip this pass skipped (SKIP LOCKED): the iteration ends after
    // that call, not after a run that pings may keep kicking.
    if (flipsCall) await flipsCall.catch(() => {})
    // Run insight warnings (unusual duration, new source, two sources, too often): opted-in checks only.
    await step('run-insight', () => detectRunInsights(ctx, ctx.clock.now()))
    // Repeat notifications that are due (queue-repeats.ts): reads only the due rows.
    await step('repeats', () => queueDueRepeats(ctx, ctx.clock.now()))
    await step('alert-groups', () => releaseOrphanedMembers(ctx))
    // The warning stage (late-warnings.ts) and every queued warning's notifications.
    if (recovered) await step('late-warnings', () => handleLateWarnings(ctx, ctx.clock.now()))
    await step('warnings', () => processWarnings(ctx, ctx.clock.now()))
    // Due retries and other processes' notifications; this process's own are signalled at once.
    sender.kick()
    kickMail()
    kickBodies()
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
      await sender.drain()
      while (mailRun) await mailRun
      while (bodiesRun) await bodiesRun
    },
    async stop() {
      stopping = true
      unsubscribeFlips()
      if (timer) clearTimeout(timer)
      timer = null
      if (current) await current
      while (flipsRun) await flipsRun
      await sender.stop()
      if (mailRun) await mailRun
      if (bodiesRun) await bodiesRun
      for (const w of tickWaiters) w()
      tickWaiters = []
    },
  }
}
