/**
 * The notification sender of one worker process: claims due notifications and delivers them
 * continuously while any are due, with at most DELIVERY_CONCURRENCY in flight and at most
 * DELIVERY_CHANNEL_CONCURRENCY of them for one channel, claimed round-robin across channels, so
 * a hanging endpoint (held for WEBHOOK_TIMEOUT) or a channel with 1,000 alerts never holds back
 * the others. A finished delivery frees its slot and claims the next at once; when nothing is due
 * the sender idles until kicked (the worker's poll, or signalNotificationsQueued in this process).
 * Exactly-once stays with the database: leases and conditional updates (deliver-notifications.ts).
 */
import type { Ctx } from '../context.js'
import { groupCommit } from '../db/index.js'
import {
  claimDueNotifications,
  type DeliveryTarget,
  deliverNotification,
  loadDeliveryTargets,
} from './deliver-notifications.js'
import { onNotificationsQueued } from './work-signal.js'

/** How long a freed slot waits for other completions before claiming. */
const CLAIM_COALESCE_MS = 5

export interface DeliverySender {
  /** Looks for due notifications now (coalesced with a claim already running). */
  kick(): void
  /** Resolves when the claims and deliveries in flight right now have ended. */
  drain(): Promise<void>
  /** Stops claiming and waits for deliveries in flight. */
  stop(): Promise<void>
  /** Deliveries in flight (for tests and the bench). */
  inFlight(): number
}

export function startDeliverySender(
  ctx: Ctx,
  workerId: string,
  hooks: { onHandedOff?: () => void } = {},
): DeliverySender {
  const max = ctx.config.deliveryConcurrency
  const perChannel = Math.min(ctx.config.deliveryChannelConcurrency, max)
  const deliveries = new Set<Promise<unknown>>()
  const commit = groupCommit(ctx.db.kysely)
  const byChannel = new Map<number, number>()
  let claiming: Promise<void> | null = null
  let again = false
  let stopped = false

  const release = (channelId: number) => {
    const n = (byChannel.get(channelId) ?? 1) - 1
    if (n <= 0) byChannel.delete(channelId)
    else byChannel.set(channelId, n)
  }

  async function claimOnce(): Promise<boolean> {
    const free = max - deliveries.size
    if (free <= 0 || stopped) return false
    const claimed = await claimDueNotifications(ctx, workerId, ctx.clock.now(), free, {
      perChannel,
      inFlight: byChannel,
    })
    // Counted before the read below, so a kick meanwhile cannot overfill a channel.
    for (const n of claimed) byChannel.set(n.channel_id, (byChannel.get(n.channel_id) ?? 0) + 1)
    let targets: Map<number, DeliveryTarget>
    try {
      targets = await loadDeliveryTargets(ctx, claimed)
    } catch (e) {
      // The leases expire and another pass (here or elsewhere) takes the rows again.
      for (const n of claimed) release(n.channel_id)
      throw e
    }
    for (const n of claimed) {
      const p = deliverNotification(ctx, workerId, n, commit, targets.get(n.id))
        .then((outcome) => {
          if (outcome === 'handed-off') hooks.onHandedOff?.()
        })
        .catch((e) =>
          ctx.log.error({ err: e, notification: n.code, workerId }, 'recording a delivery failed'),
        )
        .finally(() => {
          deliveries.delete(p)
          release(n.channel_id)
          // A slot is free: more may be due (the rest of a burst, or a channel under its cap).
          // Completions within a few ms share one claim (one commit) instead of one each.
          kickSoon()
        })
      deliveries.add(p)
    }
    // A full claim means more may be waiting; a partial one means everything due is taken.
    return claimed.length > 0 && claimed.length === free
  }

  let soon: NodeJS.Timeout | null = null
  function kickSoon(): void {
    if (soon || stopped) return
    soon = setTimeout(() => {
      soon = null
      kick()
    }, CLAIM_COALESCE_MS)
  }

  function kick(): void {
    if (stopped) return
    if (claiming) {
      again = true
      return
    }
    claiming = (async () => {
      try {
        do {
          again = false
          if (await claimOnce()) again = true
        } while (again && !stopped && deliveries.size < max)
      } catch (e) {
        // A database hiccup: the worker's next poll kicks again.
        ctx.log.error({ err: e, workerId }, 'claiming notifications failed; will retry')
      } finally {
        claiming = null
      }
    })()
  }

  const unsubscribe = onNotificationsQueued(kick)

  return {
    kick,
    inFlight: () => deliveries.size,
    async drain() {
      // Deliveries end and kick new claims; wait until both are quiet.
      while (claiming || soon || deliveries.size > 0) {
        if (soon) await new Promise((r) => setTimeout(r, CLAIM_COALESCE_MS))
        await Promise.allSettled([...(claiming ? [claiming] : []), ...deliveries])
      }
    },
    async stop() {
      stopped = true
      unsubscribe()
      if (soon) clearTimeout(soon)
      soon = null
      while (claiming || deliveries.size > 0) {
        await Promise.allSettled([...(claiming ? [claiming] : []), ...deliveries])
      }
    },
  }
}
