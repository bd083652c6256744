/**
 * The webhook channel: the user's method, URL, headers and body for the flip's direction,
 * templated (webhook-template.ts) and sent through the private-address guard. Success is 200,
 * 201, 202 or 204; 429, 5xx and network errors are worth retrying, other answers are not.
 * Mirrors hc/integrations/webhook/transport.py; retries belong to the worker, not here.
 */
import { checkJson, isoSeconds } from '../checks/json.js'
import type { Ctx } from '../context.js'
import type { AlertStatus, DeliveryInput, DeliveryResult, Integration } from './integration.js'
import { findLastPing, pingBodyText } from './last-ping.js'
import { PRIVATE_IP_ERROR, sendOutbound } from './outbound-http.js'
import { parseWebhookValue } from './webhook-spec.js'
import {
  needsLastPing,
  pythonJsonDumps,
  renderWebhookTemplate,
  type TemplateValues,
} from './webhook-template.js'

const SUCCESS = new Set([200, 201, 202, 204])

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

export const webhookIntegration: Integration = {
  kind: 'webhook',

  isNoop(value: string, status: AlertStatus): boolean {
    return parseWebhookValue(value, status).url === ''
  },

  async deliver(
    ctx: Ctx,
    { channel, check, flip, notification }: DeliveryInput,
  ): Promise<DeliveryResult> {
    if (!ctx.config.webhooksEnabled) {
      return { ok: false, error: 'Webhook notifications are not enabled.', permanent: true }
    }
    const status = notification.check_status === 'up' ? 'up' : 'down'
    const spec = parseWebhookValue(channel.value, status)
    if (!spec.url) return { ok: false, error: 'Empty webhook URL', permanent: true }

    const sendsBody = spec.body !== '' && (spec.method === 'POST' || spec.method === 'PUT')
    const templates = [spec.url, ...Object.values(spec.headers), ...(sendsBody ? [spec.body] : [])]
    const flipTime = flip?.created ?? notification.created
    const values: TemplateValues = {
      code: check.code,
      status,
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
          now: ctx.clock.now(),
        }),
      ),
      lastPing: null,
    }
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
