/**
 * A check as Healthchecks' management API shows it (`Check.to_dict`): the same fields, order and
 * types per API version and key kind. Read-only keys get `unique_key` instead of uuid, URLs and
 * channels. Used by the API, the CLI (`vigil check create`) and the webhook `$JSON` placeholder.
 */
import { createHash } from 'node:crypto'
import type { Config } from '../config/index.js'
import type { Check } from '../db/index.js'
import { policyJson } from './alert-policy.js'
import { holdJson } from './hold-json.js'
import { insightJson } from './insight-fields.js'
import { graceStart, statusAt } from './status.js'

export type ApiVersion = 1 | 2 | 3

export interface CheckJsonOptions {
  config: Pick<Config, 'siteRoot' | 'pingEndpoint'>
  version: ApiVersion
  /** Shape for a read-only API key. */
  readonly: boolean
  /** UUIDs of the channels assigned to the check. */
  channelCodes: string[]
  /** UUIDs of the checks it depends on (Vigil extension, API v3 only); absent = none. */
  dependsOn?: string[]
  now: number
}

/** ISO 8601 in UTC without fractional seconds, with Python's `+00:00` suffix. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00')
}

/** Healthchecks' unique_key: SHA-1 hex of the first 16 hex digits of the UUID. */
export function uniqueKey(code: string): string {
  return createHash('sha1').update(code.replace(/-/g, '').slice(0, 16)).digest('hex')
}

export function checkJson(check: Check, o: CheckJsonOptions): Record<string, unknown> {
  const nextPing = graceStart(check, true)
  const filterSubject = check.filter_subject === 1
  const out: Record<string, unknown> = {
    name: check.name,
    slug: check.slug,
    tags: check.tags,
    desc: check.desc,
    grace: check.grace,
    n_pings: check.n_pings,
    status: statusAt(check, o.now, o.version === 1),
    started: check.last_start !== null,
    last_ping: check.last_ping === null ? null : isoSeconds(check.last_ping),
    next_ping: nextPing === null ? null : isoSeconds(nextPing),
    manual_resume: check.manual_resume === 1,
    methods: check.methods,
    subject: filterSubject ? check.success_kw : '',
    subject_fail: filterSubject ? check.failure_kw : '',
    start_kw: check.start_kw,
    success_kw: check.success_kw,
    failure_kw: check.failure_kw,
    filter_subject: filterSubject,
    filter_body: check.filter_body === 1,
    filter_http_body: check.filter_http_body === 1,
    filter_default_fail: check.filter_default_fail === 1,
    badge_url: `${o.config.siteRoot}/b/2/${check.badge_key}.svg`,
  }
  if (check.last_duration_ms) out.last_duration = Math.floor(check.last_duration_ms / 1000)
  if (o.version === 3) {
    // Vigil extensions (run-time limits, issue 15): seconds or null; v1/v2 keep Healthchecks' shape.
    out.max_runtime = check.max_runtime ?? null
    out.min_runtime = check.min_runtime ?? null
  }
  if (o.readonly) {
    out.unique_key = uniqueKey(check.code)
  } else {
    const updateUrl = `${o.config.siteRoot}/api/v${o.version}/checks/${check.code}`
    out.uuid = check.code
    out.ping_url = `${o.config.pingEndpoint}${check.code}`
    out.update_url = updateUrl
    out.pause_url = `${updateUrl}/pause`
    out.resume_url = `${updateUrl}/resume`
    out.channels = [...o.channelCodes].sort().join(',')
    if (o.version === 3) out.depends_on = [...(o.dependsOn ?? [])].sort()
  }
  if (check.kind === 'simple') {
    out.timeout = check.timeout
  } else {
    out.schedule = check.schedule
    out.tz = check.tz
  }
  if (o.version === 3) Object.assign(out, insightJson(check))
  if (o.version === 3) Object.assign(out, holdJson(check, o.now))
  // Vigil extensions (alert policy), v3 only: Healthchecks clients ignore them.
  if (o.version === 3) Object.assign(out, policyJson(check))
  return out
}
