/**
 * The doctor feature as other features see it: everything outside src/doctor/ imports from
 * here, never from a module inside. Named exports only, each one used elsewhere.
 */
export { CHECKS } from './check-catalogue.js'
export {
  configFindings,
  type Finding,
  formatFinding,
  isProblem,
  runDoctor,
  specSeverity,
  WORKER_HEARTBEAT_MAX_AGE_MS,
} from './findings.js'
export { startProbeSchedule } from './probe-schedule.js'
export { currentFindings, problemCount, rememberProblemCount } from './problem-count.js'
export { RequestSampler, requestOrigin, storeRequestSummary } from './request-sample.js'
export { recordSecretFingerprint } from './secret-fingerprint.js'
export { logFinding, refusalText, reportStartupFindings } from './startup-report.js'
export { sendTestEmail, type TestEmailResult } from './test-email.js'
