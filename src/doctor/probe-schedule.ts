/**
 * DOC-1's background probes: after start, the network checks (MAIL-004…009) run once within
 * 10 s, then again every 15 minutes while mail is not `healthy` and hourly once it is. Timers are
 * unref'd and `stop()` ends the loop, so the probes never delay start or keep a process alive.
 */
import type { Ctx } from '../context.js'
import { mailStatus } from '../mail/index.js'
import { NETWORK_CHECKS_DEADLINE_MS, runNetworkChecks } from './network-checks.js'

export interface ProbeScheduleOptions {
  /** Delay before the first run, ms (default 0: right after start). */
  firstDelayMs?: number
  /** Interval while mail is healthy, ms (default 1 h). */
  healthyMs?: number
  /** Interval while mail is not healthy, ms (default 15 min). */
  unhealthyMs?: number
  /** Overall deadline of one run, ms (default 10 s). */
  deadlineMs?: number
}

export interface ProbeSchedule {
  /** Runs completed so far. */
  runs(): number
  stop(): Promise<void>
}

/** Starts the loop; does nothing (but still returns a schedule) when mail is unconfigured. */
export function startProbeSchedule(ctx: Ctx, options: ProbeScheduleOptions = {}): ProbeSchedule {
  const healthyMs = options.healthyMs ?? 3600_000
  const unhealthyMs = options.unhealthyMs ?? 15 * 60_000
  const deadlineMs = options.deadlineMs ?? NETWORK_CHECKS_DEADLINE_MS
  let stopped = false
  let timer: NodeJS.Timeout | null = null
  let running: Promise<void> | null = null
  let runs = 0

  const schedule = (ms: number) => {
    if (stopped) return
    timer = setTimeout(() => {
      running = runOnce().finally(() => {
        running = null
      })
    }, ms)
    timer.unref()
  }
  const runOnce = async () => {
    let healthy = false
    try {
      const findings = await runNetworkChecks(ctx, deadlineMs)
      for (const f of findings) ctx.log.warn({ check: f.id, hint: f.hint }, f.message)
      healthy = (await mailStatus(ctx)) === 'healthy'
    } catch (e) {
      if (!stopped) ctx.log.error({ err: e }, 'background mail probe failed')
    }
    runs++
    schedule(healthy ? healthyMs : unhealthyMs)
  }
  if (ctx.config.smtp) schedule(options.firstDelayMs ?? 0)
  return {
    runs: () => runs,
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
