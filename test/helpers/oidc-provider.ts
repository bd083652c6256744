/**
 * A small OpenID Connect provider on loopback for tests (LG-9): discovery, an authorisation
 * endpoint that signs in whoever `user` says at once, a token endpoint that checks the client
 * secret, the redirect URI and the PKCE verifier (S256), and ID tokens really signed (RS256,
 * jose) on the test's clock. Tests can make it misbehave: a wrong nonce, an old auth_time, an
 * `error=` answer, or a server that accepts connections and never answers.
 * (panva's oidc-provider declares Node 20 unsupported and cannot be told to send a bad nonce.)
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'

export interface IdpUser {
  sub: string
  email?: string
  email_verified?: boolean
  amr?: string[]
  acr?: string
  /** Seconds since the epoch; default: the clock's now. */
  auth_time?: number
}

interface Grant {
  clientId: string
  redirectUri: string
  codeChallenge: string | null
  codeChallengeMethod: string | null
  nonce: string | null
  user: IdpUser
}

/**
 * One signing key per test process, shared by every provider it starts: an RSA key takes
 * 100–250 ms of CPU to generate, most of an OIDC test's own CPU when each test made one.
 */
let signingKeys: Promise<{ privateKey: CryptoKey; jwk: Record<string, unknown> }> | null = null

async function newSigningKeys(): Promise<{ privateKey: CryptoKey; jwk: Record<string, unknown> }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  return {
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' },
  }
}

export class TestOidcProvider {
  readonly clientId = 'vigil-test'
  readonly clientSecret = 'test-client-secret'
  /** Who is signed in at the provider; the authorisation endpoint answers for them at once. */
  user: IdpUser = { sub: 'alice-sub', email: 'alice@example.org', email_verified: true }
  /** Answer the next authorisation request with `error=<this>` instead of a code. */
  authorizeError: string | null = null
  /** Put this nonce in ID tokens instead of the one asked for. */
  forgedNonce: string | null = null
  /** Every authorisation request's parameters and every token request's form, in order. */
  readonly authorizeRequests: URLSearchParams[] = []
  readonly tokenRequests: URLSearchParams[] = []

  private server: Server | null = null
  private readonly sockets = new Set<Socket>()
  private readonly grants = new Map<string, Grant>()
  private keys: { privateKey: CryptoKey; jwk: Record<string, unknown> } | null = null
  private hang = false
  issuer = ''

  constructor(private readonly clock: { now(): number }) {}

  /** Listens on 127.0.0.1 (a free port). `hang`: accept connections but never answer. */
  async start(options: { hang?: boolean } = {}): Promise<this> {
    this.hang = options.hang ?? false
    signingKeys ??= newSigningKeys()
    this.keys = await signingKeys
    this.server = createServer((req, res) => {
      if (this.hang) return
      this.handle(req, res).catch((e) => {
        res.statusCode = 500
        res.end(String(e))
      })
    })
    this.server.on('connection', (s) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    const { port } = this.server.address() as AddressInfo
    this.issuer = `http://127.0.0.1:${port}`
    return this
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    )
    this.server = null
  }

  /** The environment that points Vigil at this provider. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      OIDC_ISSUER: this.issuer,
      OIDC_CLIENT_ID: this.clientId,
      OIDC_CLIENT_SECRET: this.clientSecret,
      OIDC_BUTTON_LABEL: 'Test IdP',
      ...extra,
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.issuer)
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer: this.issuer,
        authorization_endpoint: `${this.issuer}/authorize`,
        token_endpoint: `${this.issuer}/token`,
        jwks_uri: `${this.issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      })
    }
    if (url.pathname === '/jwks') return json(res, 200, { keys: [this.keys?.jwk] })
    if (url.pathname === '/authorize') return this.authorize(url.searchParams, res)
    if (url.pathname === '/token' && req.method === 'POST') return this.token(req, res)
    json(res, 404, { error: 'not_found' })
  }

  private authorize(q: URLSearchParams, res: ServerResponse): void {
    this.authorizeRequests.push(q)
    const redirect = new URL(q.get('redirect_uri') ?? '')
    const state = q.get('state')
    if (state !== null) redirect.searchParams.set('state', state)
    if (this.authorizeError) {
      redirect.searchParams.set('error', this.authorizeError)
      this.authorizeError = null
    } else {
      const code = randomBytes(16).toString('base64url')
      this.grants.set(code, {
        clientId: q.get('client_id') ?? '',
        redirectUri: q.get('redirect_uri') ?? '',
        codeChallenge: q.get('code_challenge'),
        codeChallengeMethod: q.get('code_challenge_method'),
        nonce: q.get('nonce'),
        user: { ...this.user },
      })
      redirect.searchParams.set('code', code)
    }
    res.writeHead(302, { location: redirect.href })
    res.end()
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = ''
    for await (const chunk of req) body += chunk
    const form = new URLSearchParams(body)
    this.tokenRequests.push(form)
    // RFC 6749 2.3.1: id and secret are form-url-encoded before Basic encoding.
    const [, b64 = ''] = /^Basic (.+)$/.exec(req.headers.authorization ?? '') ?? []
    const [id = '', secret = ''] = Buffer.from(b64, 'base64').toString().split(':')
    const decode = (v: string) => decodeURIComponent(v.replace(/\+/g, ' '))
    if (decode(id) !== this.clientId || decode(secret) !== this.clientSecret)
      return json(res, 401, { error: 'invalid_client' })
    const code = form.get('code') ?? ''
    const grant = this.grants.get(code)
    this.grants.delete(code)
    if (!grant || form.get('grant_type') !== 'authorization_code')
      return json(res, 400, { error: 'invalid_grant' })
    if (form.get('redirect_uri') !== grant.redirectUri)
      return json(res, 400, { error: 'invalid_grant' })
    const verifier = form.get('code_verifier') ?? ''
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    if (grant.codeChallengeMethod !== 'S256' || challenge !== grant.codeChallenge)
      return json(res, 400, {
        error: 'invalid_grant',
        error_description: 'PKCE verification failed',
      })
    const now = Math.floor(this.clock.now() / 1000)
    const { auth_time, ...claims } = grant.user
    const idToken = await new SignJWT({
      ...claims,
      auth_time: auth_time ?? now,
      nonce: this.forgedNonce ?? grant.nonce ?? undefined,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(this.issuer)
      .setAudience(grant.clientId)
      .setSubject(grant.user.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(this.keys?.privateKey as CryptoKey)
    json(res, 200, {
      access_token: randomBytes(16).toString('base64url'),
      token_type: 'Bearer',
      expires_in: 300,
      id_token: idToken,
    })
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(value))
}
