import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { deliverDueNotifications } from '../../src/alerts/deliver-notifications.js'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { csrfFrom } from './form-client.js'
import { useMonitoringTest } from './monitoring-harness.js'

describeEachDatabase('web integrations', (dialect) => {
  const t = useMonitoringTest(dialect, { INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True' })
  let hook: CaptureServer
  beforeEach(async () => {
    hook = await startCaptureServer()
  })
  afterEach(async () => {
    await hook.close()
  })
  const page = () => `/projects/${t().project.code}/integrations/`
  const channelsOf = () =>
    t()
      .ctx.db.kysely.selectFrom('channels')
      .selectAll()
      .where('project_id', '=', t().project.id)
      .orderBy('id')
      .execute()

  test('the page lists channels with target, checks served and last delivery', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project)
    await buildCheck(ctx, project)
    const channel = await buildChannel(
      ctx,
      project,
      'webhook',
      {
        url_down: 'https://hooks.example.org/x',
        method_down: 'POST',
        headers_down: { Authorization: 'Bearer secret-token-1234' },
      },
      [check],
    )
    await ctx.db.kysely
      .updateTable('channels')
      .set({ last_notify: ctx.clock.now(), last_error: 'HTTP 500' })
      .where('id', '=', channel.id)
      .execute()
    await t().logIn()
    const r = await t().browser.get(page())
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /Email: alice@example\.org \(down and up\)/)
    const row = r.body.slice(r.body.indexOf(`data-channel="${channel.code}"`))
    assert.match(row, /down: POST https:\/\/hooks\.example\.org\/x/)
    assert.match(row, /1 of 2/)
    assert.match(row, /15 Jan 2026, 12:00:00 UTC/)
    assert.match(row, /✗ HTTP 500/)
    assert.doesNotMatch(r.body, /secret-token/)
  })

  test('adding an email channel assigns it to every check; another address stays unverified', async () => {
    const { ctx, project } = t()
    await buildCheck(ctx, project)
    await t().logIn()
    const add = `${page()}add_email/`
    const r = await t().submit(add, add, { address: 'ops@example.org', name: 'Ops', down: '1' })
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, `${page()}?done=added`)
    const channel = (await channelsOf()).at(-1)!
    assert.equal(channel.kind, 'email')
    assert.equal(channel.name, 'Ops')
    assert.deepEqual(JSON.parse(channel.value), { value: 'ops@example.org', up: false, down: true })
    assert.equal(channel.email_verified, 0)
    const links = await ctx.db.kysely
      .selectFrom('check_channels')
      .selectAll()
      .where('channel_id', '=', channel.id)
      .execute()
    assert.equal(links.length, 1)
    const list = await t().browser.get(`${page()}?done=added`)
    assert.match(list.body, /Unverified address/)
    assert.match(list.body, /The integration was added/)
  })

  test('an invalid address is refused with a message and nothing is added', async () => {
    await t().logIn()
    const add = `${page()}add_email/`
    const r = await t().submit(add, add, { address: 'not an address', down: '1' })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /Enter a valid email address/)
    assert.equal((await channelsOf()).length, 1)
  })

  test('adding a webhook validates it with the kind’s own rules', async () => {
    await t().logIn()
    const add = `${page()}add_webhook/`
    let r = await t().submit(add, add, { url_down: 'ftp://example.org', method_down: 'POST' })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /Url down must start with http:\/\/ or https:\/\//)
    r = await t().submit(add, add, {
      url_down: `${hook.url}/down`,
      method_down: 'POST',
      body_down: '$NAME is $STATUS',
      headers_down: 'X-Token: abc',
    })
    assert.equal(r.statusCode, 303)
    const channel = (await channelsOf()).at(-1)!
    assert.equal(channel.kind, 'webhook')
    assert.equal(JSON.parse(channel.value).headers_down['X-Token'], 'abc')
  })

  test('a test notification is queued, delivered by the worker, and its result shown', async () => {
    const { ctx, project } = t()
    const channel = await buildChannel(ctx, project, 'webhook', {
      url_down: `${hook.url}/down`,
      method_down: 'GET',
    })
    await t().logIn()
    const r = await t().submit(page(), `/integrations/${channel.code}/test/`, {})
    assert.equal(r.statusCode, 303)
    const queued = await ctx.db.kysely
      .selectFrom('notifications')
      .selectAll()
      .where('channel_id', '=', channel.id)
      .execute()
    assert.equal(queued.length, 1)
    assert.equal(queued[0].check_id, null)
    await deliverDueNotifications(ctx, { workerId: 'test-worker' })
    assert.equal(hook.requests.length, 1)
    const after = await t().browser.get(page())
    const row = after.body.slice(after.body.indexOf(`data-channel="${channel.code}"`))
    assert.match(row, /✓ delivered/)
    assert.match(row, /Test 15 Jan 2026, 12:00:00 UTC: sent/)
  })

  test('choosing checks replaces the channel’s checks; another project’s check is refused', async () => {
    const { ctx, project, bobsProject } = t()
    const a = await buildCheck(ctx, project, { name: 'a' })
    const b = await buildCheck(ctx, project, { name: 'b' })
    const bobs = await buildCheck(ctx, bobsProject)
    const channel = await buildChannel(
      ctx,
      project,
      'webhook',
      { url_down: 'https://example.org/' },
      [a],
    )
    await t().logIn()
    const form = await t().browser.get(`/integrations/${channel.code}/checks/`)
    assert.equal(form.statusCode, 200)
    assert.match(form.body, new RegExp(`value="${a.code}" checked`))
    const csrf = csrfFrom(form.body)
    const r = await t().app.inject({
      method: 'POST',
      url: `/integrations/${channel.code}/checks/`,
      cookies: Object.fromEntries(t().browser.cookies),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `csrf=${csrf}&check=${b.code}`,
    })
    assert.equal(r.statusCode, 303)
    const links = await ctx.db.kysely
      .selectFrom('check_channels')
      .select('check_id')
      .where('channel_id', '=', channel.id)
      .execute()
    assert.deepEqual(
      links.map((l) => l.check_id),
      [b.id],
    )
    const refused = await t().browser.post(`/integrations/${channel.code}/checks/`, {
      csrf,
      check: bobs.code,
    })
    assert.equal(refused.statusCode, 400)
  })

  test('removing a channel asks first, then deletes it', async () => {
    const { ctx, project } = t()
    const channel = await buildChannel(ctx, project, 'webhook', {
      url_down: 'https://example.org/',
    })
    await t().logIn()
    const confirm = await t().browser.get(`/integrations/${channel.code}/remove/`)
    assert.equal(confirm.statusCode, 200)
    assert.match(confirm.body, /Remove the integration/)
    assert.equal(
      (await channelsOf()).some((c) => c.id === channel.id),
      true,
      'showing the question removes nothing',
    )
    const r = await t().submit(
      `/integrations/${channel.code}/remove/`,
      `/integrations/${channel.code}/remove/`,
      {},
    )
    assert.equal(r.statusCode, 303)
    assert.equal(
      (await channelsOf()).some((c) => c.id === channel.id),
      false,
    )
  })

  test('another user’s project and channels are not found; actions need the CSRF token', async () => {
    const { ctx, project } = t()
    const channel = await buildChannel(ctx, project, 'webhook', {
      url_down: 'https://example.org/',
    })
    await t().logIn()
    assert.equal(
      (await t().browser.post(`/integrations/${channel.code}/remove/`, {})).statusCode,
      403,
    )
    t().browser.cookies.clear()
    await t().logIn('bob@example.org')
    const csrf = csrfFrom(
      (await t().browser.get(`/projects/${t().bobsProject.code}/integrations/`)).body,
    )
    assert.equal((await t().browser.get(page())).statusCode, 404)
    assert.equal((await t().browser.get(`${page()}add_email/`)).statusCode, 404)
    assert.equal((await t().browser.get(`/integrations/${channel.code}/checks/`)).statusCode, 404)
    for (const action of ['test', 'remove', 'checks']) {
      assert.equal(
        (await t().browser.post(`/integrations/${channel.code}/${action}/`, { csrf })).statusCode,
        404,
        action,
      )
    }
    assert.equal(
      (await t().browser.post(`${page()}add_email/`, { csrf, address: 'x@example.org' }))
        .statusCode,
      404,
    )
    assert.equal((await channelsOf()).length, 2)
  })

  test('hostile channel names come back escaped', async () => {
    await t().logIn()
    const add = `${page()}add_email/`
    const r = await t().submit(add, add, {
      address: 'alice@example.org',
      name: '<script>x</script>',
      down: '1',
    })
    assert.equal(r.statusCode, 303)
    const list = await t().browser.get(page())
    assert.ok(list.body.includes('&lt;script>x&lt;/script>'))
    assert.doesNotMatch(list.body, /<script>x/)
  })
})
