import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'

// Issue 13 §3: browsers ask for /favicon.ico by themselves; it answered 404.
describeEachDatabase('favicon', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  before(async () => {
    ctx = await createTestContext(dialect)
    app = await testApp(ctx)
  })
  after(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  test('/favicon.ico answers the site icon to anyone, cacheable', async () => {
    const r = await app.inject({ method: 'GET', url: '/favicon.ico' })
    assert.equal(r.statusCode, 200)
    assert.equal(r.headers['content-type'], 'image/svg+xml')
    assert.match(String(r.headers['cache-control']), /public, max-age=\d+/)
    const svg = await app.inject({ method: 'GET', url: '/static/favicon.svg' })
    assert.equal(r.body, svg.body)
    assert.match(r.body, /^<svg/)
  })
})
