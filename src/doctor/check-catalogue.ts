/**
 * Every doctor check by id (spec accounts.md 5.17 plus the older `vigil.E00x`), with what it
 * looks at and where it runs: the admin page lists them all, passing or not, from this table.
 * The findings themselves come from findings.ts and its helpers.
 */

export type CheckSource = 'config' | 'database' | 'network' | 'traffic'

export interface CheckInfo {
  id: string
  /** What the check looks at, in a few words. */
  title: string
  source: CheckSource
}

export const CHECKS: readonly CheckInfo[] = [
  { id: 'SEC-001', title: 'SECRET_KEY is not a placeholder', source: 'config' },
  { id: 'SEC-002', title: 'SECRET_KEY has at least 32 characters', source: 'config' },
  { id: 'SEC-003', title: 'SECRET_KEY unchanged since the last start', source: 'database' },
  { id: 'SEC-004', title: 'DEBUG off on a public SITE_ROOT', source: 'config' },
  { id: 'SEC-005', title: 'Header auth only behind a trusted proxy', source: 'config' },
  { id: 'SEC-006', title: 'Secure cookies on an https SITE_ROOT', source: 'config' },
  { id: 'SITE-001', title: 'SITE_ROOT is a plain http(s) URL', source: 'config' },
  { id: 'SITE-002', title: 'SITE_ROOT is not localhost', source: 'config' },
  { id: 'SITE-003', title: 'Requests arrive at the SITE_ROOT origin', source: 'traffic' },
  { id: 'SITE-004', title: 'https SITE_ROOT behind a trusted proxy', source: 'traffic' },
  { id: 'SITE-005', title: 'ALLOWED_HOSTS includes the SITE_ROOT host', source: 'config' },
  { id: 'MAIL-001', title: 'Email is configured', source: 'config' },
  { id: 'MAIL-002', title: 'DEFAULT_FROM_EMAIL is a real sender', source: 'config' },
  { id: 'MAIL-003', title: 'EMAIL_PORT matches the TLS mode', source: 'config' },
  { id: 'MAIL-004', title: 'EMAIL_HOST resolves', source: 'network' },
  { id: 'MAIL-005', title: 'SMTP server reachable', source: 'network' },
  { id: 'MAIL-006', title: 'SMTP server greets in time', source: 'network' },
  { id: 'MAIL-007', title: 'SMTP TLS certificate verifies', source: 'network' },
  { id: 'MAIL-008', title: 'SMTP authentication works', source: 'network' },
  { id: 'MAIL-009', title: 'Sender address accepted', source: 'network' },
  { id: 'MAIL-010', title: 'Recent sends succeed', source: 'database' },
  { id: 'WEBAUTHN-001', title: 'RP ID matches SITE_ROOT', source: 'config' },
  { id: 'WEBAUTHN-002', title: 'RP ID is not a public suffix', source: 'config' },
  { id: 'WEBAUTHN-003', title: 'Security keys served over https', source: 'config' },
  { id: 'WEBAUTHN-004', title: 'Registered security keys usable', source: 'database' },
  { id: 'WEBAUTHN-005', title: 'Security keys match the RP ID', source: 'database' },
  { id: 'SMS-001', title: 'Twilio fully configured or off', source: 'config' },
  { id: 'SMS-002', title: 'Twilio accepts the credentials', source: 'network' },
  { id: 'TIME-001', title: 'Clock agrees with the database', source: 'database' },
  { id: 'REG-001', title: 'Sign-up works without email', source: 'config' },
  { id: 'OIDC-001', title: 'OIDC fully configured or off', source: 'config' },
  { id: 'OIDC-002', title: 'OIDC provider reachable', source: 'network' },
  { id: 'OBJ-001', title: 'Object storage bucket takes ping bodies', source: 'network' },
  { id: 'OBJ-002', title: 'No ping bodies waiting for object storage', source: 'database' },
  { id: 'ACC-001', title: 'Someone can log in', source: 'database' },
  { id: 'vigil.E001', title: 'Database answers', source: 'database' },
  { id: 'vigil.E002', title: 'Migrations applied', source: 'database' },
  { id: 'vigil.E003', title: 'A worker is running', source: 'database' },
  { id: 'WORKER-001', title: 'No recent worker outage', source: 'database' },
  { id: 'SMTPD-001', title: 'Ping-by-email server has a domain', source: 'config' },
]
