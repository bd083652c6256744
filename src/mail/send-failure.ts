/**
 * Why a mail did not go, in MAIL-3's words (`connect`, `auth`, `timeout`, …), and the texts a
 * notification row shows for it (MAIL-4). The words carry no host, port or server reply, so they
 * may be shown to users (INV-3); the full error goes to the log and the admin's outbox view.
 */

export type SendFailureReason =
  | 'unconfigured'
  | 'connect'
  | 'tls'
  | 'auth'
  | 'sender_rejected'
  | 'recipient_rejected'
  | 'timeout'
  | 'other'

/** Sorts a nodemailer error (or an abort at the caller's time cap) into MAIL-3's reasons. */
export function classifySendError(e: unknown): SendFailureReason {
  const x = (e ?? {}) as { code?: string; command?: string; name?: string; message?: string }
  const text = String(x.message ?? e)
  if (x.code === 'ETIMEDOUT' || x.code === 'EABORT' || /timed? ?out/i.test(text)) return 'timeout'
  if (x.code === 'EAUTH' || x.code === 'ENOAUTH') return 'auth'
  if (x.code === 'ETLS' || x.code === 'EREQUIRETLS' || /certificate|tls|ssl/i.test(text))
    return 'tls'
  if (x.command === 'MAIL FROM') return 'sender_rejected'
  if (x.command === 'RCPT TO') return 'recipient_rejected'
  if (x.code === 'ECONNECTION' || x.code === 'EDNS' || x.code === 'ESOCKET') return 'connect'
  return 'other'
}

/** MAIL-4: the error of a notification whose mail cannot go because SMTP is not set up. */
export const NOTIFICATION_MAIL_UNCONFIGURED = "Email isn't configured on this server"

/** MAIL-4: the error of a notification whose mail failed. */
export function notificationMailError(reason: SendFailureReason): string {
  return reason === 'unconfigured'
    ? NOTIFICATION_MAIL_UNCONFIGURED
    : `Email delivery failed: ${reason.replace('_', ' ')}`
}
