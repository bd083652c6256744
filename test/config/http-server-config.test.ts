/**
 * The HTTP server settings of issue 11 (SEC-F3 timeouts and caps, SEC-F9 HSTS): defaults,
 * fractional seconds for tests, and clear errors naming the variable.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config/index.js'

test('SEC-F3 the HTTP server limits default to 30 s requests, 10 s headers, 5 s keep-alive', () => {
  assert.deepEqual(loadConfig({}).http, {
    requestTimeoutMs: 30_000,
    headersTimeoutMs: 10_000,
    keepAliveTimeoutMs: 5_000,
    maxConnections: 10_000,
    maxRequestsPerSocket: 1000,
    hstsSeconds: 0,
  })
})

test('SEC-F3 timeouts accept fractions of a second; the headers timeout follows a shorter request timeout', () => {
  const c = loadConfig({ REQUEST_TIMEOUT: '0.5', KEEPALIVE_TIMEOUT: '2.25' }).http
  assert.equal(c.requestTimeoutMs, 500)
  assert.equal(c.headersTimeoutMs, 500)
  assert.equal(c.keepAliveTimeoutMs, 2250)
})

test('SEC-F3 bad limits are refused with the variable named', () => {
  const bad: [Record<string, string>, string][] = [
    [{ REQUEST_TIMEOUT: 'soon' }, 'REQUEST_TIMEOUT'],
    [{ REQUEST_TIMEOUT: '0' }, 'REQUEST_TIMEOUT'],
    [{ HEADERS_TIMEOUT: '40' }, 'HEADERS_TIMEOUT'],
    [{ KEEPALIVE_TIMEOUT: '-1' }, 'KEEPALIVE_TIMEOUT'],
    [{ MAX_CONNECTIONS: '0' }, 'MAX_CONNECTIONS'],
    [{ MAX_REQUESTS_PER_SOCKET: 'many' }, 'MAX_REQUESTS_PER_SOCKET'],
    [{ SECURE_HSTS_SECONDS: '1.5' }, 'SECURE_HSTS_SECONDS'],
  ]
  for (const [env, variable] of bad) {
    assert.throws(
      () => loadConfig(env),
      (e) => e instanceof ConfigError && e.variable === variable,
      JSON.stringify(env),
    )
  }
})

test('SEC-F9 HSTS is on for an https SITE_ROOT only', () => {
  assert.equal(loadConfig({ SITE_ROOT: 'https://vigil.example.com' }).http.hstsSeconds, 31_536_000)
  assert.equal(
    loadConfig({ SITE_ROOT: 'https://vigil.example.com', SECURE_HSTS_SECONDS: '600' }).http
      .hstsSeconds,
    600,
  )
  assert.equal(loadConfig({ SITE_ROOT: 'http://vigil.example.com' }).http.hstsSeconds, 0)
})
