/**
 * The insight feature as other features see it: learned duration bounds, ping-source and
 * too-often rules (pure), and the check settings that switch them on. Named exports only.
 */

export {
  detectInsights,
  type Finding,
  type InsightPing,
  type InsightSettings,
  type InsightState,
  parseInsightState,
  stateRuns,
} from './detect-insights.js'
export {
  type Band,
  type Baseline,
  bandFor,
  formatSpan,
  isUnusualDuration,
  learnBaseline,
  MIN_RUNS,
  type Run,
} from './duration-baseline.js'
export { samePeriod } from './period.js'
export { SOURCE_SCOPES, type SourceScope, sourceKey } from './ping-source.js'
