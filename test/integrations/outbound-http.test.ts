/**
 * SEC-F7: outbound requests to user-supplied URLs keep their secrets with the origin the user
 * typed. A redirect to another origin (here: another port on loopback) gets no Authorization,
 * Cookie, Proxy-Authorization, URL credentials or custom headers; a same-origin redirect keeps
 * them, as curl does. Real loopback capture servers; loopback allowed as the other outbound tests
 * do (allowPrivateIps).
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { sendOutbound } from '../../src/integrations/outbound-http.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'

let first: CaptureServer
let other: CaptureServer
beforeEach(async () => {
  first = await startCaptureServer()
  other = await startCaptureServer()
})
afterEach(async () => {
  await first.close()
  await other.close()
})

const SECRET_HEADERS = {
  Authorization: 'Bearer s3cret-token',
  Cookie: 'session=s3cret-cookie',
  'Proxy-Authorization': 'Basic cHJveHk6czNjcmV0',
  'X-Api-Key': 's3cret-key',
  'Content-Type': 'application/json',
}

/** The first URL with `user:pass@` in it. */
function withCredentials(base: string, path: string): string {
  const u = new URL(path, base)
  u.username = 'hook-user'
  u.password = 'hook-s3cret'
  return u.href
}

function send(url: string, headers: Record<string, string> = SECRET_HEADERS) {
  return sendOutbound({
    method: 'POST',
    url,
    headers,
    body: '{"x":1}',
    timeoutMs: 5000,
    allowPrivateIps: true,
  })
}

function assertNoSecrets(headers: Record<string, unknown>): void {
  for (const name of ['authorization', 'cookie', 'proxy-authorization', 'x-api-key'])
    assert.equal(headers[name], undefined, `${name} was forwarded`)
  assert.doesNotMatch(JSON.stringify(headers), /s3cret/)
}

test('SEC-F7 a redirect to another origin receives no credentials or custom headers', async () => {
  first.script({ status: 307, headers: { location: `${other.url}/collect` } })
  const r = await send(`${first.url}/hook`)
  assert.equal(r.ok && r.response.status, 200)
  const [got] = await other.waitFor(1)
  assert.equal(got.url, '/collect')
  assertNoSecrets(got.headers)
  // What describes the request still goes: the 307 keeps method, body and its type.
  assert.equal(got.method, 'POST')
  assert.equal(got.body, '{"x":1}')
  assert.equal(got.headers['content-type'], 'application/json')
  assert.equal(got.headers['user-agent'], 'Vigil')
  // The first origin did get them.
  assert.equal(first.requests[0].headers.authorization, 'Bearer s3cret-token')
  assert.equal(first.requests[0].headers['x-api-key'], 's3cret-key')
})

test('SEC-F7 URL credentials go to the first origin as Basic auth, never across a redirect', async () => {
  first.script({ status: 302, headers: { location: `${other.url}/collect` } })
  const r = await send(withCredentials(first.url, '/hook'), { 'X-Token': 's3cret' })
  assert.equal(r.ok && r.response.status, 200)
  const basic = `Basic ${Buffer.from('hook-user:hook-s3cret').toString('base64')}`
  assert.equal(first.requests[0].headers.authorization, basic)
  const [got] = await other.waitFor(1)
  assertNoSecrets(got.headers)
})

test('SEC-F7 a same-origin redirect keeps the credentials and headers', async () => {
  first.script({ status: 307, headers: { location: '/moved' } }, 200)
  const r = await send(withCredentials(first.url, '/hook'))
  assert.equal(r.ok && r.response.status, 200)
  const [, moved] = await first.waitFor(2)
  assert.equal(moved.url, '/moved')
  // An explicit Authorization header wins over the URL's credentials, on both hops.
  assert.equal(moved.headers.authorization, 'Bearer s3cret-token')
  assert.equal(moved.headers.cookie, 'session=s3cret-cookie')
  assert.equal(moved.headers['proxy-authorization'], 'Basic cHJveHk6czNjcmV0')
  assert.equal(moved.headers['x-api-key'], 's3cret-key')
})

test('SEC-F7 secrets stay dropped when a later redirect comes back to the first origin', async () => {
  first.script({ status: 307, headers: { location: `${other.url}/bounce` } }, 200)
  other.script({ status: 307, headers: { location: `${first.url}/back` } })
  const r = await send(`${first.url}/hook`)
  assert.equal(r.ok && r.response.status, 200)
  const [, back] = await first.waitFor(2)
  assert.equal(back.url, '/back')
  assertNoSecrets(back.headers)
})
