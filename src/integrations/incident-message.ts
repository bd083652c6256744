/**
 * Pure: the payloads of the incident services (PagerDuty, Opsgenie, Splunk On-Call, PagerTree,
 * Spike). Each opens an incident on down and resolves it on up, keyed by Healthchecks'
 * `unique_key` of the check, so incidents opened by Healthchecks are closed by Vigil after a
 * migration. Field sets follow Healthchecks' transports; texts are plain.
 */
import { uniqueKey } from '../checks/index.js'
import {
  type AlertMessageInput,
  commonFacts,
  detailsUrl,
  formatDuration,
  headline,
  lastPingText,
  nameThenCode,
  statusWord,
  tagsList,
  totalPings,
} from './message-facts.js'

/** "name is DOWN" (Healthchecks' incident titles). */
export function incidentTitle(input: AlertMessageInput): string {
  return `${nameThenCode(input.check)} is ${statusWord(input)}`
}

/** Headline, description, facts and link as plain lines. */
export function plainDescription(input: AlertMessageInput): string {
  const lines = [headline(input)]
  if (input.check.desc) lines.push(`Description: ${input.check.desc}`)
  for (const [k, v] of commonFacts(input)) lines.push(`${k}: ${v}`)
  lines.push(`Details: ${detailsUrl(input.siteRoot, input.check.code)}`)
  return lines.join('\n')
}

/** PagerDuty Events API v1 (create_event.json). */
export function renderPagerDutyEvent(
  input: AlertMessageInput,
  serviceKey: string,
): Record<string, unknown> {
  const { check } = input
  const details: Record<string, unknown> = {
    Project: input.projectName,
    'Total pings': totalPings(input.lastPing),
    'Last ping': lastPingText(input.lastPing),
  }
  if (check.desc) details.Description = check.desc
  if (check.tags.trim()) details.Tags = tagsList(check.tags).join(', ')
  if (check.kind === 'simple') details.Period = formatDuration(check.timeout)
  else {
    details.Schedule = check.schedule
    details['Time zone'] = check.tz
  }
  return {
    service_key: serviceKey,
    incident_key: uniqueKey(check.code),
    event_type: input.status === 'down' ? 'trigger' : 'resolve',
    description: incidentTitle(input),
    client: input.siteName,
    client_url: detailsUrl(input.siteRoot, check.code),
    details,
  }
}

/** Opsgenie Alert API: the create body on down; on up only alias and source (the close body). */
export function renderOpsgenieAlert(input: AlertMessageInput): Record<string, unknown> {
  const { check } = input
  const payload: Record<string, unknown> = { alias: uniqueKey(check.code), source: input.siteName }
  if (input.status === 'down') {
    const details: Record<string, unknown> = {
      Project: input.projectName,
      'Total pings': totalPings(input.lastPing),
      'Last ping': lastPingText(input.lastPing),
    }
    if (check.kind === 'simple') details.Period = formatDuration(check.timeout)
    else {
      details.Schedule = `<code>${check.schedule}</code>`
      details['Time zone'] = check.tz
    }
    details['Full details'] = detailsUrl(input.siteRoot, check.code)
    payload.tags = tagsList(check.tags)
    payload.message = incidentTitle(input)
    payload.description = check.desc
    payload.details = details
  }
  return payload
}

/** Splunk On-Call (VictorOps) REST endpoint. */
export function renderVictorOpsAlert(input: AlertMessageInput): Record<string, unknown> {
  return {
    entity_id: uniqueKey(input.check.code),
    message_type: input.status === 'down' ? 'CRITICAL' : 'RECOVERY',
    entity_display_name: nameThenCode(input.check),
    state_message: plainDescription(input),
    monitoring_tool: input.siteName,
  }
}

/** PagerTree integration URL. */
export function renderPagerTreeEvent(input: AlertMessageInput): Record<string, unknown> {
  return {
    incident_key: uniqueKey(input.check.code),
    event_type: input.status === 'down' ? 'trigger' : 'resolve',
    title: incidentTitle(input),
    description: plainDescription(input),
    client: input.siteName,
    client_url: input.siteRoot,
    tags: tagsList(input.check.tags).join(','),
  }
}

/** Spike.sh webhook. */
export function renderSpikeEvent(input: AlertMessageInput): Record<string, unknown> {
  return {
    check_id: uniqueKey(input.check.code),
    title: incidentTitle(input),
    message: plainDescription(input),
    status: input.status,
  }
}
