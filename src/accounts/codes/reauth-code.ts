/**
 * The e-mailed confirmation code (spec OOB-1…OOB-3, RA-8/RA-9): 6 digits, kept on the session
 * row as HMAC-SHA256(SECRET_KEY, purpose‖session id‖code), good for 600 s and 5 wrong entries,
 * single use, resend after 60 s. Sent only when the user asks, never on a GET; unlike
 * Healthchecks' sudo e-mail, the page learns whether the send worked before saying so.
 * The texted codes (sms-code.ts) keep the same slot under their own purposes.
 */
import { createHmac, randomInt } from 'node:crypto'
import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { err, ok, type Result } from '../../result.js'
import { safeEqual } from '../../tokens.js'
import type { Session } from '../sessions/sessions.js'
import { sendInteractiveMail } from './interactive-mail.js'
import { takeOobSend } from './oob-send-limits.js'

/**
 * What a code is for (ASVS 6.6.2): the e-mailed and the texted sudo codes, and the code that
 * proves a phone number, bound to that number. A code made for one purpose never matches another.
 */
export type CodePurpose = 'reauth' | 'reauth-sms' | `phone:${string}`

export const REAUTH_CODE_TTL_MS = 600_000
const RESEND_AFTER_MS = 60_000
const MAX_WRONG = 5

function codeHash(
  secretKey: string,
  purpose: CodePurpose,
  sessionId: string,
  code: string,
): string {
  return createHmac('sha256', secretKey).update(`${purpose}|${sessionId}|${code}`).digest('hex')
}

/** 6 digits from a CSPRNG (OOB-1). */
export function newOobCode(): string {
  return String(randomInt(1_000_000)).padStart(6, '0')
}

/** Seconds until the session may be sent another code (OOB-2), or null when it may now. */
export function resendWaitSeconds(session: Session, now: number): number | null {
  if (session.oob_code_at === null || now - session.oob_code_at >= RESEND_AFTER_MS) return null
  return Math.ceil((session.oob_code_at + RESEND_AFTER_MS - now) / 1000)
}

/** Keeps the digest of a code that was sent; it replaces any previous code (OOB-2). */
export async function storeOobCode(
  ctx: Ctx,
  session: Session,
  purpose: CodePurpose,
  code: string,
  now: number,
): Promise<void> {
  await ctx.db.kysely
    .updateTable('sessions')
    .set({
      oob_code_hash: codeHash(ctx.config.secretKey, purpose, session.id, code),
      oob_code_at: now,
      oob_failures: 0,
    })
    .where('id', '=', session.id)
    .execute()
  session.oob_code_at = now
}

/** `a•••@example.org`: enough to recognise the address, not to harvest it. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split('@')
  return `${local.slice(0, 1)}•••@${domain}`
}

export type SendCodeError =
  | { kind: 'mail-unavailable' }
  | { kind: 'too-soon'; retryAfterSeconds: number }
  | { kind: 'rate-limited'; retryAfterSeconds: number }

/**
 * Makes a code, mails it, and keeps its digest on the session only if the mail went. `action`
 * completes "to …" in the mail (OOB-3), e.g. "change your password".
 */
export async function sendReauthCode(
  ctx: Ctx,
  user: User,
  session: Session,
  action = 'change your security settings',
): Promise<Result<{ maskedTo: string }, SendCodeError>> {
  const now = ctx.clock.now()
  const wait = resendWaitSeconds(session, now)
  if (wait !== null) return err({ kind: 'too-soon', retryAfterSeconds: wait })
  // RL-O1/RL-O2: e-mailed and texted codes share the per-user send limits.
  const limit = await takeOobSend(ctx, user.id, user.email.toLowerCase(), now)
  if (!limit.allowed)
    return err({ kind: 'rate-limited', retryAfterSeconds: limit.retryAfterSeconds })
  const code = newOobCode()
  const site = ctx.config.siteName
  const sent = await sendInteractiveMail(ctx, {
    to: user.email,
    verifiedRecipient: user.email_verified === 1,
    // MAIL-7: no code in the subject.
    subject: `${site} confirmation code`,
    text: [
      `Your ${site} confirmation code is: ${code}`,
      '',
      `It expires in 10 minutes. Enter it to confirm it's you, so you can ${action}.`,
      "If you didn't request this, change your password and review your sessions.",
    ].join('\n'),
  })
  if (!sent.ok) return err({ kind: 'mail-unavailable' })
  await storeOobCode(ctx, session, 'reauth', code, now)
  return ok({ maskedTo: maskEmail(user.email) })
}

export type CodeVerdict = 'ok' | 'wrong' | 'expired'

/** Checks an entered e-mailed code against the session's; a match or the fifth miss clears it. */
export function verifyReauthCode(
  ctx: Ctx,
  session: Session,
  code: string,
  now: number,
): Promise<CodeVerdict> {
  return verifyOobCode(ctx, session, 'reauth', code, now)
}

/** Checks an entered code made for `purpose`; a match or the fifth miss clears it (OOB-1). */
export async function verifyOobCode(
  ctx: Ctx,
  session: Session,
  purpose: CodePurpose,
  code: string,
  now: number,
): Promise<CodeVerdict> {
  const row = await ctx.db.kysely
    .selectFrom('sessions')
    .select(['oob_code_hash', 'oob_code_at', 'oob_failures'])
    .where('id', '=', session.id)
    .executeTakeFirst()
  if (!row || row.oob_code_hash === null || row.oob_code_at === null) return 'expired'
  if (now - row.oob_code_at > REAUTH_CODE_TTL_MS) return 'expired'
  const clear = { oob_code_hash: null, oob_failures: 0 }
  const entered = code.replace(/\s+/g, '')
  if (safeEqual(row.oob_code_hash, codeHash(ctx.config.secretKey, purpose, session.id, entered))) {
    // Single use: only the request that clears this very digest wins.
    const r = await ctx.db.kysely
      .updateTable('sessions')
      .set(clear)
      .where('id', '=', session.id)
      .where('oob_code_hash', '=', row.oob_code_hash)
      .executeTakeFirst()
    return Number(r.numUpdatedRows) === 1 ? 'ok' : 'expired'
  }
  const failures = row.oob_failures + 1
  await ctx.db.kysely
    .updateTable('sessions')
    .set(failures >= MAX_WRONG ? clear : { oob_failures: failures })
    .where('id', '=', session.id)
    .execute()
  return 'wrong'
}
