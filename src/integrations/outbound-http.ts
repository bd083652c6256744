/**
 * The one HTTP client for requests to user-supplied URLs (webhooks and, later, every HTTP
 * integration). It resolves the host itself, refuses private addresses unless
 * INTEGRATIONS_ALLOW_PRIVATE_IPS, and connects to exactly the address it checked (no second DNS
 * lookup, so no DNS rebinding); each redirect (at most 3) is checked again. Only http and https.
 * Credentials in the URL (`https://user:pass@host/`) are sent as Basic auth, as curl does. Once a
 * redirect leaves the first URL's origin (scheme, host, port), credentials and custom headers are
 * dropped for the rest of the chain, as curl does (SEC-F7): a redirect cannot harvest secrets.
 * Mirrors hc/lib/curl.py: the error texts are Healthchecks'. It never throws.
 */
import { lookup as dnsLookup } from 'node:dns/promises'
import http from 'node:http'
import https from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { isPrivateAddress } from './private-address.js'

export const PRIVATE_IP_ERROR = 'Connections to private IP addresses are not allowed'
const MAX_REDIRECTS = 3
/** Bytes of a response body kept (enough for an error message). */
const MAX_BODY = 64 * 1024

export interface OutboundRequest {
  method: string
  url: string
  headers?: Record<string, string>
  /** Sent as-is; no content type is added (as Healthchecks' str/bytes bodies). */
  body?: string | Buffer | null
  /** Total time for the request, redirects and DNS included. */
  timeoutMs: number
  allowPrivateIps: boolean
  /** Default `Vigil`; a User-Agent in `headers` wins. */
  userAgent?: string
}

export interface OutboundResponse {
  status: number
  headers: http.IncomingHttpHeaders
  /** The first 64 KiB of the body, decoded as UTF-8. */
  body: string
}

export type OutboundResult = { ok: true; response: OutboundResponse } | { ok: false; error: string }

/**
 * Headers still sent after a redirect to another origin: they describe the request, not the
 * sender. Everything else (Authorization, Cookie, Proxy-Authorization, a channel's API-key
 * headers) stays with the origin the user typed.
 */
const CROSS_ORIGIN_HEADERS = new Set(['user-agent', 'content-type', 'accept'])

/** The headers kept when a redirect leaves the first origin. */
function crossOriginHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => CROSS_ORIGIN_HEADERS.has(name.toLowerCase())),
  )
}

/**
 * `user:password` of the URL, decoded, or undefined when it has none. Only the first URL's are
 * used: a redirect's own `user:pass@` was chosen by the server, not the user.
 */
function userinfo(url: URL): string | undefined {
  if (url.username === '' && url.password === '') return undefined
  return `${percentDecoded(url.username)}:${percentDecoded(url.password)}`
}

