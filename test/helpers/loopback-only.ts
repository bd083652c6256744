/**
 * Keeps a test's process on loopback, as Outline's msw set-up fails outbound HTTP: while installed,
 * a TCP connection to anything but 127.0.0.0/8, ::1 or localhost is refused at once (ECONNREFUSED,
 * recorded), and host names other than localhost do not resolve (ENOTFOUND, recorded), so an
 * integration a test makes send fails fast instead of reaching, or waiting on, the Internet.
 */
import dns from 'node:dns'
import { syncBuiltinESMExports } from 'node:module'
import net from 'node:net'

export interface LoopbackGuard {
  /** Hosts a connection was refused to ("host:port"), in order. */
  refusedConnections: string[]
  /** Names a lookup was refused for. */
  refusedLookups: string[]
  uninstall(): void
}

function isLoopback(host: string | undefined): boolean {
  if (host === undefined || host === '' || host === 'localhost') return true
  const bare = host.replace(/^\[(.*)\]$/, '$1')
  return /^127\.\d+\.\d+\.\d+$/.test(bare) || bare === '::1' || bare === '::ffff:127.0.0.1'
}

function notFound(host: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${host} (test: loopback only)`), {
    code: 'ENOTFOUND',
    hostname: host,
  })
}

export function installLoopbackGuard(): LoopbackGuard {
  const refusedConnections: string[] = []
  const refusedLookups: string[] = []
  const connect = net.Socket.prototype.connect
  const lookup = dns.lookup
  const promisesLookup = dns.promises.lookup

  // Socket#connect takes (options[, cb]), (port[, host][, cb]), (path[, cb]) or, from net.connect,
  // an already normalised [options, cb] array.
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const first = Array.isArray(args[0]) ? args[0][0] : args[0]
    let host: string | undefined
    let port: unknown
    if (typeof first === 'object' && first !== null) {
      const o = first as { host?: string; port?: unknown; path?: string }
      if (o.path === undefined) {
        host = o.host
        port = o.port
      }
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      port = first
      host = typeof args[1] === 'string' ? args[1] : undefined
    }
    if (isLoopback(host)) return (connect as (...a: unknown[]) => net.Socket).apply(this, args)
    refusedConnections.push(`${host}:${String(port)}`)
    const err = Object.assign(new Error(`connect ECONNREFUSED ${host} (test: loopback only)`), {
      code: 'ECONNREFUSED',
    })
    process.nextTick(() => this.destroy(err))
    return this
  } as typeof connect

  dns.lookup = ((host: string, ...rest: unknown[]) => {
    if (isLoopback(host)) return (lookup as (...a: unknown[]) => void)(host, ...rest)
    refusedLookups.push(host)
    const cb = rest[rest.length - 1] as (e: Error) => void
    process.nextTick(() => cb(notFound(host)))
  }) as typeof dns.lookup
  dns.promises.lookup = (async (host: string, options?: unknown) => {
    if (isLoopback(host)) return (promisesLookup as (...a: unknown[]) => unknown)(host, options)
    refusedLookups.push(host)
    throw notFound(host)
  }) as typeof dns.promises.lookup
  // `import { lookup } from 'node:dns/promises'` elsewhere sees the replacement only after this.
  syncBuiltinESMExports()

  return {
    refusedConnections,
    refusedLookups,
    uninstall() {
      net.Socket.prototype.connect = connect
      dns.lookup = lookup
      dns.promises.lookup = promisesLookup
      syncBuiltinESMExports()
    },
  }
}
