import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import type { Project } from '../../src/db/index.js'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { FormClient } from './form-client.js'

const PASSWORD = 'correct horse battery'
const MINUTE = 60_000

describeEachDatabase('web dashboard', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  let browser: FormClient
  let project: Project
  beforeEach(async () => {
    ctx = await createTestContext(dialect, { PING_ENDPOINT: 'https://hc-ping.example.org/' })
    app = await buildApp(ctx)
    browser = new FormClient(app, ctx.clock)
    ;({ project } = await buildProject(ctx, 'alice@example.org', 'Backups'))
  })
  afterEach(async () => {
    await app.close()
    await ctx.drop()
  })

  const logInAlice = async () => {
    const r = await browser.submit('/login', '/login', {
      email: 'alice@example.org',
      password: PASSWORD,
    })
    assert.equal(r.statusCode, 303)
  }

  test('the dashboard sends anonymous visitors to the login page', async () => {
    await buildCheck(ctx, project, { name: 'nightly' })
    const r = await browser.get('/checks/')
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/login')
    assert.doesNotMatch(r.body, /nightly/)
  })

  test('a project without checks explains how to add one, with a curl line for its ping URL', async () => {
    await logInAlice()
    const r = await browser.get('/checks/')
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /<h2[^>]*>Backups<\/h2>/)
    assert.match(r.body, /no checks yet/)
    assert.ok(r.body.includes(`npx vigil check create --project ${project.code} --name`))
    assert.ok(
      r.body.includes(
        `curl -fsS -m 10 --retry 5 -o /dev/null https://hc-ping.example.org/${project.ping_key}/nightly-backup?create=1`,
      ),
    )
  })

  test('checks are listed with status icon and word, last ping and ping URL', async () => {
    const now = ctx.clock.now()
    await buildCheck(ctx, project, { name: 'never pinged' })
    await buildCheck(ctx, project, {
      name: 'fresh',
      status: 'up',
      last_ping: now - 3 * MINUTE,
      timeout: 3600,
      grace: 600,
    })
    const late = await buildCheck(ctx, project, {
      name: '',
      status: 'up',
      last_ping: now - 2 * 3600_000,
      timeout: 3600,
      grace: 600,
    })
    await buildCheck(ctx, project, { name: 'resting', status: 'paused' })
    await logInAlice()
    const r = await browser.get('/')
    assert.equal(r.statusCode, 200)
    const rows = r.body.split('<tr').slice(2)
    assert.equal(rows.length, 4)
    assert.match(rows[0], /status-new[\s\S]*○[\s\S]*new[\s\S]*never pinged[\s\S]*never/)
    assert.match(
      rows[1],
      /status-up[\s\S]*✓[\s\S]*up[\s\S]*fresh[\s\S]*3 minutes ago[\s\S]*2026-01-15T11:57:00Z/,
    )
    assert.match(rows[2], /status-down[\s\S]*✗[\s\S]*down/)
    assert.ok(rows[2].includes(`<code>${late.code}</code>`), 'an unnamed check shows its uuid')
    assert.ok(rows[2].includes(`https://hc-ping.example.org/${late.code}`))
    assert.match(rows[3], /status-paused[\s\S]*paused[\s\S]*resting/)
  })

  test('check names are escaped', async () => {
    await buildCheck(ctx, project, { name: '<script>alert(1)</script>' })
    await logInAlice()
    const r = await browser.get('/checks/')
    // preact escapes `<` and `&` in text, which is what keeps a tag from opening.
    assert.match(r.body, /<td>&lt;script>alert\(1\)&lt;\/script><\/td>/)
    assert.doesNotMatch(r.body, /<script/i)
  })

  test("another user's projects and checks do not appear", async () => {
    const { project: bobs } = await buildProject(ctx, 'bob@example.org', 'Bobs Project')
    await buildCheck(ctx, bobs, { name: 'bobs secret job' })
    await logInAlice()
    const r = await browser.get('/checks/')
    assert.doesNotMatch(r.body, /Bobs Project|bobs secret job/)
  })
})
