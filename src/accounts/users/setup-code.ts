/**
 * The first-run setup code (issue 11): until the owner account exists, a visitor who is not on
 * loopback must type this code to create it, so whoever reaches a fresh instance's port first
 * cannot take it over (as Grafana and Jupyter do). The code is an HMAC of a random per-instance
 * salt (kept in `system_status`, created once by whichever process asks first) keyed by SECRET_KEY:
 * every web process, `vigil doctor` and `vigil setup-code` compute the same code, and the database
 * alone does not reveal it. Guesses are rate-limited per client address in the shared buckets.
 * Healthchecks has no first-run page (`manage.py createsuperuser` instead).
 */
import { createHmac, randomBytes } from 'node:crypto'
import type { Ctx } from '../../context.js'
import { type BucketRule, takeBucketToken } from '../../ratelimit/index.js'
import { err, ok, type Result } from '../../result.js'
import { safeEqual, sha256Hex } from '../../tokens.js'
import { recordRateLimitBlock } from '../audit/rate-limit-audit.js'

const SALT_KEY = 'first-run.setup-salt'
/** Crockford's base32 without I, L, O, U: nothing to confuse when typing it from a log. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
/** 12 characters = 60 bits; with the rate limit below, guessing is hopeless. */
const CODE_LENGTH = 12
/** Setup-code attempts per client address: 10 per 15 minutes. */
export const SETUP_CODE_RULE: BucketRule = { capacity: 10, refillMs: 15 * 60_000 }

/** The instance's setup code, `XXXX-XXXX-XXXX`; creates the salt on first use (any process). */
export async function firstRunSetupCode(ctx: Ctx): Promise<string> {
  const salt = await setupSalt(ctx)
  const mac = createHmac('sha256', ctx.config.secretKey)
    .update(`vigil first-run setup code v1:${salt}`)
    .digest()
  let code = ''
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[mac[i] % 32]
  return code.match(/.{4}/g)!.join('-')
}

export type SetupCodeError =
  | { kind: 'wrong-setup-code' }
  | { kind: 'throttled'; retryAfterSeconds: number }

/**
 * Checks a typed setup code (case, spaces and dashes ignored), after taking a token from the
 * client address's bucket, so a refusal for too many tries comes before any comparison.
 */
export async function checkSetupCode(
  ctx: Ctx,
  input: { given: string; ip: string },
): Promise<Result<void, SetupCodeError>> {
  const now = ctx.clock.now()
  const key = `setup-code:ip:${sha256Hex(input.ip)}`
  const verdict = await takeBucketToken(ctx.db, key, SETUP_CODE_RULE, now)
  if (!verdict.allowed) {
    const retryAfterSeconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))
    const block = {
      rule: 'SETUP-CODE',
      key,
      windowMs: SETUP_CODE_RULE.refillMs,
      ip: input.ip,
      retryAfterSeconds,
    }
    await recordRateLimitBlock(ctx, block, now)
    return err({ kind: 'throttled', retryAfterSeconds })
  }
  const expected = normalise(await firstRunSetupCode(ctx))
  // Digests of equal length, compared in constant time.
  const matches = safeEqual(sha256Hex(normalise(input.given)), sha256Hex(expected))
  return matches ? ok(undefined) : err({ kind: 'wrong-setup-code' })
}

function normalise(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '')
}

/** The stored salt; the first process to ask writes it, a racing one keeps the winner's. */
async function setupSalt(ctx: Ctx): Promise<string> {
  const read = () =>
    ctx.db.kysely
      .selectFrom('system_status')
      .select('value')
      .where('key', '=', SALT_KEY)
      .executeTakeFirst()
  const row = await read()
  if (row) return row.value
  await ctx.db.kysely
    .insertInto('system_status')
    .values({
      key: SALT_KEY,
      value: JSON.stringify(randomBytes(32).toString('hex')),
      updated: ctx.clock.now(),
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute()
  return (await read())!.value
}
