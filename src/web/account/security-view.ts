/** Loads the view-model of /account/security (security-page.tsx) for one user. */
import {
  availableReauthMethods,
  listSecurityKeys,
  maskPhoneNumber,
  passkeyLoginCapability,
  recoveryCodeStatus,
  smsReauthConfigured,
  verifiedPhone,
  webauthnCapability,
} from '../../accounts/index.js'
import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import type { SecurityView } from './security-page.js'

export async function loadSecurityView(
  ctx: Ctx,
  user: User,
  notices: Pick<SecurityView, 'notice' | 'usedRecoveryCode' | 'notEmailed'>,
): Promise<SecurityView> {
  const { factors, methods } = await availableReauthMethods(ctx, user, false)
  const codes = await recoveryCodeStatus(ctx, user.id)
  const keys = await listSecurityKeys(ctx, user.id)
  const phone = await verifiedPhone(ctx, user.id)
  const smsConfigured = smsReauthConfigured(ctx.config)
  return {
    ...notices,
    totp: factors.totp,
    webauthnKeys: factors.webauthnKeys,
    codesLeft: codes.left,
    keys: keys.map((k) => ({
      id: k.id,
      name: k.name,
      passkey: k.passkey,
      created: k.created,
      last_used_at: k.last_used_at,
      otherDomain: k.rp_id !== ctx.config.accounts.webauthnRpId,
    })),
    keysWork: webauthnCapability(ctx.config).enabled,
    passkeysWork: passkeyLoginCapability(ctx.config).enabled,
    showPhone: smsConfigured || phone !== null,
    smsConfigured,
    maskedPhone: phone ? maskPhoneNumber(phone.phone) : null,
    hasPassword: Boolean(user.password_hash),
    email: user.email,
    emailVerified: user.email_verified !== 0,
    blocked: methods.length === 0,
  }
}
