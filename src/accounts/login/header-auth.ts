/**
 * Header auth (spec LG-8), Healthchecks' REMOTE_USER_HEADER in email mode: a reverse proxy that
 * did the sign-in names the user's email in a header. Unlike Healthchecks the header is believed
 * only from a direct peer in TRUSTED_PROXY_CIDRS (none set: header auth is refused, doctor SEC-005)
 * and, when configured, with the REMOTE_USER_SECRET_HEADER value too. Sessions record amr ["ext"].
 * The per-request flow (log out when the header goes missing) lives in web/web-auth.ts. Sudo for
 * users with no RA-4 method is a fresh assertion by the proxy (confirmThroughProxy).
 */
import { BlockList, isIP } from 'node:net'
import type { Config } from '../../config/index.js'
import type { Ctx } from '../../context.js'
import type { User } from '../../db/index.js'
import { err, ok, type Result } from '../../result.js'
import { safeEqual, sha256Hex } from '../../tokens.js'
import { type RequestMeta, recordSecurityEvent } from '../audit/security-events.js'
import { availableReauthMethods } from '../factors/factors.js'
import type { Session } from '../sessions/sessions.js'
import { grantSudo } from '../sudo/enter-sudo-mode.js'
import { createUser, findUserByEmail, normalizeEmail } from '../users/create-user.js'
import { startLoginSession } from './login-session.js'

/** True when the socket peer is one of the configured proxies (IPv4-mapped IPv6 included). Pure. */
export function isTrustedPeer(address: string | undefined, cidrs: readonly string[]): boolean {
  if (!address || isIP(address) === 0) return false
  const list = new BlockList()
  for (const cidr of cidrs) {
    const [net, bits] = cidr.split('/')
    const family = isIP(net) === 6 ? 'ipv6' : 'ipv4'
    if (bits === undefined) list.addAddress(net, family)
    else list.addSubnet(net, Number(bits), family)
  }
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4')
}

/** True when header auth is configured and can work (TRUSTED_PROXY_CIDRS set; else SEC-005). */
export function isHeaderAuthOn(config: Config): boolean {
  return config.accounts.remoteUserHeader !== null && config.trustedProxyCidrs.length > 0
}

export type HeaderIdentity =
  /** Header auth is off: sessions work as without it. */
  | { kind: 'off' }
  /** No usable header (missing, empty, untrusted peer, wrong secret): nobody is logged in. */
  | { kind: 'absent'; reason: 'missing' | 'untrusted-peer' | 'bad-secret' }
  | { kind: 'email'; email: string }

type Headers = Record<string, string | string[] | undefined>

function header(headers: Headers, name: string): string {
  const v = headers[name]
  return (Array.isArray(v) ? v[0] : v) ?? ''
}

/** Who the proxy says this request is from, judged by the socket peer. Pure. */
export function headerIdentity(
  config: Config,
  peer: string | undefined,
  headers: Headers,
): HeaderIdentity {
  const name = config.accounts.remoteUserHeader
  if (name === null || !isHeaderAuthOn(config)) return { kind: 'off' }
  // A client talking to us directly could send any header it likes (T-36).
  if (!isTrustedPeer(peer, config.trustedProxyCidrs))
    return { kind: 'absent', reason: 'untrusted-peer' }
  const shared = config.accounts.remoteUserSecret
  // Digests first, so the comparison does not even reveal the secret's length.
  if (shared && !safeEqual(sha256Hex(header(headers, shared.header)), sha256Hex(shared.value)))
    return { kind: 'absent', reason: 'bad-secret' }
  // Healthchecks lower-cases the value too: emails are stored lower-case.
  const email = normalizeEmail(header(headers, name))
  return email ? { kind: 'email', email } : { kind: 'absent', reason: 'missing' }
}

export type HeaderLogInError = { kind: 'invalid-email' }

/**
 * Starts a session for the user the proxy named, creating the account on first sight as
 * Healthchecks' CustomHeaderBackend does. No second step: the proxy is responsible for it.
 */
export async function logInFromHeader(
  ctx: Ctx,
  email: string,
  meta: RequestMeta,
): Promise<Result<{ user: User; session: Session; token: string }, HeaderLogInError>> {
  const now = ctx.clock.now()
  let user = await findUserByEmail(ctx, email)
  if (!user) {
    const created = await createUser(ctx, { email, password: null })
    if (!created.ok) {
      // A concurrent first request for the same address may have created it meanwhile.
      user = await findUserByEmail(ctx, email)
      if (!user) return err({ kind: 'invalid-email' })
    } else {
      user = created.value
      await recordSecurityEvent(
        ctx,
        {
          type: 'account.created',
          actorUserId: user.id,
          subjectUserId: user.id,
          meta,
          details: { method: 'header' },
        },
        now,
      )
    }
  }
  const s = await startLoginSession(
    ctx,
    user,
    { amr: ['ext'], meta, details: { method: 'header' } },
    now,
  )
  return ok({ user, ...s })
}

/** The method recorded on a session whose sudo came from the proxy (its amr is ["ext"] too). */
export const PROXY_REAUTH_METHOD = 'ext'

/**
 * True when this request may confirm "it's you" through the proxy (LG-8): header auth names the
 * session's own user on this very request, and the user has no RA-4 method of their own (any
 * method they have, the proxy cannot stand in for: it may have signed them in days ago).
 */
export function mayConfirmThroughProxy(
  identity: HeaderIdentity,
  user: Pick<User, 'email'>,
  methods: readonly string[],
): boolean {
  return identity.kind === 'email' && identity.email === user.email && methods.length === 0
}

export type ProxyConfirmError = { kind: 'not-from-proxy' } | { kind: 'method-unavailable' }

/**
 * Sudo through the proxy (LG-8 "re-login through the proxy counts"): with the trusted header on
 * the request and no other method, the grant is stamped now (reauth_at, the session's auth_time
 * for sudo) with method `ext`, audited and the session id rotated, as any grant (RA-3).
 */
export async function confirmThroughProxy(
  ctx: Ctx,
  input: {
    identity: HeaderIdentity
    user: User
    session: Session
    downgrade: boolean
    meta: RequestMeta
  },
): Promise<Result<{ token: string; session: Session }, ProxyConfirmError>> {
  const { identity, user } = input
  if (identity.kind !== 'email' || identity.email !== user.email)
    return err({ kind: 'not-from-proxy' })
  const { methods } = await availableReauthMethods(ctx, user, input.downgrade)
  if (!mayConfirmThroughProxy(identity, user, methods)) return err({ kind: 'method-unavailable' })
  const now = ctx.clock.now()
  return ok(await grantSudo(ctx, user, input.session, PROXY_REAUTH_METHOD, input.meta, now))
}
