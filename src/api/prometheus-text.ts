/**
 * Renders a project's checks in the Prometheus text format, line for line as Healthchecks'
 * prometheus `metrics` view: per-check up/started/grace/paused gauges labelled with name, tags
 * and unique_key, per-tag up, and totals; plus Vigil's hc_check_last_duration_seconds (#392). Pure: statuses come in already computed.
 */

import type { DisplayStatus } from '../checks/index.js'
import { tagsList } from '../checks/index.js'

export interface MetricsCheck {
  name: string
  tags: string
  uniqueKey: string
  /** Display status at render time (without the v1 `started` state). */
  status: DisplayStatus
  started: boolean
  /** The last run's duration (start → finish) in ms, or null (Vigil's addition, Healthchecks #392). */
  lastDurationMs: number | null
}

/** Label value escaping of the text format: backslash, double quote, newline. */
function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function gauge(name: string, help: string): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n`
}

export function renderPrometheusMetrics(checks: MetricsCheck[]): string {
  const rows = checks.map((c) => ({
    c,
    labels: `{name="${esc(c.name)}", tags="${esc(c.tags)}", unique_key="${c.uniqueKey}"}`,
  }))
  let out = gauge('hc_check_up', 'Whether the check is currently up (1 for yes, 0 for no).')
  for (const { c, labels } of rows) out += `hc_check_up${labels} ${c.status === 'down' ? 0 : 1}\n`
  out += `\n${gauge('hc_check_started', 'Whether the check is currently started (1 for yes, 0 for no).')}`
  for (const { c, labels } of rows) out += `hc_check_started${labels} ${c.started ? 1 : 0}\n`
  out += `\n${gauge('hc_check_grace', 'Whether the check is currently in the grace period (1 for yes, 0 for no).')}`
  for (const { c, labels } of rows)
    out += `hc_check_grace${labels} ${c.status === 'grace' ? 1 : 0}\n`
  out += `\n${gauge('hc_check_paused', 'Whether the check is currently paused (1 for yes, 0 for no).')}`
  for (const { c, labels } of rows)
    out += `hc_check_paused${labels} ${c.status === 'paused' ? 1 : 0}\n`
  // Vigil's addition (Healthchecks #392): only checks whose last run has a duration get a sample.
  out += `\n${gauge('hc_check_last_duration_seconds', 'How long the last run took, from its start to its finish, in seconds.')}`
  for (const { c, labels } of rows) {
    if (c.lastDurationMs !== null)
      out += `hc_check_last_duration_seconds${labels} ${c.lastDurationMs / 1000}\n`
  }

  const allTags = new Set<string>()
  const downTags = new Set<string>()
  let numDown = 0
  for (const c of checks) {
    for (const t of tagsList(c.tags)) allTags.add(t)
    if (c.status === 'down') {
      numDown++
      for (const t of tagsList(c.tags)) downTags.add(t)
    }
  }
  out += `\n${gauge('hc_tag_up', 'Whether all checks with this tag are up (1 for yes, 0 for no).')}`
  for (const tag of [...allTags].sort())
    out += `hc_tag_up{tag="${esc(tag)}"} ${downTags.has(tag) ? 0 : 1}\n`
  out += `\n${gauge('hc_checks_total', 'The total number of checks.')}`
  out += `hc_checks_total ${checks.length}\n\n`
  out += gauge('hc_checks_down_total', 'The number of checks currently down.')
  out += `hc_checks_down_total ${numDown}\n`
  return out
}
