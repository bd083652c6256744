import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { allowedHosts, hostAllowed, hostName, loadConfig } from '../../src/config/index.js'
import { createTestContext, type TestContext } from '../helpers/context.js'

const config = (env: Record<string, string>) =>
  loadConfig({ SECRET_KEY: 'test-secret-key-0123456789', ...env })

test('ALLOWED_HOSTS Host header names: port dropped, lower-cased, IPv6 brackets kept, junk refused', () => {
  const cases: [string | undefined, string | null][] = [
    ['vigil.example.com', 'vigil.example.com'],
    ['Vigil.Example.COM:8443', 'vigil.example.com'],
    ['vigil.example.com.', 'vigil.example.com'],
    ['127.0.0.1:8000', '127.0.0.1'],
    ['[::1]:8000', '[::1]'],
    ['[::1]', '[::1]'],
    [undefined, null],
    ['', null],
    ['evil.com/path', null],
    ['evil.com:80:80', null],
    ['user@evil.com', null],
  ]
  for (const [header, name] of cases) assert.equal(hostName(header), name, String(header))
})

test('ALLOWED_HOSTS matching as Django: exact, .domain for it and its subdomains, * for any', () => {
  assert.equal(hostAllowed('vigil.example.com', ['vigil.example.com']), true)
  assert.equal(hostAllowed('other.example.com', ['vigil.example.com']), false)
  assert.equal(hostAllowed('example.com', ['.example.com']), true)
  assert.equal(hostAllowed('a.b.example.com', ['.example.com']), true)
  assert.equal(hostAllowed('badexample.com', ['.example.com']), false)
  assert.equal(hostAllowed('anything.org', ['*']), true)
})

test('ALLOWED_HOSTS unset: the SITE_ROOT host plus loopback names; set: exactly the list', () => {
  assert.deepEqual(allowedHosts(config({})), ['localhost', '.localhost', '127.0.0.1', '[::1]'])
  assert.deepEqual(allowedHosts(config({ SITE_ROOT: 'https://vigil.example.com/hc' })), [
    'vigil.example.com',
    '.localhost',
    '127.0.0.1',
    '[::1]',
  ])
  assert.deepEqual(
    allowedHosts(
      config({
        SITE_ROOT: 'https://vigil.example.com',
        ALLOWED_HOSTS: ' Vigil.example.com, .example.org ',
      }),
    ),
    ['vigil.example.com', '.example.org'],
  )
})

let ctx: TestContext
let app: FastifyInstance
async function start(env: Record<string, string>) {
  ctx = await createTestContext('sqlite', env)
  app = await buildApp(ctx)
}
afterEach(async () => {
  await app?.close()
  await ctx?.drop()
  app = undefined as unknown as FastifyInstance
  ctx = undefined as unknown as TestContext
})
const get = (url: string, host: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers: { host, ...headers } })

test('ALLOWED_HOSTS with nothing configured, localhost:8000 and 127.0.0.1:8000 both answer', async () => {
  await start({})
  for (const host of ['localhost:8000', '127.0.0.1:8000', '[::1]:8000', 'localhost']) {
    const r = await get('/api/v3/status/', host)
    assert.equal(r.statusCode, 200, host)
  }
})

test('ALLOWED_HOSTS a Host outside the list gets a plain 400 on pages, pings and the API alike', async () => {
  await start({ SITE_ROOT: 'https://vigil.example.com', ALLOWED_HOSTS: 'vigil.example.com' })
  for (const url of ['/login', '/ping/0b4a6bd2-1a15-4c40-bb6b-a9a2d1c8d5a5', '/api/v3/checks/']) {
    const r = await get(url, 'evil.example.net')
    assert.equal(r.statusCode, 400, url)
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8')
    assert.equal(
      r.body,
      'Bad Request (400): this server does not answer to the host name evil.example.net. If this is your server, add the name to ALLOWED_HOSTS.',
    )
  }
  // Set explicitly, the list is all there is: loopback names are not added.
  assert.equal((await get('/api/v3/status/', '127.0.0.1:8000')).statusCode, 400)
  assert.equal((await get('/api/v3/status/', 'vigil.example.com:443')).statusCode, 200)
})

test('ALLOWED_HOSTS a malformed Host is refused without echoing it', async () => {
  await start({})
  const r = await get('/api/v3/status/', 'localhost<script>')
  assert.equal(r.statusCode, 400)
  assert.match(r.body, /does not answer to a missing or malformed host name/)
  assert.doesNotMatch(r.body, /script/)
})

test('ALLOWED_HOSTS leading-dot entries allow subdomains; * allows any host', async () => {
  await start({ SITE_ROOT: 'https://vigil.example.com', ALLOWED_HOSTS: '.example.com' })
  assert.equal((await get('/api/v3/status/', 'status.example.com')).statusCode, 200)
  assert.equal((await get('/api/v3/status/', 'example.com')).statusCode, 200)
  assert.equal((await get('/api/v3/status/', 'example.com.evil.org')).statusCode, 400)
  await app.close()
  await ctx.drop()
  await start({ ALLOWED_HOSTS: '*' })
  assert.equal((await get('/api/v3/status/', 'whatever.invalid')).statusCode, 200)
})

test('ALLOWED_HOSTS X-Forwarded-Host counts only from a trusted proxy', async () => {
  await start({
    SITE_ROOT: 'https://vigil.example.com',
    ALLOWED_HOSTS: 'vigil.example.com,127.0.0.1',
    TRUSTED_PROXY_CIDRS: '10.0.0.0/8',
  })
  const viaProxy = (xfh: string) =>
    app.inject({
      method: 'GET',
      url: '/api/v3/status/',
      remoteAddress: '10.0.0.5',
      headers: { host: '127.0.0.1:8000', 'x-forwarded-host': xfh },
    })
  assert.equal((await viaProxy('vigil.example.com')).statusCode, 200)
  assert.equal((await viaProxy('evil.example.net')).statusCode, 400)
  // A client talking directly cannot pick its host name with the header.
  const direct = await app.inject({
    method: 'GET',
    url: '/api/v3/status/',
    remoteAddress: '203.0.113.9',
    headers: { host: 'evil.example.net', 'x-forwarded-host': 'vigil.example.com' },
  })
  assert.equal(direct.statusCode, 400)
})