/** decodeURIComponent that leaves a malformed escape (`%zz`) as typed instead of throwing. */
function percentDecoded(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

type Target = { ok: true; address: string; family: 4 | 6 } | { ok: false; error: string }

/** Resolves every address of the host; refuses the host if any of them is private. */
async function resolveTarget(hostname: string, allowPrivate: boolean): Promise<Target> {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1')
  let addresses: { address: string; family: number }[]
  if (isIP(bare)) {
    addresses = [{ address: bare, family: isIP(bare) }]
  } else {
    try {
      addresses = await dnsLookup(bare, { all: true, verbatim: true })
    } catch {
      return { ok: false, error: 'Could not resolve host' }
    }
    if (addresses.length === 0) return { ok: false, error: 'Could not resolve host' }
  }
  if (!allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) {
    return { ok: false, error: PRIVATE_IP_ERROR }
  }
  const first = addresses[0]
  return { ok: true, address: first.address, family: first.family === 6 ? 6 : 4 }
}

/** A `lookup` that answers with the address already checked, whatever node asks for. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }])
    else callback(null, address, family)
  }) as unknown as LookupFunction
}

function networkError(e: NodeJS.ErrnoException, timedOut: boolean): string {
  if (timedOut) return 'Connection timed out'
  const code = e.code ?? ''
  if (code === 'ETIMEDOUT') return 'Connection timed out'
  if (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    /CERT|SELF_SIGNED|UNABLE_TO/.test(code)
  ) {
    return 'TLS handshake failed'
  }
  return 'Connection failed'
}

function sendOnce(
  url: URL,
  target: { address: string; family: 4 | 6 },
  method: string,
  headers: Record<string, string>,
  body: Buffer | null,
  signal: AbortSignal,
  isTimedOut: () => boolean,
  /** Basic credentials (`user:password`), only while on the first origin. */
  auth: string | undefined,
): Promise<OutboundResult> {
  return new Promise((resolve) => {
    const lib = url.protocol === 'https:' ? https : http
    const outHeaders = { ...headers }
    if (body) outHeaders['Content-Length'] = String(body.length)
    let req: http.ClientRequest
    try {
      req = lib.request({
        method,
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        headers: outHeaders,
        auth,
        lookup: pinnedLookup(target.address, target.family),
        // A fresh connection per request: a pooled socket could outlive the address check.
        agent: false,
        signal,
      })
    } catch (e) {
      resolve({ ok: false, error: `HTTP request failed: ${(e as Error).message}` })
      return
    }
    req.on('error', (e) => resolve({ ok: false, error: networkError(e, isTimedOut()) }))
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      let size = 0
      const done = () => {
        resolve({
          ok: true,
          response: {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          },
        })
      }
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_BODY) chunks.push(chunk.subarray(0, MAX_BODY - size))
        size += chunk.length
        if (size >= MAX_BODY) {
          res.destroy()
          done()
        }
      })
      res.on('end', done)
      res.on('error', (e) => resolve({ ok: false, error: networkError(e, isTimedOut()) }))
    })
    req.end(body ?? undefined)
  })
}

/** Sends one request, following up to 3 redirects, each to a checked address. */
export async function sendOutbound(request: OutboundRequest): Promise<OutboundResult> {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, request.timeoutMs)
  const timeout = new Promise<OutboundResult>((resolve) => {
    controller.signal.addEventListener(
      'abort',
      () => resolve({ ok: false, error: 'Connection timed out' }),
      {
        once: true,
      },
    )
  })
  try {
    const work = async (): Promise<OutboundResult> => {
      let url: URL
      try {
        url = new URL(request.url)
      } catch {
        return { ok: false, error: 'Invalid URL' }
      }
      let method = request.method.toUpperCase()
      let body = request.body == null ? null : Buffer.from(request.body)
      let headers: Record<string, string> = { ...(request.headers ?? {}) }
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'user-agent')) {
        headers['User-Agent'] = request.userAgent ?? 'Vigil'
      }
      const firstOrigin = url.origin
      let auth = userinfo(url)
      // Whether the chain has left the first origin; once it has, secrets stay dropped even if a
      // later redirect comes back (the hop in between chose where to send us).
      let leftOrigin = false
      for (let redirects = 0; ; redirects++) {
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          return { ok: false, error: `Unsupported URL scheme: ${url.protocol.replace(':', '')}` }
        }
        const target = await resolveTarget(url.hostname, request.allowPrivateIps)
        if (!target.ok) return target
        if (controller.signal.aborted) return { ok: false, error: 'Connection timed out' }
        const r = await sendOnce(
          url,
          target,
          method,
          headers,
          body,
          controller.signal,
          () => timedOut,
          auth,
        )
        if (!r.ok) return r
        const location = r.response.headers.location
        if (![301, 302, 303, 307, 308].includes(r.response.status) || !location) return r
        if (redirects >= MAX_REDIRECTS) return { ok: false, error: 'Too many redirects' }
        try {
          url = new URL(location, url)
        } catch {
          return { ok: false, error: 'Invalid redirect URL' }
        }
        if (!leftOrigin && url.origin !== firstOrigin) {
          leftOrigin = true
          headers = crossOriginHeaders(headers)
          auth = undefined
        }
        // As curl and browsers: 303 always, and 301/302 after a POST, continue as a bodiless GET.
        const status = r.response.status
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          method = 'GET'
          body = null
        }
      }
    }
    return await Promise.race([work(), timeout])
  } finally {
    clearTimeout(timer)
  }
}
