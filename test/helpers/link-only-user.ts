/**
 * A user without password or 2FA, signed in through a sign-in link: the one whose only way to
 * confirm a sensitive action is an e-mailed code (or nothing, without mail). Four web tests wrote
 * these lines out before.
 */
import assert from 'node:assert/strict'
import { createSession, sessionCookieName } from '../../src/accounts/sessions/sessions.js'
import { createUser } from '../../src/accounts/users/create-user.js'
import type { Ctx } from '../../src/context.js'
import type { User } from '../../src/db/index.js'

/** Creates the user and sets a link session's cookie on `client` (a FormClient or any cookie jar). */
export async function signInLinkOnlyUser(
  ctx: Ctx,
  client: { cookies: Map<string, string> },
  email = 'linkonly@example.org',
): Promise<User> {
  const r = await createUser(ctx, { email, password: null })
  assert.ok(r.ok)
  const { token } = await createSession(ctx, r.value.id, { amr: ['link'] })
  client.cookies.set(sessionCookieName(ctx.config), token)
  return r.value
}
