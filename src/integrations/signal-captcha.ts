/**
 * When signal-cli answers RATE_LIMIT_FAILURE with a challenge token, as Healthchecks' Signal
 * transport: the operators (ADMINS) get the token and how to submit a solved CAPTCHA
 * (Channel.send_signal_captcha_alert), and the project owner gets the alert by email instead
 * (send_signal_rate_limited_notice). Vigil retries notifications, so each goes out once: the
 * admin mail once a day per challenge, the owner's copy once per notification.
 */
import { createHash } from 'node:crypto'
import type { Ctx } from '../context.js'
import { enqueueMail } from '../mail/index.js'
import { authorizeBucket } from '../ratelimit/index.js'
import { maskPhone } from './phone-value.js'

export const CAPTCHA_SUBJECT = 'Signal CAPTCHA proof required'
const ONCE_A_DAY = { capacity: 1, refillMs: 86_400_000 }

function onceKey(kind: string, value: string): string {
  return `${kind}-${createHash('sha1').update(value).digest('hex')}`
}

/** The challenge token of a rate-limit refusal, if signal-cli sent one. */
export function signalChallenge(reply: Record<string, unknown>): string | null {
  const error = reply.error as
    | { data?: { response?: { results?: { type?: string; token?: unknown }[] } } }
    | undefined
  for (const r of error?.data?.response?.results ?? []) {
    if (r.type === 'RATE_LIMIT_FAILURE' && typeof r.token === 'string' && r.token) return r.token
  }
  return null
}

/** Pure: the operators' mail text. */
export function captchaAlertText(challenge: string, socket: string, raw: string): string {
  return [
    `Challenge token: ${challenge}`,
    '',
    `signal-cli (SIGNAL_CLI_SOCKET=${socket}) is rate-limited by the Signal network and will not`,
    'send Signal notifications until a CAPTCHA is solved. Until then they fail with',
    '"CAPTCHA proof required" and are retried.',
    '',
    '1. Solve the CAPTCHA at https://signalcaptchas.org/challenge/generate.html and copy the',
    '   signalcaptcha://… link it gives you (CAPTCHA-SOLUTION-HERE below).',
    '2. Submit it with the challenge token, through the daemon Vigil talks to:',
    `   {"jsonrpc":"2.0","method":"submitRateLimitChallenge","params":{"challenge":"${challenge}","captcha":"CAPTCHA-SOLUTION-HERE"},"id":"1"}`,
    `   or with the command line: signal-cli submitRateLimitChallenge --challenge ${challenge} --captcha CAPTCHA-SOLUTION-HERE`,
    '',
    'Message from Signal:',
    raw,
    '',
  ].join('\n')
}

/** Mails every ADMINS address about `challenge`, unless that was done in the last day. */
export async function alertAdminsOfCaptcha(
  ctx: Ctx,
  challenge: string,
  raw: string,
  now: number,
): Promise<number> {
  const admins = ctx.config.admins
  if (admins.length === 0) {
    ctx.log.warn('signal-cli needs a CAPTCHA solved, and ADMINS is empty: nobody was told')
    return 0
  }
  if (!(await authorizeBucket(ctx.db, onceKey('signal-captcha', challenge), ONCE_A_DAY, now)))
    return 0
  const text = captchaAlertText(challenge, ctx.config.integrations.signalCliSocket ?? '', raw)
  for (const to of admins) await enqueueMail(ctx.db, { to, subject: CAPTCHA_SUBJECT, text }, now)
  return admins.length
}

/** Sends the undelivered Signal alert to the project owner by email, once per notification. */
export async function mailRateLimitedAlert(
  ctx: Ctx,
  input: { projectId: number; notificationCode: string; recipient: string; plaintext: string },
  now: number,
): Promise<boolean> {
  const owner = await ctx.db.kysely
    .selectFrom('projects')
    .innerJoin('users', 'users.id', 'projects.owner_id')
    .select('users.email')
    .where('projects.id', '=', input.projectId)
    .executeTakeFirst()
  if (!owner) return false
  const key = onceKey('signal-fallback', input.notificationCode)
  if (!(await authorizeBucket(ctx.db, key, ONCE_A_DAY, now))) return false
  const text = [
    'Hello,',
    '',
    `We could not deliver a Signal notification to ${maskPhone(input.recipient)} due to`,
    'hitting a rate-limit on the Signal network, so we are sending it via email',
    'instead:',
    '',
    '***',
    input.plaintext,
    '***',
    '',
    'Regards,',
    `The ${ctx.config.siteName} Team`,
    '',
  ].join('\n')
  await enqueueMail(
    ctx.db,
    {
      to: owner.email,
      subject: `Signal notification failed: ${input.plaintext.split('\n')[0]}`,
      text,
    },
    now,
  )
  return true
}
