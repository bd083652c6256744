/**
 * The OpenID Connect relying party of LG-9, over openid-client: discovery (cached for a few
 * minutes, an optimisation only), the authorisation URL (code flow, PKCE S256, state, nonce) and
 * the code exchange with its ID-token checks. Every request to the provider has a timeout
 * (OIDC_TIMEOUT) and every failure comes back as a typed error, never an exception. Not here: who
 * the user is and what their session gets (oidc-login.ts). Healthchecks has no OIDC.
 */
import * as oidc from 'openid-client'
import type { OidcConfig } from '../../config/index.js'
import { err, ok, type Result } from '../../result.js'

export type ProviderError =
  /** Discovery, the token endpoint or the network failed or timed out. */
  | { kind: 'provider-unreachable' }
  /** The provider answered with an OAuth error (`error=access_denied`, `invalid_grant`, …). */
  | { kind: 'provider-error'; code: string }
  /** The answer failed a check (state, nonce, issuer, audience, expiry, signature, PKCE). */
  | { kind: 'invalid-response'; detail: string }

/** What we read from a verified ID token. */
export interface OidcClaims {
  iss: string
  sub: string
  email: string | null
  /** True only when the provider says so (boolean `true`, or the string "true" some send). */
  emailVerified: boolean
  amr: string[]
  acr: string | null
  /** Seconds since the epoch, when present. */
  authTime: number | null
}

/** What the browser is sent with, and what must be kept to finish (state, nonce, verifier). */
export interface AuthorisationRequest {
  url: string
  state: string
  nonce: string
  codeVerifier: string
}

const DISCOVERY_TTL_MS = 5 * 60_000
const discovered = new Map<string, { metadata: oidc.ServerMetadata; until: number }>()

function isPlainHttp(config: OidcConfig): boolean {
  // config.ts allows http:// only for a loopback issuer.
  return new URL(config.issuer).protocol === 'http:'
}

/** An OAuth error code fit to show: letters and underscores only, else "error". */
function errorCode(value: unknown): string {
  return typeof value === 'string' && /^[a-z_]{1,64}$/i.test(value) ? value : 'error'
}

/** Sorts whatever openid-client threw into one of our three kinds. */
export function classifyProviderError(e: unknown): ProviderError {
  if (e instanceof oidc.AuthorizationResponseError || e instanceof oidc.ResponseBodyError)
    return { kind: 'provider-error', code: errorCode(e.error) }
  // fetch() rejects with a TypeError when it cannot connect; timeouts and aborts are ClientErrors.
  if (e instanceof TypeError) return { kind: 'provider-unreachable' }
  if (e instanceof oidc.ClientError) {
    if (
      e.code === 'OAUTH_TIMEOUT' ||
      e.code === 'OAUTH_ABORT' ||
      e.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' ||
      e.code === 'OAUTH_RESPONSE_IS_NOT_JSON'
    )
      return { kind: 'provider-unreachable' }
    // The cause says which check failed, e.g. 'unexpected ID Token "nonce" claim value'.
    const cause = e.cause instanceof Error ? ` (${e.cause.message})` : ''
    return { kind: 'invalid-response', detail: `${e.code ?? 'error'}: ${e.message}${cause}` }
  }
  return { kind: 'invalid-response', detail: (e as Error)?.message ?? String(e) }
}

async function serverMetadata(config: OidcConfig): Promise<oidc.ServerMetadata> {
  const cached = discovered.get(config.issuer)
  // A cache in one process's memory is only a shortcut; Date.now() is right for its lifetime.
  if (cached && cached.until > Date.now()) return cached.metadata
  const found = await oidc.discovery(
    new URL(config.issuer),
    config.clientId,
    undefined,
    undefined,
    {
      timeout: config.timeoutMs / 1000,
      execute: isPlainHttp(config) ? [oidc.allowInsecureRequests] : [],
    },
  )
  const metadata = found.serverMetadata()
  discovered.set(config.issuer, { metadata, until: Date.now() + DISCOVERY_TTL_MS })
  return metadata
}

/**
 * The client for one request. `now` is the application clock: ID-token times (iat, exp,
 * auth_time) are judged against it, so tests with a frozen clock and real servers agree.
 */
async function configuration(config: OidcConfig, now: number): Promise<oidc.Configuration> {
  const metadata = await serverMetadata(config)
  const methods = metadata.token_endpoint_auth_methods_supported
  const auth =
    config.clientSecret === null
      ? oidc.None()
      : // client_secret_basic is the default of the spec; post only when basic is not offered.
        !methods || methods.includes('client_secret_basic')
        ? oidc.ClientSecretBasic(config.clientSecret)
        : oidc.ClientSecretPost(config.clientSecret)
  const c = new oidc.Configuration(
    metadata,
    config.clientId,
    { [oidc.clockSkew]: Math.round((now - Date.now()) / 1000) },
    auth,
  )
  c.timeout = config.timeoutMs / 1000
  if (isPlainHttp(config)) oidc.allowInsecureRequests(c)
  return c
}

