/**
 * SEC-003: notices that SECRET_KEY changed between starts. The fingerprint is an HMAC of a fixed
 * text keyed by SECRET_KEY, stored at each start in `system_status`; it reveals nothing of the key.
 * Healthchecks has no such check: a changed key there silently logs everyone out.
 */
import { createHmac } from 'node:crypto'
import type { Ctx } from '../context.js'
import { readStatus, writeStatus } from '../db/index.js'
import type { Finding } from './findings.js'

const KEY = 'secret.fingerprint'
/** How long after a change the admin page keeps showing SEC-003. */
export const SECRET_CHANGE_NOTICE_MS = 24 * 3600_000

interface Stored {
  fp: string
  /** When a start saw a different fingerprint than the stored one; null = never changed. */
  changedAt: number | null
}

export function secretFingerprint(secretKey: string): string {
  return createHmac('sha256', secretKey).update('vigil secret-key fingerprint v1').digest('hex')
}

function changedFinding(when: number | null): Finding {
  return {
    id: 'SEC-003',
    severity: 'warning',
    message: `SECRET_KEY differs from the one this instance ran with${when === null ? '' : ` (changed ${new Date(when).toISOString()})`}: hashed API keys, login links and sessions are now invalid; TOTP secrets need ENCRYPTION_KEY.`,
    hint: 'If the change was not intended, restore the previous SECRET_KEY. Otherwise tell users to log in again; keep ENCRYPTION_KEY unchanged so TOTP secrets stay readable.',
  }
}

/** At start: compares with the stored fingerprint, stores the current one, returns SEC-003 if it changed. */
export async function recordSecretFingerprint(ctx: Ctx): Promise<Finding | null> {
  const now = ctx.clock.now()
  const fp = secretFingerprint(ctx.config.secretKey)
  const stored = await readStatus<Stored>(ctx, KEY)
  if (stored?.fp === fp) return null
  const changed = stored !== null
  await writeStatus(ctx, KEY, { fp, changedAt: changed ? now : null } satisfies Stored, now)
  return changed ? changedFinding(now) : null
}

/** For doctor and the admin page: a pending change (not yet started with) or a recent one. */
export async function secretFingerprintFinding(ctx: Ctx, now: number): Promise<Finding | null> {
  const stored = await readStatus<Stored>(ctx, KEY)
  if (!stored) return null
  if (stored.fp !== secretFingerprint(ctx.config.secretKey)) return changedFinding(null)
  if (stored.changedAt !== null && now - stored.changedAt < SECRET_CHANGE_NOTICE_MS)
    return changedFinding(stored.changedAt)
  return null
}
