/**
 * What an HTTP ping records about its sender: address, scheme, User-Agent, and the body cut to
 * PING_BODY_LIMIT. Pure (headers in, values out). Mirrors Healthchecks' `ping` view and spec §3.5:
 * the first X-Forwarded-For entry is trusted unconditionally, `a.b.c.d:port` loses its port.
 */
import { isIP, isIPv4 } from 'node:net'

export interface ClientInfo {
  remoteAddr: string | null
  scheme: string
  method: string
  ua: string
  body: Buffer | null
}

export interface HttpPingRequest {
  method: string
  headers: Record<string, string | string[] | undefined>
  socketAddress: string | undefined
  body: Buffer | undefined
}

const IPV4_PORT_RE = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/
const IPV6_PORT_RE = /^\[([0-9a-fA-F:.]+)\]:\d+$/

function header(headers: HttpPingRequest['headers'], name: string): string | undefined {
  const v = headers[name]
  return Array.isArray(v) ? v[0] : v
}

/**
 * The client address: the first X-Forwarded-For entry, else the socket's. An IPv4 address with a
 * port (Azure App Service sends those) loses the port; IPv6 and IPv4-mapped IPv6 stay verbatim.
 * Anything that is still not an IP is stored as null rather than failing the ping.
 */
export function remoteAddress(
  forwardedFor: string | undefined,
  socketAddress: string | undefined,
): string | null {
  const raw = (forwardedFor ? forwardedFor.split(',')[0] : (socketAddress ?? '')).trim()
  if (isIP(raw)) return raw
  const v4 = IPV4_PORT_RE.exec(raw)
  if (v4 && isIPv4(v4[1])) return v4[1]
  const v6 = IPV6_PORT_RE.exec(raw)
  if (v6 && isIP(v6[1])) return v6[1]
  return null
}

/** First `max` characters (code points, as Python slices), without splitting a surrogate pair. */
export function truncateChars(s: string, max: number): string {
  if (s.length <= max) return s
  return Array.from(s).slice(0, max).join('')
}

/** The metadata and body an HTTP ping stores; `bodyLimit` null keeps the whole body. */
export function clientInfo(req: HttpPingRequest, bodyLimit: number | null): ClientInfo {
  let body = req.body && req.body.length > 0 ? req.body : null
  if (body && bodyLimit !== null && body.length > bodyLimit) body = body.subarray(0, bodyLimit)
  // An empty body is stored as null: "has a body" then means non-null, as has_body() does.
  if (body && body.length === 0) body = null
  return {
    remoteAddr: remoteAddress(header(req.headers, 'x-forwarded-for'), req.socketAddress),
    // Healthchecks' column holds 10 characters; a longer value would fail the insert there.
    scheme: (header(req.headers, 'x-forwarded-proto') || 'http').slice(0, 10),
    method: req.method,
    ua: truncateChars(header(req.headers, 'user-agent') ?? '', 200),
    body,
  }
}
