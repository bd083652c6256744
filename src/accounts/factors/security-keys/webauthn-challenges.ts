/**
 * Single-use WebAuthn challenges (spec WA-2, WA-4): 32 random bytes, kept server-side for 300 s
 * under a key naming the purpose and who asked (`register:session:<id>`, `register-passkey:
 * session:<id>`, `sudo:session:<id>`, `login:pending:<id>`, `passkey-login:browser:<digest>`). Taking one deletes it in the same statement, so a challenge answers one
 * ceremony only. Healthchecks keeps its state in the Django session; here every process sees it.
 */
import { randomBytes } from 'node:crypto'
import type { Ctx } from '../../../context.js'

export const CHALLENGE_TTL_MS = 300_000

/** Makes (or replaces) the challenge under `key`; returns it base64url-encoded. */
export async function issueChallenge(ctx: Ctx, key: string, now: number): Promise<string> {
  const challenge = randomBytes(32).toString('base64url')
  const expires = now + CHALLENGE_TTL_MS
  await ctx.db.kysely.deleteFrom('webauthn_challenges').where('expires', '<=', now).execute()
  await ctx.db.kysely
    .insertInto('webauthn_challenges')
    .values({ key, challenge, expires })
    .onConflict((oc) => oc.column('key').doUpdateSet({ challenge, expires }))
    .execute()
  return challenge
}

/** Removes and returns the challenge under `key` while it is fresh; null otherwise (or if taken). */
export async function takeChallenge(ctx: Ctx, key: string, now: number): Promise<string | null> {
  const row = await ctx.db.kysely
    .deleteFrom('webauthn_challenges')
    .where('key', '=', key)
    .returning(['challenge', 'expires'])
    .executeTakeFirst()
  return row && row.expires > now ? row.challenge : null
}
