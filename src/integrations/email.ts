/**
 * The email channel: renders the alert and puts it in the mail outbox linked to the notification;
 * the outbox sender (mail/) marks the notification sent or failed when the mail goes, so no
 * worker step waits on SMTP. Value: JSON `{"value","up","down"}` or, legacy, a bare address.
 * Mirrors Healthchecks' Email transport (is_noop per up/down toggle, "Email not verified") and
 * its bounce id `n.<notification uuid>` for the envelope sender.
 */
import type { Ctx } from '../context.js'
import {
  BOUNCE_ID_HEADER,
  channelUnsubscribeLink,
  enqueueMail,
  signBounceId,
  unsubscribeHeaders,
} from '../mail/index.js'
import { ok } from '../result.js'
import { fieldsOf, readBool, readString } from './channel-input.js'
import { renderAlertEmail } from './email-message.js'
import { renderGroupEmail } from './group-message.js'
import type { AlertStatus, DeliveryInput, DeliveryResult, Integration } from './integration.js'
import { findLastPing } from './last-ping.js'
import { loadWarningFacts } from './warning-facts.js'

export interface EmailValue {
  address: string
  up: boolean
  down: boolean
}

export function parseEmailValue(value: string): EmailValue {
  if (value.trim().startsWith('{')) {
    try {
      const doc = JSON.parse(value) as { value?: unknown; up?: unknown; down?: unknown }
      return {
        address: typeof doc.value === 'string' ? doc.value : '',
        up: doc.up !== false,
        down: doc.down !== false,
      }
    } catch {
      // Fall through: treat as an address, which then fails visibly on sending.
    }
  }
  return { address: value.trim(), up: true, down: true }
}

export function isNoopFor(value: string, status: AlertStatus): boolean {
  const v = parseEmailValue(value)
  return status === 'down' ? !v.down : !v.up
}

const ADDRESS: [RegExp, string] = [/^[^@\s<>,;]+@[^@\s<>,;]+$/, 'must be an email address']

export const emailIntegration: Integration = {
  kind: 'email',
  label: 'Email',
  formFields: [
    { name: 'value', label: 'Email address', type: 'text', required: true },
    { name: 'down', label: 'Send a message when a check goes down', type: 'checkbox' },
    { name: 'up', label: 'Send a message when a check comes back up', type: 'checkbox' },
  ],

  unavailableReason: () => null,

  /** `{"value": address, "up": bool, "down": bool}` (or a bare address); stored as Healthchecks. */
  parseConfig(input) {
    const f = fieldsOf(input, 'address')
    if (!f.ok) return f
    // `address` is the API's documented field; `value` is what Healthchecks stores and shows.
    const field = f.value.address === undefined && f.value.value !== undefined ? 'value' : 'address'
    const address = readString(f.value, field, { max: 254, pattern: ADDRESS })
    if (!address.ok) return address
    const up = readBool(f.value, 'up', true)
    if (!up.ok) return up
    const down = readBool(f.value, 'down', true)
    if (!down.ok) return down
    return ok(JSON.stringify({ value: address.value, up: up.value, down: down.value }))
  },

  maskedConfig(value) {
    const v = parseEmailValue(value)
    return { address: v.address, value: v.address, up: v.up, down: v.down }
  },

  isNoop: isNoopFor,

  rendersGroups: true,

  async deliver(ctx: Ctx, input: DeliveryInput): Promise<DeliveryResult> {
    const { channel, check, flip, notification } = input
    if (!channel.email_verified) return { ok: false, error: 'Email not verified', permanent: true }
    const { address } = parseEmailValue(channel.value)
    if (!address.includes('@'))
      return { ok: false, error: 'Invalid email address', permanent: true }
    const project = await ctx.db.kysely
      .selectFrom('projects')
      .select('name')
      .where('id', '=', check.project_id)
      .executeTakeFirst()
    const now = ctx.clock.now()
    const unsubscribeLink = channelUnsubscribeLink(
      ctx.config.siteRoot,
      channel.code,
      ctx.config.secretKey,
      now,
    )
    const message = input.group
      ? renderGroupEmail(input.group)
      : renderAlertEmail({
          check,
          projectName: project?.name ?? '',
          status: notification.check_status === 'up' ? 'up' : 'down',
          flip,
          lastPing: await findLastPing(ctx, check.id, flip?.created ?? null),
          siteRoot: ctx.config.siteRoot,
          siteName: ctx.config.siteName,
          unsubscribeLink,
          warning: await loadWarningFacts(ctx, notification),
        })
    await enqueueMail(
      ctx.db,
      {
        to: address,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: {
          'X-Vigil-Notification': notification.code,
          // RFC 8058 one-click: the mail client POSTs the link (web/unsubscribe-routes.tsx).
          ...unsubscribeHeaders(unsubscribeLink),
          // The envelope sender's part with EMAIL_MAIL_FROM_TMPL; the outbox never sends it as a
          // header. A bounce then names this notification (api/record-bounce.ts).
          [BOUNCE_ID_HEADER]: signBounceId(`n.${notification.code}`, ctx.config.secretKey, now),
        },
        notificationId: notification.id,
      },
      now,
    )
    return { ok: true, handedOff: 'mail-outbox' }
  },
}
