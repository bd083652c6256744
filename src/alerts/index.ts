/**
 * The worker: going-down detection, flip processing (with flapping protection and nag dates),
 * notification delivery (with the mail sender), reports and nags, test notifications and its
 * heartbeat. `vigil serve` starts it with startWorker(ctx) and stops it with
 * `await worker.stop()`.
 */

export {
  type DowntimeRecord,
  downtimesByBoundary,
} from '../checks/index.js'
export {
  ALERT_GATES,
  type AlertGate,
  combineDecisions,
  decideGates,
  flapGate,
  type GateDecision,
  type GateInput,
} from './alert-gates.js'
export {
  type ClaimFairness,
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
export { type DeliverySender, startDeliverySender } from './delivery-sender.js'
export {
  decideDownFlip,
  FLAP_RECHECK_MS,
  type FlapCheck,
  type FlapDecision,
  hasFlapProtection,
} from './flap-guard.js'
export { isFlipNotifiable, selectChannels } from './flip-channels.js'
export {
  BROKEN_CHECK_RETRY_MS,
  claimDueChecksQuery,
  GOING_DOWN_BATCH,
  type GoingDownBatch,
  type GoingDownOutcome,
  handleGoingDown,
  handleGoingDownBatch,
  handleOneGoingDown,
} from './going-down.js'
export { notificationCounts, recentWorkers, writeHeartbeat } from './heartbeat.js'
export { isOutage, type Outage, type RearmCheck, rearmedAlertAfter } from './outage-rearm.js'
export { type OutageRecovery, recentOutages, recoverFromOutage } from './outage-recovery.js'
export { type ProcessedFlip, processFlips, processOneFlip } from './process-flips.js'
export { queueDueRepeats, type RepeatOutcome } from './queue-repeats.js'
export {
  handleOneNag,
  handleOneReport,
  REPORTS_EVERY_MS,
  type ReportsOptions,
  type ReportsRun,
  sendDueReports,
} from './send-reports.js'
export {
  type QueuedTest,
  sendTestNotification,
  type TestNotificationError,
} from './test-notification.js'
export { listWarnings, type NewWarning, queueWarning, type WarningKind } from './warnings.js'
export {
  onFlipsQueued,
  onNotificationsQueued,
  signalFlipsQueued,
  signalNotificationsQueued,
} from './work-signal.js'
export {
  HEARTBEAT_EVERY_MS,
  MAIL_BATCH,
  newWorkerId,
  startWorker,
  type WorkerHandle,
  type WorkerOptions,
} from './worker.js'
