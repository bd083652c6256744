/**
 * The webhook channel: the user's method, URL, headers and body for the flip's direction,
 * templated (webhook-template.ts) and sent through the private-address guard. Success is 200,
 * 201, 202 or 204; 429, 5xx and network errors are worth retrying, other answers are not.
 * Mirrors hc/integrations/webhook/transport.py; retries belong to the worker, not here.
 */
import { checkJson, dependsOnOf, isoSeconds } from '../checks/index.js'
import type { Ctx } from '../context.js'
import { ok } from '../result.js'
import { fieldsOf, jsonObject, type Parsed, problem, readString, readUrl } from './channel-input.js'
import { groupChecksJson, groupMessageInput, groupStatus } from './group-message.js'
import type { AlertStatus, DeliveryInput, DeliveryResult, Integration } from './integration.js'
import { findLastPing, pingBodyText } from './last-ping.js'
import { reasonLong } from './message-facts.js'
import { PRIVATE_IP_ERROR, sendOutbound } from './outbound-http.js'
import { loadWarningFacts } from './warning-facts.js'
import { parseWebhookValue } from './webhook-spec.js'
import {
  needsLastPing,
  pythonJsonDumps,
  renderWebhookTemplate,
  type TemplateValues,
} from './webhook-template.js'

const SUCCESS = new Set([200, 201, 202, 204])

/** `$CHECKS` of a notification sent on its own: a group of one. */
function singleGroup(ctx: Ctx, { check, flip, notification }: DeliveryInput) {
  const status = notification.check_status === 'up' ? 'up' : 'down'
  const entry = { check, flip, status, created: notification.created } as const
  return groupMessageInput([entry], {
    projectName: '',
    siteName: ctx.config.siteName,
    siteRoot: ctx.config.siteRoot,
  })
}

async function channelCodes(ctx: Ctx, checkId: number): Promise<string[]> {
  const rows = await ctx.db.kysely
    .selectFrom('check_channels')
    .innerJoin('channels', 'channels.id', 'check_channels.channel_id')
    .select('channels.code')
    .where('check_channels.check_id', '=', checkId)
    .execute()
  return rows.map((r) => r.code)
}

/** Cuts an answer to fit the notification's 200-character error. */
function statusError(status: number, body: string): string {
  const answer = body.replace(/\s+/g, ' ').trim()
  const message = answer
    ? `Received status code ${status}: ${answer}`
    : `Received status code ${status}`
  return message.length > 200 ? `${message.slice(0, 199)}…` : message
}

/** Header names: an HTTP token (latin-1 is all a header can carry). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** Headers as an object, or as `Name: value` lines (the form's textarea). */
function readHeaders(raw: unknown, field: string): Parsed<Record<string, string>> {
  const out: Record<string, string> = {}
  if (raw === undefined || raw === null || raw === '') return ok(out)
  let pairs: [string, unknown][]
  if (typeof raw === 'string') {
    pairs = []
    for (const line of raw.split(/\r?\n/)) {
      if (line.trim() === '') continue
      const i = line.indexOf(':')
      if (i <= 0) return problem(field, `"${line.trim()}" is not a "Name: value" line`)
      pairs.push([line.slice(0, i).trim(), line.slice(i + 1).trim()])
    }
  } else if (typeof raw === 'object' && !Array.isArray(raw)) {
    pairs = Object.entries(raw)
  } else {
    return problem(field, 'must be an object of header names and values')
  }
  for (const [name, value] of pairs) {
    if (!HEADER_NAME.test(name)) return problem(field, `"${name}" is not a valid header name`)
    if (typeof value !== 'string') return problem(field, `the value of ${name} must be a string`)
    if (value.length > 1000) return problem(field, `the value of ${name} is over 1000 characters`)
    if (/[\r\n]/.test(value)) return problem(field, `the value of ${name} spans several lines`)
    out[name] = value
  }
  return ok(out)
}

function readDirection(fields: Record<string, unknown>, status: AlertStatus) {
  const methodRaw = fields[`method_${status}`]
  const method =
    methodRaw === undefined || methodRaw === '' ? 'GET' : String(methodRaw).toUpperCase()
  if (!['GET', 'POST', 'PUT'].includes(method))
    return problem(`method_${status}`, 'must be GET, POST or PUT')
  const url = readUrl(fields, `url_${status}`, { required: false })
  if (!url.ok) return url
  const body = readString(fields, `body_${status}`, { max: 1000, required: false })
  if (!body.ok) return body
  const headers = readHeaders(fields[`headers_${status}`], `headers_${status}`)
  if (!headers.ok) return headers
  return ok({ method, url: url.value, body: body.value, headers: headers.value })
}

/** Header values may hold credentials: shown masked. */
function maskedSpec(value: string, status: AlertStatus) {
  const spec = parseWebhookValue(value, status)
  const headers = Object.fromEntries(
    Object.entries(spec.headers).map(([k, v]) => [k, v.length > 8 ? `…${v.slice(-4)}` : '…']),
  )
  return { method: spec.method, url: spec.url, body: spec.body, headers }
}

