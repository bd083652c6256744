/**
 * Interactive mail (spec MAIL-3): one synchronous attempt, capped in time, whose outcome the user
 * is told at once; used for the sign-in link and the e-mailed confirmation code, worthless later.
 * Never tried without SMTP settings, and cut short while the mail status is `degraded` (MAIL-6).
 * Each outcome to a verified address feeds the mail status like an outbox send does (MAIL-1); a
 * send to an address nobody has proven (a sign-up) does not, so no visitor can degrade mail.
 * Everything else goes through the outbox (mail/).
 */
import nodemailer from 'nodemailer'
import { type Config, canSendMail } from '../../config/index.js'
import type { Ctx } from '../../context.js'
import {
  classifySendError,
  type MailStatus,
  mailStatus,
  newMessageId,
  recordInteractiveSend,
  type SendFailureReason,
  smtpTransportOptions,
} from '../../mail/index.js'

/** Why an interactive send did not go (MAIL-3); for the log and the caller, never for the user. */
export type InteractiveFailure = SendFailureReason

export interface InteractiveCaps {
  connectMs: number
  commandMs: number
  totalMs: number
}

/**
 * MAIL-2/MAIL-6: EMAIL_TIMEOUT (default 10 s) is the cap of each SMTP command; connecting gets half
 * of it (5 s) and the whole send one and a half times it (15 s). While mail is `degraded` the
 * whole attempt gets half of EMAIL_TIMEOUT (5 s), so a broken server costs the user little.
 */
export function interactiveCaps(config: Config, status: MailStatus): InteractiveCaps {
  const commandMs = config.smtpTimeoutMs
  const connectMs = Math.round(commandMs / 2)
  const totalMs = status === 'degraded' ? connectMs : Math.round(commandMs * 1.5)
  return {
    connectMs: Math.min(connectMs, totalMs),
    commandMs: Math.min(commandMs, totalMs),
    totalMs,
  }
}

class TotalTimeout extends Error {}

export interface InteractiveMail {
  to: string
  subject: string
  text: string
  /**
   * The address belongs to an account and is proven. Only then does the outcome count towards
   * the mail status (issue #11 F1): a relay refusing an address an anonymous visitor typed says
   * nothing about the relay, and must not switch flows to their no-mail fallbacks.
   */
  verifiedRecipient: boolean
}

export async function sendInteractiveMail(
  ctx: Ctx,
  { verifiedRecipient, ...mail }: InteractiveMail,
): Promise<{ ok: true } | { ok: false; reason: InteractiveFailure }> {
  if (!canSendMail(ctx.config)) return { ok: false, reason: 'unconfigured' }
  const result = await attemptSend(ctx, mail)
  if (!verifiedRecipient) return result
  try {
    await recordInteractiveSend(ctx, result.ok, ctx.clock.now())
  } catch (e) {
    // The user's answer does not depend on bookkeeping; the operator sees why it was lost.
    ctx.log.error({ err: e }, 'mail.status_record_failed (interactive)')
  }
  return result
}

async function attemptSend(
  ctx: Ctx,
  mail: { to: string; subject: string; text: string },
): Promise<{ ok: true } | { ok: false; reason: InteractiveFailure }> {
  const caps = interactiveCaps(ctx.config, await mailStatus(ctx))
  const transport = nodemailer.createTransport({
    ...smtpTransportOptions(ctx.config),
    connectionTimeout: caps.connectMs,
    greetingTimeout: caps.commandMs,
    socketTimeout: caps.commandMs,
  })
  // At the cap the signal ends the SMTP conversation, and the race answers even if it lingers.
  const abort = new AbortController()
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      transport.sendMail({
        from: ctx.config.defaultFromEmail,
        ...mail,
        messageId: newMessageId(ctx.config.defaultFromEmail),
        signal: abort.signal,
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          reject(new TotalTimeout('interactive send timed out'))
          abort.abort()
        }, caps.totalMs)
      }),
    ])
    return { ok: true }
  } catch (e) {
    const reason = e instanceof TotalTimeout ? 'timeout' : classifySendError(e)
    // The reason goes to the log for the operator, never to the user (INV-3).
    ctx.log.warn({ err: e, to: mail.to, reason }, 'mail.delivery_failed (interactive)')
    return { ok: false, reason }
  } finally {
    clearTimeout(timer)
    transport.close()
  }
}
