/**
 * `vigil sendreports [--loop]`: queues due monthly/weekly/daily reports and "still down"
 * reminders in the mail outbox, as Healthchecks' `manage.py sendreports`. Once by default (for a
 * cron job); with --loop every minute until SIGINT/SIGTERM. The worker runs the same step, so
 * this is only needed when no worker runs; both may run at once without sending twice.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { REPORTS_EVERY_MS, sendDueReports } from '../alerts/index.js'
import { type Io, parseOptions, withContext } from './io.js'

const USAGE = 'Usage: vigil sendreports [--loop]'

export async function sendreportsCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(args, { loop: { type: 'boolean' } }, USAGE)
  if (values.help) {
    io.out(
      `${USAGE}\n\nQueues due reports and nag reminders in the mail outbox (the worker's mail sender delivers them).\n--loop  repeat every minute until interrupted.`,
    )
    return 0
  }
  return withContext(io, async (ctx) => {
    const stopping = new AbortController()
    const onSignal = () => stopping.abort()
    if (values.loop) {
      process.once('SIGINT', onSignal)
      process.once('SIGTERM', onSignal)
    }
    try {
      do {
        const run = await sendDueReports(ctx, ctx.clock.now())
        io.out(`Queued ${run.reports} report(s) and ${run.nags} reminder(s).`)
        if (!values.loop) break
        await sleep(REPORTS_EVERY_MS, undefined, { signal: stopping.signal }).catch(() => {})
      } while (!stopping.signal.aborted)
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
    return 0
  })
}