/**
 * Discovers the provider and builds the authorisation URL. `reauth` asks the provider to
 * authenticate the user again whatever session it has (`prompt=login`, `max_age=0`; ASVS 6.8.4).
 */
export async function buildAuthorisationRequest(
  config: OidcConfig,
  now: number,
  options: { reauth: boolean; loginHint?: string },
): Promise<Result<AuthorisationRequest, ProviderError>> {
  let c: oidc.Configuration
  try {
    c = await configuration(config, now)
  } catch (e) {
    const problem = classifyProviderError(e)
    // A discovery document we cannot use is as good as none: the provider is not usable.
    return err(problem.kind === 'invalid-response' ? { kind: 'provider-unreachable' } : problem)
  }
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const params: Record<string, string> = {
    redirect_uri: config.redirectUri,
    scope: 'openid email profile',
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  }
  if (options.reauth) {
    params.prompt = 'login'
    params.max_age = '0'
    if (options.loginHint) params.login_hint = options.loginHint
  }
  const url = oidc.buildAuthorizationUrl(c, params)
  return ok({ url: url.href, state, nonce, codeVerifier })
}

/**
 * Checks the provider's answer at the redirect URI (`query` is its raw query string) and
 * exchanges the code: state, nonce, issuer, audience, expiry and the PKCE verifier must all agree.
 */
export async function exchangeCode(
  config: OidcConfig,
  now: number,
  query: string,
  expected: { state: string; nonce: string; codeVerifier: string },
): Promise<Result<OidcClaims, ProviderError>> {
  const params = new URLSearchParams(query)
  // Said before any network request: the provider refused or the user cancelled.
  const error = params.get('error')
  if (error !== null) return err({ kind: 'provider-error', code: errorCode(error) })
  try {
    const c = await configuration(config, now)
    // The redirect URI sent to the token endpoint is this URL without its query: it must be
    // exactly the registered one, so it is built from SITE_ROOT, never from the request's Host.
    const current = new URL(config.redirectUri)
    current.search = params.toString()
    const tokens = await oidc.authorizationCodeGrant(c, current, {
      pkceCodeVerifier: expected.codeVerifier,
      expectedState: expected.state,
      expectedNonce: expected.nonce,
      idTokenExpected: true,
    })
    const claims = tokens.claims()
    if (!claims) return err({ kind: 'invalid-response', detail: 'no ID token' })
    const amr = Array.isArray(claims.amr) ? claims.amr.filter((v) => typeof v === 'string') : []
    return ok({
      iss: claims.iss,
      sub: claims.sub,
      email: typeof claims.email === 'string' && claims.email !== '' ? claims.email : null,
      emailVerified: claims.email_verified === true || claims.email_verified === 'true',
      amr,
      acr: typeof claims.acr === 'string' ? claims.acr : null,
      authTime: typeof claims.auth_time === 'number' ? claims.auth_time : null,
    })
  } catch (e) {
    return err(classifyProviderError(e))
  }
}

/** True when the provider's amr (or acr) shows multi-factor authentication (OIDC_MFA_AMR). Pure. */
export function providerDidMfa(
  claims: Pick<OidcClaims, 'amr' | 'acr'>,
  mfaAmr: readonly string[],
): boolean {
  return mfaAmr.some((v) => claims.amr.includes(v) || claims.acr === v)
}

/** Fetches the discovery document now (doctor OIDC-002): null when usable, else what failed. */
export async function probeProvider(config: OidcConfig): Promise<string | null> {
  discovered.delete(config.issuer)
  try {
    await serverMetadata(config)
    return null
  } catch (e) {
    const problem = classifyProviderError(e)
    if (problem.kind === 'invalid-response')
      return `unusable discovery document (${problem.detail})`
    if (problem.kind === 'provider-error') return `error answer (${problem.code})`
    return `no answer within ${config.timeoutMs / 1000} s or connection refused`
  }
}

/**
 * Origins a log-in or confirm form may be redirected to: the issuer's, and the authorisation
 * endpoint's once discovered (usually the same). The pages' CSP `form-action` must list them,
 * or browsers block the redirect that follows "Log in with …" (Chromium does).
 */
export function providerFormOrigins(config: OidcConfig): string[] {
  const origins = new Set([new URL(config.issuer).origin])
  const endpoint = discovered.get(config.issuer)?.metadata.authorization_endpoint
  if (endpoint) origins.add(new URL(endpoint).origin)
  return [...origins]
}

/** Forgets discovered providers (tests that restart a provider on the same address). */
export function forgetDiscovery(): void {
  discovered.clear()
}
