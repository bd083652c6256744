/**
 * SEC-SETUP (issue 11, first-run takeover window): until the owner exists, a browser that is not
 * on the server's loopback must type the setup code to create the owner account; the code is the
 * same for every process on the database (here: the CLI computes it, the web checks it), shown by
 * `vigil doctor` and `vigil setup-code`, and guesses are rate-limited per client address.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { FastifyInstance, InjectOptions } from 'fastify'
import type { Env } from '../../src/config/index.js'
import { databaseEnv, runVigil } from '../helpers/cli.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { csrfFrom, FormClient } from './form-client.js'

const OWNER = {
  email: 'owner@example.org',
  password: 'long enough pw',
  password_confirm: 'long enough pw',
}
const REMOTE = '203.0.113.7'

describeEachDatabase('SEC-SETUP first-run setup code', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let cliEnv: Env

  async function start(env: Env = {}): Promise<void> {
    ctx = await createTestContext(dialect, env)
    app = await testApp(ctx)
    cliEnv = { ...databaseEnv(ctx.config.db), SECRET_KEY: 'test-secret-key-0123456789', ...env }
  }
  beforeEach(() => start())
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  /** A browser whose requests come from `remoteAddress` with `headers` added. */
  function browserAt(remoteAddress: string, headers: Record<string, string> = {}): FormClient {
    const remoteApp = {
      inject: (o: InjectOptions) =>
        app.inject({ ...o, remoteAddress, headers: { ...headers, ...(o.headers ?? {}) } }),
    } as unknown as FastifyInstance
    return new FormClient(remoteApp, ctx.clock)
  }

  async function setupCode(): Promise<string> {
    const r = await runVigil(cliEnv, 'setup-code')
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    return r.out
  }

  const userCount = async () =>
    (await ctx.db.kysely.selectFrom('users').select('id').execute()).length

  test('SEC-SETUP on loopback the form asks no code and works as before', async () => {
    const browser = browserAt('127.0.0.1')
    const page = await browser.get('/')
    assert.equal(page.statusCode, 200)
    assert.doesNotMatch(page.body, /setup_code/)
    const r = await browser.post('/', { ...OWNER, csrf: csrfFrom(page.body) })
    assert.equal(r.statusCode, 303)
    assert.equal(await userCount(), 1)
  })

  test('SEC-SETUP from another machine the owner cannot be created without the right code', async () => {
    const browser = browserAt(REMOTE)
    const page = await browser.get('/')
    assert.match(page.body, /<label for="setup-code">Setup code<\/label>/)
    assert.match(page.body, /vigil setup-code/)
    const csrf = csrfFrom(page.body)
    const missing = await browser.post('/', { ...OWNER, csrf })
    assert.equal(missing.statusCode, 403)
    assert.match(missing.body, /setup code is not right/)
    const wrong = await browser.post('/', { ...OWNER, csrf, setup_code: 'AAAA-BBBB-CCCC' })
    assert.equal(wrong.statusCode, 403)
    assert.equal(await userCount(), 0)
    assert.equal(
      wrong.cookies.find((c) => c.name === 'hc_session'),
      undefined,
    )
    // The code from the CLI (another process on the same database), typed loosely.
    const code = await setupCode()
    const typed = ` ${code.replace(/-/g, '').toLowerCase()} `
    const right = await browser.post('/', { ...OWNER, csrf, setup_code: typed })
    assert.equal(right.statusCode, 303)
    assert.equal(right.headers.location, '/checks/')
    assert.equal(await userCount(), 1)
  })

  test('SEC-SETUP a loopback peer relaying X-Forwarded-For without being a trusted proxy needs the code', async () => {
    const relayed: Record<string, string>[] = [
      { 'x-forwarded-for': REMOTE },
      { forwarded: `for=${REMOTE}` },
    ]
    for (const headers of relayed) {
      const page = await browserAt('127.0.0.1', headers).get('/')
      assert.match(page.body, /name="setup_code"/, JSON.stringify(headers))
    }
    // A remote client claiming to be loopback is not believed either.
    const spoof = await browserAt(REMOTE, { 'x-forwarded-for': '127.0.0.1' }).get('/')
    assert.match(spoof.body, /name="setup_code"/)
  })

  test('SEC-SETUP behind a trusted proxy the forwarded client decides', async () => {
    await releaseApp(app)
    await ctx.drop()
    await start({ TRUSTED_PROXY_CIDRS: '10.0.0.1' })
    const local = await browserAt('10.0.0.1', { 'x-forwarded-for': '127.0.0.1' }).get('/')
    assert.doesNotMatch(local.body, /name="setup_code"/)
    const remote = await browserAt('10.0.0.1', { 'x-forwarded-for': REMOTE }).get('/')
    assert.match(remote.body, /name="setup_code"/)
    const chained = await browserAt('10.0.0.1', { 'x-forwarded-for': `127.0.0.1, ${REMOTE}` }).get(
      '/',
    )
    assert.match(chained.body, /name="setup_code"/)
  })

  test('SEC-SETUP guesses are limited per client address; another address is unaffected', async () => {
    const code = await setupCode()
    const browser = browserAt(REMOTE)
    const csrf = csrfFrom((await browser.get('/')).body)
    for (let i = 0; i < 10; i++) {
      const r = await browser.post('/', { ...OWNER, csrf, setup_code: `WRONG-${i}` })
      assert.equal(r.statusCode, 403, `attempt ${i + 1}`)
    }
    const blocked = await browser.post('/', { ...OWNER, csrf, setup_code: code })
    assert.equal(blocked.statusCode, 429)
    assert.ok(Number(blocked.headers['retry-after']) > 0)
    assert.match(blocked.body, /Too many setup codes tried/)
    assert.equal(await userCount(), 0)
    const other = browserAt('198.51.100.9')
    const page = await other.get('/')
    const ok = await other.post('/', { ...OWNER, csrf: csrfFrom(page.body), setup_code: code })
    assert.equal(ok.statusCode, 303)
    assert.equal(await userCount(), 1)
  })

  test('SEC-SETUP vigil doctor shows the code until the owner exists; then setup-code says so', async () => {
    const code = await setupCode()
    const before = await runVigil(cliEnv, 'doctor')
    assert.match(before.out, new RegExp(`SETUP-001 .*setup code ${code}`))
    const browser = browserAt('127.0.0.1')
    await browser.submit('/', '/', OWNER)
    assert.equal(await userCount(), 1)
    const after = await runVigil(cliEnv, 'doctor')
    assert.doesNotMatch(after.out, /SETUP-001/)
    const again = await runVigil(cliEnv, 'setup-code')
    assert.equal(again.code, 1)
    assert.match(again.err, /already set up/)
  })
})
