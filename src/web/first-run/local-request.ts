/**
 * Whether a request comes from this machine (loopback), for the first-run setup code: a person at
 * the server needs no code. The client is `req.ip`: the socket peer, or, from a TRUSTED_PROXY_CIDRS
 * peer, the address it forwards. A loopback peer that is *not* a configured proxy but still sends
 * forwarding headers is a local reverse proxy relaying someone else: not local.
 */
import type { FastifyRequest } from 'fastify'
import { isTrustedPeer } from '../../accounts/index.js'
import type { Config } from '../../config/index.js'

const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', 'x-forwarded-host']

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. Pure. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)
}

export function isLoopbackRequest(config: Config, req: FastifyRequest): boolean {
  if (!isLoopbackAddress(req.ip)) return false
  const peer = req.socket.remoteAddress
  if (isTrustedPeer(peer, config.trustedProxyCidrs)) return true
  return !FORWARDING_HEADERS.some((h) => req.headers[h] !== undefined)
}
