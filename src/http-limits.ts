/**
 * The HTTP server's limits against clients that hold connections open (issue 11 F3): how long a
 * request may take to arrive (then 408 and the socket closes), how long headers and idle
 * keep-alive connections may take, how many connections one process accepts, and how many
 * requests one connection may carry. Healthchecks leaves this to uWSGI; here Node is the server.
 */
import type { Server } from 'node:http'
import type { FastifyHttpOptions, FastifyInstance } from 'fastify'
import type { HttpServerConfig } from './config/index.js'

/**
 * Options for the Fastify constructor. The timeouts go into `http` too, so Node reads them when
 * it creates the server: on Node 20 a `requestTimeout` set on the server afterwards was seen not
 * to govern (the 60 s headers timeout did). Node checks these deadlines every
 * `connectionsCheckingInterval` (30 s by default, longer than the timeout itself), so the
 * interval follows the shortest timeout: a deadline is kept within a tenth of it (≤ 1 s).
 */
export function serverLimits(limits: HttpServerConfig): FastifyHttpOptions<Server> {
  const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs)
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    // A socket with no traffic at all (e.g. a client that never reads its answer) is closed later
    // than a request times out, so a slow body gets its 408 rather than a silent close.
    connectionTimeout: 2 * limits.requestTimeoutMs + 1000,
    http: {
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(shortest / 10))),
    },
  }
}

/**
 * MAX_CONNECTIONS: past the cap Node closes each new connection at once, so a flood of sockets
 * runs into the cap instead of the process's file-descriptor limit (where every client, not just
 * the flood, got ECONNRESET).
 */
export function capConnections(app: FastifyInstance, limits: HttpServerConfig): void {
  app.server.maxConnections = limits.maxConnections
}
