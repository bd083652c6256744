/**
 * The checks feature as other features see it: everything outside src/checks/ imports from
 * here, never from a module inside. Named exports only, each one used elsewhere.
 */
export { warnAtFor } from './alert-policy.js'
export { type ChannelRefError, channelRefMessage } from './channel-refs.js'
export { channelCodesOf } from './check-channels.js'
export {
  checkRelatives,
  dependsOnOf,
  projectDependencies,
  type RelatedCheck,
} from './check-dependencies.js'
export { type CheckHold, checkHold, holdMark } from './check-hold.js'
export {
  CheckSpecSchema,
  checkSpecIssues,
  type FlapSettings,
  type InvalidField,
  invalidFieldMessage,
  MAX_ALERT_DELAY,
  MAX_ALERT_FAILURES,
  type SpecField as CheckSpecField,
  type SpecIssue,
  slugify,
} from './check-input.js'
export { clearCheckEvents } from './clear-check-events.js'
export { copyCheck } from './copy-check.js'
export { countProjectChecks } from './count-checks.js'
export { createCheck } from './create-check.js'
export { deleteCheck } from './delete-check.js'
export {
  type DowntimeRecord,
  dayBoundaries,
  downtimesByBoundary,
  localMidnight,
  monthBoundaries,
  nextMonthStart,
  uptimePercent,
} from './downtime.js'
export {
  type CheckWithChannels,
  findCheckByUniqueKey,
  findProjectCheck,
  getCheck,
} from './find-check.js'
export { type ApiVersion, checkJson, isoSeconds, uniqueKey } from './json.js'
export { canonicalTimeZone } from './legacy-time-zones.js'
export {
  type CheckEvent,
  hasEventsAfter,
  listCheckEvents,
  type PingExtras,
  pingExtras,
} from './list-check-events.js'
export { listChecks, tagsList } from './list-checks.js'
export { type FlipFilters, listFlips } from './list-flips.js'
export { getPingBody, type ListedPing, listPings } from './list-pings.js'
export {
  activeWindow,
  MaintenanceSchema,
  type MaintenanceWindow,
  nextWindows,
  type PlannedWindow,
  parseMaintenance,
  windowsOf,
} from './maintenance.js'
export { markOverdueDown } from './mark-overdue-down.js'
export { accessibleProjects, updateNextNagDates, updateUserNagDate } from './nag-dates.js'
export { pauseCheck } from './pause-check.js'
export { projectMaintenance, setProjectMaintenance } from './project-maintenance.js'
export {
  checkByBadgeKey,
  checkByCode,
  checkById,
  checksOfBadgeProject,
  otherDownChecks,
  projectChecks,
  projectTags,
  statusRowsOfProjects,
} from './queries.js'
export {
  chooseNextReportDate,
  formatLocal,
  periodBoundaries,
  periodLabel,
  periodShortLabel,
  type ReportKind,
  reportZone,
} from './report-periods.js'
export { resumeCheck } from './resume-check.js'
export { findRetainedPing, type RetainedPing } from './retained-ping.js'
export {
  deadlineReason,
  hasRunLimit,
  isTooFast,
  MAX_RUNTIME_LIMIT,
  pairingWindowMs,
  type RunTimeInput,
  runDeadline,
  runTimeReasonText,
} from './run-time.js'
export { snoozeEnd } from './snooze.js'
export { endSnooze, snoozeByPing, snoozeCheck, snoozeProjectChecks } from './snooze-check.js'
export {
  type DisplayStatus,
  goingDownAfter,
  graceStart,
  type StatusInput,
  statusAt,
} from './status.js'
export { transferCheck } from './transfer-check.js'
export { updateCheck } from './update-check.js'
export { upsertCheck } from './upsert-check.js'
