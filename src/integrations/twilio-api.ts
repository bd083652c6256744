/**
 * One request to Twilio's REST API (Messages or Calls) for the SMS, WhatsApp and phone-call kinds:
 * a form POST to `TWILIO_API_URL/2010-04-01/Accounts/<sid>/<resource>.json` with HTTP Basic
 * account SID : auth token, after taking one unit of the project owner's monthly quota.
 * Error 21211 (invalid number) is permanent and disables the channel, as Healthchecks' Sms.
 * Every request carries `StatusCallback`: Twilio reports the final delivery status there
 * (api/delivery-report-routes.ts), as Healthchecks' Notification.status_url.
 */
import type { Ctx } from '../context.js'
import { deliverHttp, parseAnswer, statusFailure } from './http-delivery.js'
import type { DeliveryResult } from './integration.js'
import { type QuotaKind, sendQuotaNotice, takeOwnerQuota } from './owner-quota.js'

export function twilioAnswer(status: number, body: string): DeliveryResult | undefined {
  const doc = parseAnswer(body)
  if (status === 400 && doc?.code === 21211)
    return { ok: false, error: 'Invalid phone number', permanent: true, disableChannel: true }
  if (typeof doc?.message === 'string')
    return statusFailure(status, ` with a message: "${doc.message}"`)
  return undefined
}

/** Where Twilio posts a message's or call's delivery status: SITE_ROOT/api/v3/notifications/<code>/status. */
export function notificationStatusUrl(siteRoot: string, notificationCode: string): string {
  return `${siteRoot}/api/v3/notifications/${notificationCode}/status`
}

export async function sendTwilio(
  ctx: Ctx,
  request: {
    projectId: number
    resource: 'Messages' | 'Calls'
    quota: QuotaKind
    what: 'SMS' | 'WhatsApp' | 'phone call'
    /** The notification being delivered: its status callback URL is sent along. */
    notificationCode: string
    form: Record<string, string>
  },
): Promise<DeliveryResult> {
  const t = ctx.config.integrations
  const now = ctx.clock.now()
  if (!(await takeOwnerQuota(ctx, request.projectId, request.quota, now))) {
    await sendQuotaNotice(ctx, request.projectId, request.what, now)
    // Not retried: the quota refills only next month.
    const label = request.what === 'phone call' ? 'phone call' : 'SMS'
    return { ok: false, error: `Monthly ${label} limit exceeded`, permanent: true }
  }
  return deliverHttp(
    ctx,
    {
      url: `${t.twilioApiUrl}/2010-04-01/Accounts/${encodeURIComponent(t.twilioAccount ?? '')}/${request.resource}.json`,
      userUrl: false,
      form: {
        ...request.form,
        StatusCallback: notificationStatusUrl(ctx.config.siteRoot, request.notificationCode),
      },
      auth: { user: t.twilioAccount ?? '', password: t.twilioAuth ?? '' },
    },
    twilioAnswer,
  )
}
