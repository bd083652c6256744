/**
 * What a user can prove their identity with (password, TOTP, security keys, recovery codes, a
 * verified phone, an OIDC identity), read from the database, and the re-authentication methods
 * that follow from it on this server (reauth-methods.ts decides; this module only gathers facts).
 */
import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { mailLooksUsable, mailStatus } from '../../mail/index.js'
import { smsCapability } from '../codes/sms-capability.js'
import { issuerVariants } from '../oidc/oidc-identities.js'
import { type ReauthMethod, reauthMethods, type UserFactors } from '../sudo/reauth-methods.js'
import { webauthnCapability } from './security-keys/webauthn-capability.js'

export async function loadFactors(
  ctx: Ctx,
  user: Pick<User, 'id' | 'password_hash'>,
): Promise<UserFactors> {
  const k = ctx.db.kysely
  const oidc = ctx.config.accounts.oidc
  const [totp, codes, keys, allKeys, phone, identity] = await Promise.all([
    k.selectFrom('user_totp').select('user_id').where('user_id', '=', user.id).executeTakeFirst(),
    k
      .selectFrom('recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', user.id)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow(),
    k
      .selectFrom('webauthn_credentials')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', user.id)
      .where('rp_id', '=', ctx.config.accounts.webauthnRpId)
      .executeTakeFirstOrThrow(),
    k
      .selectFrom('webauthn_credentials')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow(),
    k.selectFrom('users').select('phone_verified_at').where('id', '=', user.id).executeTakeFirst(),
    oidc
      ? k
          .selectFrom('oidc_identities')
          .select('id')
          .where('user_id', '=', user.id)
          .where('issuer', 'in', issuerVariants(oidc.issuer))
          .executeTakeFirst()
      : undefined,
  ])
  return {
    password: user.password_hash !== null,
    totp: totp !== undefined,
    recoveryCodes: Number(codes.n),
    webauthnKeys: Number(keys.n),
    otherRpKeys: Number(allKeys.n) - Number(keys.n),
    verifiedPhone: phone?.phone_verified_at != null,
    oidc: identity !== undefined,
  }
}

/** The methods this user may confirm with now, for an action of class S or D (RA-4/RA-5). */
export async function availableReauthMethods(
  ctx: Ctx,
  user: Pick<User, 'id' | 'password_hash'>,
  downgrade: boolean,
): Promise<{ factors: UserFactors; methods: ReauthMethod[] }> {
  const factors = await loadFactors(ctx, user)
  const methods = reauthMethods(factors, {
    // RA-4: e-mailed codes only while mail is healthy or not yet known (MAIL-1).
    mailCanGo: mailLooksUsable(await mailStatus(ctx)),
    webauthnEnabled: webauthnCapability(ctx.config).enabled,
    emailCodeMode: ctx.config.accounts.reauthEmailCode,
    smsCanGo: (await smsCapability(ctx)).enabled,
    downgrade,
  })
  return { factors, methods }
}
