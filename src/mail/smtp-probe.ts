/**
 * Talks to the configured SMTP server without sending anything (connect, greeting, STARTTLS,
 * authentication) to tell whether mail can go. Bounded by EMAIL_TIMEOUT.
 */
import nodemailer from 'nodemailer'
import type { Config } from '../config/index.js'
import { smtpTransportOptions } from './smtp-options.js'

/** null when the server accepts us, else a short description of the problem. */
export async function probeSmtp(config: Config): Promise<string | null> {
  if (!config.smtp) return 'email is not configured'
  const transport = nodemailer.createTransport(smtpTransportOptions(config))
  try {
    await transport.verify()
    return null
  } catch (e) {
    return (e as Error).message
  } finally {
    transport.close()
  }
}