export const webhookIntegration: Integration = {
  kind: 'webhook',
  label: 'Webhook',
  formFields: (['down', 'up'] as const).flatMap((dir) => [
    { name: `url_${dir}`, label: `URL for "${dir}"`, type: 'url' as const },
    {
      name: `method_${dir}`,
      label: `Method for "${dir}"`,
      type: 'select' as const,
      options: ['GET', 'POST', 'PUT'].map((m) => ({ value: m, label: m })),
    },
    { name: `body_${dir}`, label: `Body for "${dir}"`, type: 'textarea' as const },
    {
      name: `headers_${dir}`,
      label: `Headers for "${dir}"`,
      type: 'textarea' as const,
      help: 'One Name: value per line.',
    },
  ]),

  unavailableReason: (config) =>
    config.webhooksEnabled ? null : 'Webhook notifications are not enabled.',

  /** `{method_down, url_down, body_down, headers_down, method_up, …}`; at least one URL. */
  // Headers are stored as an object; the form edits them as "Name: value" lines.
  formValues(value) {
    const doc = jsonObject(value)
    for (const dir of ['down', 'up']) {
      const h = doc[`headers_${dir}`]
      if (h && typeof h === 'object')
        doc[`headers_${dir}`] = Object.entries(h)
          .map(([name, v]) => `${name}: ${String(v)}`)
          .join('\n')
    }
    return doc
  },
  parseConfig(input) {
    const f = fieldsOf(input, 'url_down')
    if (!f.ok) return f
    const down = readDirection(f.value, 'down')
    if (!down.ok) return down
    const up = readDirection(f.value, 'up')
    if (!up.ok) return up
    if (!down.value.url && !up.value.url)
      return problem('url_down', 'at least one of url_down and url_up is required')
    return ok(
      JSON.stringify({
        method_down: down.value.method,
        url_down: down.value.url,
        body_down: down.value.body,
        headers_down: down.value.headers,
        method_up: up.value.method,
        url_up: up.value.url,
        body_up: up.value.body,
        headers_up: up.value.headers,
      }),
    )
  },

  maskedConfig(value) {
    const down = maskedSpec(value, 'down')
    const up = maskedSpec(value, 'up')
    return {
      method_down: down.method,
      url_down: down.url,
      body_down: down.body,
      headers_down: down.headers,
      method_up: up.method,
      url_up: up.url,
      body_up: up.body,
      headers_up: up.headers,
    }
  },

  isNoop(value: string, status: AlertStatus): boolean {
    return parseWebhookValue(value, status).url === ''
  },

  rendersGroups: true,

  async deliver(ctx: Ctx, input: DeliveryInput): Promise<DeliveryResult> {
    const { channel, check, flip, notification, group } = input
    if (!ctx.config.webhooksEnabled) {
      return { ok: false, error: 'Webhook notifications are not enabled.', permanent: true }
    }
    // A group goes to the "down" request when any check in it is down (group-message.ts).
    const status = group ? groupStatus(group) : notification.check_status === 'up' ? 'up' : 'down'
    // A warning goes to the down URL, with $STATUS "late" (or "warning") and $WARNING/$DETAIL.
    const warning = await loadWarningFacts(ctx, notification)
    const spec = parseWebhookValue(channel.value, status)
    if (!spec.url) return { ok: false, error: 'Empty webhook URL', permanent: true }

    const sendsBody = spec.body !== '' && (spec.method === 'POST' || spec.method === 'PUT')
    const templates = [spec.url, ...Object.values(spec.headers), ...(sendsBody ? [spec.body] : [])]
    const flipTime = flip?.created ?? notification.created
    const values: TemplateValues = {
      code: check.code,
      status: warning ? warning.word.toLowerCase() : status,
      warning: warning?.kind ?? '',
      detail: warning?.detail ?? '',
      now: isoSeconds(flipTime),
      name: check.name,
      slug: check.slug,
      tags: check.tags,
      json: pythonJsonDumps(
        checkJson(check, {
          config: ctx.config,
          version: 3,
          readonly: false,
          channelCodes: await channelCodes(ctx, check.id),
          dependsOn: await dependsOnOf(ctx.db.kysely, check.id),
          now: ctx.clock.now(),
        }),
      ),
      lastPing: null,
      reason: status === 'down' ? reasonLong(flip) : '',
    }
    if (templates.some((t) => t.includes('$CHECKS')))
      values.checks = pythonJsonDumps(groupChecksJson(group ?? singleGroup(ctx, input)))
    if (needsLastPing(templates)) {
      const ping = await findLastPing(ctx, check.id, flip?.created ?? null)
      values.lastPing = ping ? { body: pingBodyText(ping), exitstatus: ping.exitstatus } : null
    }
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(spec.headers)) {
      headers[name] = renderWebhookTemplate(value, values, 'header')
    }
    const r = await sendOutbound({
      method: spec.method,
      url: renderWebhookTemplate(spec.url, values, 'url'),
      headers,
      body: sendsBody
        ? Buffer.from(renderWebhookTemplate(spec.body, values, 'body'), 'utf8')
        : null,
      timeoutMs: ctx.config.webhookTimeoutMs,
      allowPrivateIps: ctx.config.integrationsAllowPrivateIps,
    })
    if (!r.ok) {
      // Configuration errors do not heal by waiting; the rest (DNS, timeouts, resets) may.
      const permanent =
        r.error === 'Invalid URL' ||
        r.error === PRIVATE_IP_ERROR ||
        r.error.startsWith('Unsupported URL scheme')
      return { ok: false, error: r.error, permanent }
    }
    const code = r.response.status
    if (SUCCESS.has(code)) return { ok: true }
    const transient = code === 429 || code >= 500
    return { ok: false, error: statusError(code, r.response.body), permanent: !transient }
  },
}
