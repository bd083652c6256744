/**
 * Pure: is an IP address one that outbound integration requests must not reach? Loopback,
 * private, link-local, CGNAT, unique-local, unspecified, multicast, documentation and reserved
 * ranges, and IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged
 * by that address. Mirrors Healthchecks' `ipaddress.is_private` guard in hc/lib/curl.py.
 */
import { isIPv4, isIPv6 } from 'node:net'

/** [network as 32-bit number, prefix length] */
const PRIVATE_V4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
]

function v4ToNumber(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0)
}

function isPrivateV4Number(n: number): boolean {
  for (const [net, bits] of PRIVATE_V4) {
    const size = 2 ** (32 - bits)
    const start = v4ToNumber(net)
    if (n >= start && n < start + size) return true
  }
  return false
}

/** Eight 16-bit groups of an IPv6 address (zone id dropped), or null if it does not parse. */
export function parseIPv6(address: string): number[] | null {
  let ip = address.split('%')[0]
  if (!isIPv6(ip)) return null
  // A trailing dotted quad stands for the last two groups.
  const dotted = ip.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/)
  if (dotted) {
    const n = v4ToNumber(dotted[2])
    ip = `${dotted[1]}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`
  }
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, null]
  const headGroups = head ? head.split(':') : []
  const tailGroups = tail ? tail.split(':') : []
  const missing = 8 - headGroups.length - tailGroups.length
  const groups = [...headGroups, ...(tail === null ? [] : Array(missing).fill('0')), ...tailGroups]
  if (groups.length !== 8) return null
  return groups.map((g) => Number.parseInt(g, 16))
}

function startsWith(groups: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < 8 && bits > 0; i++) {
    const take = Math.min(16, bits)
    const mask = (0xffff << (16 - take)) & 0xffff
    if ((groups[i] & mask) !== ((prefix[i] ?? 0) & mask)) return false
    bits -= take
  }
  return true
}

function embeddedV4(hi: number, lo: number): number {
  return hi * 65536 + lo
}

function isPrivateV6(g: number[]): boolean {
  const allZeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0)
  if (allZeroUpTo(8)) return true // ::
  if (allZeroUpTo(7) && g[7] === 1) return true // ::1
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated compatible): judge the IPv4 address.
  if (allZeroUpTo(5) && g[5] === 0xffff) return isPrivateV4Number(embeddedV4(g[6], g[7]))
  if (allZeroUpTo(6)) return isPrivateV4Number(embeddedV4(g[6], g[7]))
  // 64:ff9b::/96 NAT64 translates to the embedded IPv4 address.
  if (startsWith(g, [0x64, 0xff9b, 0, 0, 0, 0], 96))
    return isPrivateV4Number(embeddedV4(g[6], g[7]))
  if (startsWith(g, [0x64, 0xff9b, 1], 48)) return true // local-use NAT64
  if (startsWith(g, [0x100, 0, 0, 0], 64)) return true // discard-only
  if (startsWith(g, [0x2001, 0xdb8], 32)) return true // documentation
  if (startsWith(g, [0x2001], 23)) return true // IETF protocol assignments (Teredo, ORCHID…)
  if (startsWith(g, [0x2002], 16)) return isPrivateV4Number(embeddedV4(g[1], g[2])) // 6to4
  if (startsWith(g, [0xfc00], 7)) return true // unique-local
  if (startsWith(g, [0xfe80], 10)) return true // link-local
  if (startsWith(g, [0xfec0], 10)) return true // site-local (deprecated)
  if (startsWith(g, [0xff00], 8)) return true // multicast
  return false
}

/** True for any address an integration must not connect to; unparseable input counts as private. */
export function isPrivateAddress(address: string): boolean {
  if (isIPv4(address)) return isPrivateV4Number(v4ToNumber(address))
  const groups = parseIPv6(address)
  return groups === null ? true : isPrivateV6(groups)
}
