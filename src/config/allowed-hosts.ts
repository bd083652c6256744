/**
 * ALLOWED_HOSTS as Django applies it for Healthchecks (SITE-005 at start, every request at run
 * time): a comma list of host names, `.example.com` for it and its subdomains, `*` for any. Pure;
 * the request hook lives in app.ts and the doctor's finding in doctor/findings.ts.
 */
import type { Config } from './config.js'

/** Loopback names accepted when ALLOWED_HOSTS is unset (Django's DEBUG default, see below). */
const LOOPBACK_HOSTS = ['.localhost', '127.0.0.1', '[::1]']

/** Django's validate_host: `*`, an exact host, or `.example.com` for it and its subdomains. */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  return allowed.some(
    (a) =>
      a === '*' || a === host || (a.startsWith('.') && (host === a.slice(1) || host.endsWith(a))),
  )
}

/**
 * The hosts requests may name. ALLOWED_HOSTS when set; else, as Healthchecks, the SITE_ROOT host,
 * plus the loopback names. Those are an addition (Django allows them only with DEBUG): so that
 * `npm start` answers on both localhost and 127.0.0.1, and local cron jobs and container health
 * probes reach an instance that has a public SITE_ROOT. A Host naming loopback can't poison links
 * (they are built from SITE_ROOT, never from Host) and a DNS-rebinding page sends its own name.
 */
export function allowedHosts(config: Config): string[] {
  if (config.deployment.allowedHosts.length > 0) return config.deployment.allowedHosts
  return [new URL(config.siteRoot).hostname, ...LOOPBACK_HOSTS]
}

/**
 * The host name of a Host header without its port, lower-cased and without a trailing dot
 * (Django's split_domain_port); null when it is missing or malformed. IPv6 keeps its brackets.
 */
export function hostName(header: string | undefined): string | null {
  if (!header) return null
  const m = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:\d+)?$/.exec(header.toLowerCase())
  if (!m) return null
  const name = m[1].endsWith('.') ? m[1].slice(0, -1) : m[1]
  return name || null
}
