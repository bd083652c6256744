/**
 * Where a ping came from, as the source rules compare it (Healthchecks #190, #918;
 * uptime-kuma#3466): the client address, or its network (/24 for IPv4, /64 for IPv6). An
 * IPv4-mapped IPv6 address (::ffff:192.0.2.1, what a dual-stack socket reports) is its IPv4
 * address. Pure: no I/O.
 */
import { isIPv4, isIPv6 } from 'node:net'

/** 'address': the exact address; 'network': its /24 (IPv4) or /64 (IPv6). */
export type SourceScope = 'address' | 'network'
export const SOURCE_SCOPES: readonly SourceScope[] = ['address', 'network']

/** The eight 16-bit groups of a valid IPv6 address (an embedded dotted IPv4 tail included). */
function ipv6Groups(addr: string): number[] {
  let text = addr.toLowerCase()
  const zone = text.indexOf('%')
  if (zone >= 0) text = text.slice(0, zone)
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number)
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null]
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)))
  const left = parse(head)
  if (tail === null) return left
  const right = parse(tail)
  return [...left, ...new Array(8 - left.length - right.length).fill(0), ...right]
}

/** RFC 5952 text of eight groups: lowercase, the longest run (≥ 2) of zero groups as "::". */
function ipv6Text(groups: number[]): string {
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8; ) {
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) {
      best = i
      bestLen = j - i
    }
    i = j === i ? i + 1 : j
  }
  const hex = groups.map((g) => g.toString(16))
  if (best < 0) return hex.join(':')
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`
}

/**
 * The source key of a ping's address under `scope`, or null when the address is missing or not
 * an IP address (such pings are not compared).
 */
export function sourceKey(addr: string | null, scope: SourceScope): string | null {
  if (addr === null) return null
  let v4: string | null = isIPv4(addr) ? addr : null
  let groups: number[] | null = null
  if (v4 === null) {
    if (!isIPv6(addr)) return null
    groups = ipv6Groups(addr)
    const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff
    if (mapped) {
      v4 = [groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].join('.')
    }
  }
  if (v4 !== null) {
    const octets = v4.split('.').map(Number)
    return scope === 'network' ? `${octets.slice(0, 3).join('.')}.0/24` : octets.join('.')
  }
  const g = groups as number[]
  if (scope === 'address') return ipv6Text(g)
  return `${ipv6Text([...g.slice(0, 4), 0, 0, 0, 0])}/64`
}
