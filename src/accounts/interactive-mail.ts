/**
 * Interactive mail (spec MAIL-3): one synchronous attempt, capped in time, whose outcome the user
 * is told at once; used only for the e-mailed confirmation code, which is worthless later. Never
 * tried without SMTP settings (MAIL-6). Everything else goes through the outbox (mail/).
 */
import nodemailer from 'nodemailer'
import { canSendMail } from '../config/index.js'
import type { Ctx } from '../context.js'
import { smtpTransportOptions } from '../mail/index.js'

export type InteractiveFailure = 'unconfigured' | 'failed'

/** Whole-send cap (MAIL-2: 15 s), whatever EMAIL_TIMEOUT says for single steps. */
const SEND_CAP_MS = 15_000

export async function sendInteractiveMail(
  ctx: Ctx,
  mail: { to: string; subject: string; text: string },
): Promise<{ ok: true } | { ok: false; reason: InteractiveFailure }> {
  if (!canSendMail(ctx.config)) return { ok: false, reason: 'unconfigured' }
  const transport = nodemailer.createTransport(smtpTransportOptions(ctx.config))
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      transport.sendMail({ from: ctx.config.defaultFromEmail, ...mail }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('interactive send timed out')), SEND_CAP_MS)
      }),
    ])
    return { ok: true }
  } catch (e) {
    // The reason goes to the log for the operator, never to the user (INV-3).
    ctx.log.warn({ err: e, to: mail.to }, 'mail.delivery_failed (interactive)')
    return { ok: false, reason: 'failed' }
  } finally {
    clearTimeout(timer)
    transport.close()
  }
}
