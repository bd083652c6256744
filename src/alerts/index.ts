/**
 * The worker: going-down detection, flip processing, notification delivery (with the mail
 * sender) and its heartbeat. `vigil serve` starts it with startWorker(ctx) and stops it with
 * `await worker.stop()`.
 */

export {
  claimDueNotifications,
  type DeliveryOutcome,
  deliverDueNotifications,
  deliverNotification,
  MAIL_OUTBOX_HOLDER,
} from './deliver-notifications.js'
export {
  cutError,
  NOTIFY_LEASE_MS,
  NOTIFY_MAX_ATTEMPTS,
  notifyRetryDelayMs,
} from './delivery-retry.js'
export { isFlipNotifiable, selectChannels } from './flip-channels.js'
export {
  BROKEN_CHECK_RETRY_MS,
  type GoingDownOutcome,
  handleGoingDown,
  handleOneGoingDown,
} from './going-down.js'
export { writeHeartbeat } from './heartbeat.js'
export { type ProcessedFlip, processFlips, processOneFlip } from './process-flips.js'
export {
  DELIVERY_CONCURRENCY,
  HEARTBEAT_EVERY_MS,
  newWorkerId,
  startWorker,
  type WorkerHandle,
  type WorkerOptions,
} from './worker.js'
