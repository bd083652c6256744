/**
 * The `sms` capability of confirming it's you by text message (spec RA-4 item 6, 5.17 SMS-*,
 * DOC-4): `enabled` only with SMS_REAUTH_ENABLED, complete Twilio settings (SMS-001) and no
 * stored verdict that Twilio rejected these very credentials (SMS-002, from `vigil doctor
 * --network` or an interactive send answered 401). The verdict carries a fingerprint of the
 * credentials, so fixing them turns the capability back on without another probe.
 */
import { type Config, canSendSms } from '../../config/index.js'
import type { Ctx } from '../../context.js'
import { readStatus, writeStatus } from '../../db/index.js'
import { sha256Hex } from '../../tokens.js'

const KEY = 'sms.credentials'

export type SmsCapability =
  | { enabled: true }
  | { enabled: false; reason: 'off' | 'unconfigured' | 'credentials-rejected' }

interface CredentialVerdict {
  fingerprint: string
  rejected: boolean
  at: number
}

/** A digest of the Twilio account and token: enough to tell settings apart, useless to anyone. */
function credentialFingerprint(config: Config): string {
  const t = config.integrations
  return sha256Hex(`${t.twilioAccount ?? ''}:${t.twilioAuth ?? ''}`).slice(0, 16)
}

/** What the settings alone allow: the account page and the doctor ask this. */
export function smsReauthConfigured(config: Config): boolean {
  return config.accounts.smsReauthEnabled && canSendSms(config)
}

export async function smsCapability(ctx: Ctx): Promise<SmsCapability> {
  if (!ctx.config.accounts.smsReauthEnabled) return { enabled: false, reason: 'off' }
  if (!canSendSms(ctx.config)) return { enabled: false, reason: 'unconfigured' }
  if (await twilioCredentialsRejected(ctx))
    return { enabled: false, reason: 'credentials-rejected' }
  return { enabled: true }
}

/** True when Twilio last rejected the credentials configured now (SMS-002). */
export async function twilioCredentialsRejected(ctx: Ctx): Promise<boolean> {
  const v = await readStatus<CredentialVerdict>(ctx, KEY)
  return v?.rejected === true && v.fingerprint === credentialFingerprint(ctx.config)
}

/** Keeps Twilio's verdict on the current credentials for every process (system_status). */
export async function recordTwilioCredentials(
  ctx: Ctx,
  rejected: boolean,
  now: number,
): Promise<void> {
  const verdict: CredentialVerdict = {
    fingerprint: credentialFingerprint(ctx.config),
    rejected,
    at: now,
  }
  await writeStatus(ctx, KEY, verdict, now)
}
