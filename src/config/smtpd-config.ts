/**
 * Settings of the inbound SMTP server that turns mail into pings (`vigil smtpd`, spec §3.6).
 * Healthchecks' names: PING_EMAIL_DOMAIN and SMTPD_PORT; Vigil adds the message size and
 * connection caps. Parsed with the readers config.ts passes in, so one set of rules applies.
 */
import type { Env } from './config.js'
import type { EnvReaders } from './integrations-config.js'

export interface SmtpdConfig {
  /**
   * PING_EMAIL_DOMAIN: the domain of ping addresses (`<uuid>@domain`, `<ping-key>+<slug>@domain`);
   * null when unset: the check pages show no address and the server uses `localhost`, as
   * Healthchecks' default does.
   */
  pingEmailDomain: string | null
  /** SMTPD_PORT: start the SMTP server on this port with `serve --role all`; null = not started. */
  port: number | null
  /** SMTPD_MAX_MESSAGE_SIZE: bytes of one message (SIZE); larger ones get 552 (default 1 MiB). */
  maxMessageSize: number
  /** SMTPD_MAX_CONNECTIONS: concurrent SMTP connections; more get 421 (default 100). */
  maxConnections: number
}

const DOMAIN_RE =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/

export function smtpdConfig(env: Env, r: EnvReaders): SmtpdConfig {
  const domain = (env.PING_EMAIL_DOMAIN ?? '').trim().toLowerCase()
  if (domain !== '' && !DOMAIN_RE.test(domain))
    r.fail('PING_EMAIL_DOMAIN', `not a domain name: "${env.PING_EMAIL_DOMAIN}"`)
  const portGiven = (env.SMTPD_PORT ?? '').trim() !== ''
  return {
    pingEmailDomain: domain || null,
    port: portGiven ? r.int(env, 'SMTPD_PORT', 2525, 0, 65535) : null,
    maxMessageSize: r.int(env, 'SMTPD_MAX_MESSAGE_SIZE', 1024 * 1024, 1024, 100 * 1024 * 1024),
    maxConnections: r.int(env, 'SMTPD_MAX_CONNECTIONS', 100, 1, 100_000),
  }
}
