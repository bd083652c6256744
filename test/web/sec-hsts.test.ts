/**
 * SEC-F9 (issue 11): with an https SITE_ROOT every response carries Strict-Transport-Security
 * (pages, API, pings, refusals and 404s), with SECURE_HSTS_SECONDS as max-age; over http none.
 */
import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Env } from '../../src/config/index.js'
import type { Check } from '../../src/db/index.js'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'

describeEachDatabase('SEC-F9 HSTS', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let check: Check
  async function start(env: Env): Promise<void> {
    ctx = await createTestContext(dialect, env)
    const { project } = await buildProject(ctx)
    check = await buildCheck(ctx, project)
    app = await testApp(ctx)
  }
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  /** The HSTS header of a page, an API error, a ping, a 404 and a refused host. */
  async function headersSeen(): Promise<(string | undefined)[]> {
    const requests = [
      { method: 'GET', url: '/login' },
      { method: 'GET', url: '/api/v3/checks/' },
      { method: 'GET', url: `/ping/${check.code}` },
      { method: 'POST', url: `/ping/${check.code}/fail`, payload: 'x' },
      { method: 'GET', url: '/no/such/page' },
      { method: 'GET', url: '/login', headers: { host: 'evil.example' } },
    ] as const
    const out: (string | undefined)[] = []
    for (const r of requests) {
      const res = await app.inject(r)
      assert.ok(res.statusCode < 500, `${r.method} ${r.url}: ${res.statusCode}`)
      out.push(res.headers['strict-transport-security'] as string | undefined)
    }
    return out
  }

  test('SEC-F9 an https site sends a year of HSTS on every response', async () => {
    await start({ SITE_ROOT: 'https://vigil.example.com' })
    for (const h of await headersSeen()) assert.equal(h, 'max-age=31536000')
  })

  test('SEC-F9 SECURE_HSTS_SECONDS sets the max-age, and 0 turns it off', async () => {
    await start({ SITE_ROOT: 'https://vigil.example.com', SECURE_HSTS_SECONDS: '3600' })
    for (const h of await headersSeen()) assert.equal(h, 'max-age=3600')
    await releaseApp(app)
    await ctx.drop()
    await start({ SITE_ROOT: 'https://vigil.example.com', SECURE_HSTS_SECONDS: '0' })
    for (const h of await headersSeen()) assert.equal(h, undefined)
  })

  test('SEC-F9 an http site sends no HSTS', async () => {
    await start({ SITE_ROOT: 'http://vigil.example.com', SECURE_HSTS_SECONDS: '3600' })
    for (const h of await headersSeen()) assert.equal(h, undefined)
  })
})
