import assert from 'node:assert/strict'
import { test } from 'node:test'
import { findProjectByApiKey } from '../../src/projects/api-key-auth.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useMonitoringTest } from './monitoring-harness.js'

describeEachDatabase('web badges, project settings and admin status', (dialect) => {
  const t = useMonitoringTest(dialect)
  const settings = () => `/projects/${t().project.code}/settings/`

  test('the badges page shows signed badge URLs for all checks and each tag', async () => {
    const { ctx, project } = t()
    await buildCheck(ctx, project, { tags: 'prod db' })
    await t().logIn()
    const r = await t().browser.get(`/projects/${project.code}/badges/`)
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /All checks/)
    assert.match(r.body, /Tag: db/)
    assert.match(r.body, /Tag: prod/)
    assert.match(r.body, new RegExp(`/badge/${project.badge_key}/[^/]+-2\\.svg`))
    const three = await t().browser.get(`/projects/${project.code}/badges/?states=3`)
    assert.doesNotMatch(three.body, /-2\.svg/)
    // The previewed image answers, so the page's <img> works.
    const src = /<img src="([^"]+)"/.exec(r.body)![1]
    const image = await t().app.inject({ method: 'GET', url: new URL(src).pathname })
    assert.equal(image.statusCode, 200)
  })

  test('renaming a project trims the name and refuses an empty one', async () => {
    const { ctx, project } = t()
    await t().logIn()
    let r = await t().submit(settings(), `${settings()}name`, { name: '  Nightly jobs  ' })
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /The project name was saved/)
    const saved = await ctx.db.kysely
      .selectFrom('projects')
      .select('name')
      .where('id', '=', project.id)
      .executeTakeFirstOrThrow()
    assert.equal(saved.name, 'Nightly jobs')
    r = await t().submit(settings(), `${settings()}name`, { name: '   ' })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /1 to 200 characters/)
  })

  test('a new API key is shown once, works, and replaces the old one', async () => {
    const { ctx } = t()
    await t().logIn()
    const r = await t().submit(settings(), `${settings()}api-keys`, { kind: 'rw' })
    assert.equal(r.statusCode, 200)
    const keys = [...r.body.matchAll(/>(hcw_[A-Za-z0-9]{28})<\/code>/g)].map((m) => m[1])
    assert.equal(keys.length, 1)
    assert.ok((await findProjectByApiKey(ctx, keys[0], false)).ok, 'the read-write key works')
    const page = await t().browser.get(settings())
    assert.ok(!page.body.includes(keys[0]), 'shown only once')
  })

  test('a new ping key changes the slug URLs', async () => {
    const { ctx, project } = t()
    await t().logIn()
    const r = await t().submit(settings(), `${settings()}ping-key`, {})
    assert.equal(r.statusCode, 200)
    const saved = await ctx.db.kysely
      .selectFrom('projects')
      .select('ping_key')
      .where('id', '=', project.id)
      .executeTakeFirstOrThrow()
    assert.notEqual(saved.ping_key, project.ping_key)
    assert.ok(r.body.includes(`${saved.ping_key}/&lt;slug>`))
  })

  test('another user’s badges and settings are not found, and settings need the CSRF token', async () => {
    const { ctx, project } = t()
    await t().logIn()
    assert.equal((await t().browser.post(`${settings()}api-keys`, {})).statusCode, 403)
    t().browser.cookies.clear()
    await t().logIn('bob@example.org')
    assert.equal((await t().browser.get(settings())).statusCode, 404)
    assert.equal((await t().browser.get(`/projects/${project.code}/badges/`)).statusCode, 404)
    const bobsPage = await t().browser.get(`/projects/${t().bobsProject.code}/settings/`)
    const csrf = /name="csrf" value="([^"]+)"/.exec(bobsPage.body)![1]
    for (const action of ['name', 'api-keys', 'ping-key']) {
      assert.equal(
        (await t().browser.post(`${settings()}${action}`, { csrf, name: 'hijacked' })).statusCode,
        404,
        action,
      )
    }
    const saved = await ctx.db.kysely
      .selectFrom('projects')
      .selectAll()
      .where('id', '=', project.id)
      .executeTakeFirstOrThrow()
    assert.equal(saved.name, 'Backups')
    const keys = await ctx.db.kysely
      .selectFrom('api_keys')
      .select('id')
      .where('project_id', '=', project.id)
      .execute()
    assert.equal(keys.length, 2, 'the API keys were not replaced')
  })

  test('the admin status page is for superusers only and shows findings, queues and the outbox', async () => {
    const { ctx, alice } = t()
    await ctx.db.kysely
      .insertInto('mail_outbox')
      .values({
        created: ctx.clock.now(),
        to_addr: 'x@example.org',
        from_addr: 'vigil@example.org',
        subject: '<b>Alert</b>',
        text_body: '',
        html_body: null,
        next_attempt_at: 0,
        claimed_by: null,
        claimed_at: null,
        sent_at: null,
        notification_id: null,
      })
      .execute()
    await t().logIn()
    assert.equal((await t().browser.get('/admin/system')).statusCode, 404)
    await ctx.db.kysely
      .updateTable('users')
      .set({ is_superuser: 1 })
      .where('id', '=', alice.id)
      .execute()
    const r = await t().browser.get('/admin/system')
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /vigil\.E003/)
    assert.match(r.body, /No worker has ever run/)
    assert.match(r.body, /Mail outbox: 1 pending/)
    assert.ok(r.body.includes('&lt;b>Alert&lt;/b>'))
  })
})
