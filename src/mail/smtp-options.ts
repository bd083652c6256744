/**
 * nodemailer transport options from the configuration, shared by the outbox sender and doctor.
 * EMAIL_USE_SSL = implicit TLS; EMAIL_USE_TLS = STARTTLS required (Healthchecks' meaning).
 */
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js'
import type { Config } from '../config/index.js'

export function smtpTransportOptions(config: Config): SMTPTransport.Options {
  const smtp = config.smtp
  if (!smtp) throw new Error('smtpTransportOptions called without SMTP configuration')
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.useSsl,
    requireTLS: smtp.useTls,
    ignoreTLS: !smtp.useTls && !smtp.useSsl,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
    connectionTimeout: config.smtpTimeoutMs,
    greetingTimeout: config.smtpTimeoutMs,
    socketTimeout: config.smtpTimeoutMs,
    // A private CA is trusted when given (EMAIL_TLS_CA_FILE); verification is never switched off.
    ...(config.emailTlsCa ? { tls: { ca: config.emailTlsCa.pem } } : {}),
  }
}
