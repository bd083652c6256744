/**
 * Delivery reports from the outside, under /api/v1|v2|v3/ without an API key and without the
 * CORS wrapper, as Healthchecks: `POST notifications/<uuid>/status` (Twilio's StatusCallback;
 * other methods 405, a malformed uuid 404, anything else an empty 200) and `bounces/` (a raw
 * bounce mail; any method; always 200 with a short text). The work is in the use cases.
 */
import type { FastifyInstance } from 'fastify'
import type { Ctx } from '../context.js'
import type { RouteDoc } from '../route-doc.js'
import { notFound, sendReply } from './api-reply.js'
import { isUuid } from './path-params.js'
import { recordBounce } from './record-bounce.js'
import { recordDeliveryStatus } from './record-delivery-status.js'

/** The raw body (routes.ts keeps every body as bytes) as text. */
function bodyText(body: unknown): string {
  return Buffer.isBuffer(body) ? body.toString('utf8') : ''
}

/** The OpenAPI operations this file serves (src/api/openapi.ts joins them). */
export const DELIVERY_REPORT_ROUTE_DOCS: readonly RouteDoc[] = [
  {
    method: 'post',
    path: '/api/v3/notifications/{notification}/status',
    summary: "Delivery status callback (Twilio's StatusCallback)",
    description:
      'A form-encoded report on a notification sent in the last hour; Vigil passes this URL to ' +
      'Twilio with every SMS, WhatsApp message and phone call. `MessageStatus` failed or ' +
      "undelivered, or `CallStatus` failed, sets the notification error and the channel's " +
      'last error to "Delivery failed (status=…)."; a generic `error` field (cut to 200 ' +
      'characters) does the same, and with a non-empty `mark_disabled` also disables the ' +
      'channel. Other reports, and unknown or older notifications, change nothing.',
    access: 'public',
    tag: 'meta',
    responses: {
      '200': { description: 'Always, so the sender does not retry (empty body).' },
      '404': { description: 'A malformed notification UUID.' },
      '405': { description: 'A method other than POST.' },
    },
  },
  {
    method: 'post',
    path: '/api/v3/bounces/',
    summary: 'Bounce report of an alert or report email',
    description:
      'The raw bounce mail as the body. Its `To` local part must be a signed bounce id at most ' +
      '48 hours old (`n.<notification uuid>` or `r.<user id>`), or hold it where ' +
      '`EMAIL_MAIL_FROM_TMPL` puts it (`bounces+<id>@…` for `bounces+%s@…`): alert, report and ' +
      'reminder emails are sent with that address as their envelope sender when the setting is ' +
      'set, so mail servers return their bounces to it. DSN Status 5.x.x is permanent ' +
      '(the alert email channel is disabled; reports and reminders of the user are turned off), ' +
      '4.x.x and 5.4.4 transient (the error is recorded). Any method is accepted.',
    access: 'public',
    tag: 'meta',
    responses: {
      '200': {
        description:
          '`OK`, `OK (bad signature)`, `OK (ignored)`, `OK (notification not found)` or `OK (user not found)`.',
        media: 'text/plain',
      },
    },
  },
]

export function registerDeliveryReportRoutes(app: FastifyInstance, ctx: Ctx): void {
  app.all('/api/:version(v1|v2|v3)/notifications/:code/status', async (req, reply) => {
    const { code } = req.params as { code: string }
    if (!isUuid(code)) return sendReply(reply, notFound())
    if (req.method !== 'POST') return reply.code(405).send()
    const fields = new URLSearchParams(bodyText(req.body))
    await recordDeliveryStatus(ctx, { code, fields })
    return reply.code(200).type('text/html; charset=utf-8').send('')
  })
  app.all('/api/:version(v1|v2|v3)/bounces/', async (req, reply) => {
    const answer = await recordBounce(ctx, bodyText(req.body))
    return reply.type('text/html; charset=utf-8').send(answer)
  })
}
