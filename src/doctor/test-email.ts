/**
 * "Send test email" for `vigil doctor --send-test-email` and the admin page: one real message
 * through the configured SMTP server, with the SMTP transcript (credentials redacted) so an
 * operator sees where delivery stops. Never throws: the outcome is a value.
 */
import nodemailer from 'nodemailer'
import type { Config } from '../config/index.js'
import { smtpTransportOptions } from '../mail/index.js'

export interface TestEmailResult {
  ok: boolean
  /** One line: the server's answer, or what went wrong. */
  summary: string
  /** `C: …` / `S: …` lines; AUTH arguments replaced by `/* redacted *\/`. */
  transcript: string[]
}

/** Collects nodemailer's client/server log lines, hiding what AUTH sends. */
function transcriptLogger(lines: string[]) {
  let inAuth = false
  const log = (entry: { tnx?: string }, message: string, ...args: unknown[]) => {
    let text = String(message)
    for (const a of args) text = text.replace(/%[sdj]/, String(a))
    if (entry?.tnx === 'client') {
      if (/^AUTH\s/i.test(text)) {
        inAuth = true
        lines.push(`C: ${text.replace(/^(AUTH\s+\S+).*$/i, '$1')} /* redacted */`)
        return
      }
      lines.push(inAuth ? 'C: /* redacted */' : `C: ${text}`)
    } else if (entry?.tnx === 'server') {
      if (/^(2[0-9][0-9]|5[0-9][0-9])/.test(text) && !/^334/.test(text)) inAuth = false
      lines.push(`S: ${text}`)
    }
  }
  return { trace: log, debug: log, info: log, warn: log, error: log, fatal: log }
}

export async function sendTestEmail(config: Config, to: string): Promise<TestEmailResult> {
  const transcript: string[] = []
  if (!config.smtp) {
    return {
      ok: false,
      summary: 'Email is not configured (set EMAIL_HOST and friends).',
      transcript,
    }
  }
  const transport = nodemailer.createTransport({
    ...smtpTransportOptions(config),
    logger: transcriptLogger(transcript),
    debug: true,
  })
  try {
    const info = await transport.sendMail({
      from: config.defaultFromEmail,
      to,
      subject: `${config.siteName}: test email`,
      text: `This message proves that ${config.siteName} (${config.siteRoot}) can send email.`,
    })
    return {
      ok: true,
      summary: `accepted by ${config.smtp.host} for ${to} (${info.response})`,
      transcript,
    }
  } catch (e) {
    return { ok: false, summary: `failed: ${(e as Error).message}`, transcript }
  } finally {
    transport.close()
  }
}
