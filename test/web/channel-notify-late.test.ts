import assert from 'node:assert/strict'
import { test } from 'node:test'
import { incidentKinds } from '../../src/integrations/index.js'
import { buildChannel } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useMonitoringTest } from './monitoring-harness.js'

const CHECKBOX = /<input type="checkbox" name="notify_late" value="1"/
const CHECKED = /<input type="checkbox" name="notify_late" value="1" checked/

describeEachDatabase('web channel forms: notify on late', (dialect) => {
  const t = useMonitoringTest(dialect, { INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True' })
  const page = () => `/projects/${t().project.code}/integrations/`
  const newest = (kind: string) =>
    t()
      .ctx.db.kysely.selectFrom('channels')
      .selectAll()
      .where('project_id', '=', t().project.id)
      .where('kind', '=', kind)
      .orderBy('id', 'desc')
      .executeTakeFirst()
  const count = async () =>
    (
      await t()
        .ctx.db.kysely.selectFrom('channels')
        .select('id')
        .where('project_id', '=', t().project.id)
        .execute()
    ).length

  test('the email form offers the box, unticked, and saves it when ticked', async () => {
    await t().logIn()
    const add = `${page()}add_email/`
    const form = await t().browser.get(add)
    assert.match(form.body, CHECKBOX)
    assert.doesNotMatch(form.body, CHECKED)
    const r = await t().submit(add, add, {
      address: 'ops@example.org',
      down: '1',
      notify_late: '1',
    })
    assert.equal(r.statusCode, 303)
    assert.equal((await newest('email'))?.notify_late, 1)
    await t().submit(add, add, { address: 'dev@example.org', down: '1' })
    const plain = await newest('email')
    assert.equal(JSON.parse(plain?.value ?? '{}').value, 'dev@example.org')
    assert.equal(plain?.notify_late, 0)
  })

  test('the webhook form offers the box and saves it when ticked', async () => {
    await t().logIn()
    const add = `${page()}add_webhook/`
    assert.match((await t().browser.get(add)).body, CHECKBOX)
    const fields = { url_down: 'https://example.org/down', method_down: 'POST', notify_late: '1' }
    const r = await t().submit(add, add, fields)
    assert.equal(r.statusCode, 303)
    const channel = await newest('webhook')
    assert.equal(channel?.notify_late, 1)
    // notify_late is the channel's setting, not part of the webhook's configuration.
    assert.equal(JSON.parse(channel?.value ?? '{}').notify_late, undefined)
  })

  test('a refused email or webhook form keeps the box as posted', async () => {
    await t().logIn()
    const email = `${page()}add_email/`
    let r = await t().submit(email, email, { address: 'not an address', notify_late: '1' })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, CHECKED)
    const hook = `${page()}add_webhook/`
    r = await t().submit(hook, hook, { url_down: 'ftp://example.org', notify_late: '1' })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, CHECKED)
    assert.equal(await count(), 1)
  })

  test('the email and webhook forms refuse a post without the CSRF token', async () => {
    await t().logIn()
    const email = { address: 'ops@example.org', down: '1', notify_late: '1' }
    assert.equal((await t().browser.post(`${page()}add_email/`, email)).statusCode, 403)
    const hook = { url_down: 'https://example.org/down', notify_late: '1' }
    assert.equal((await t().browser.post(`${page()}add_webhook/`, hook)).statusCode, 403)
    assert.equal(await count(), 1)
  })

  test('the edit form of an email channel shows and clears the box', async () => {
    const { ctx, project } = t()
    const channel = await buildChannel(ctx, project, 'email', { value: 'ops@example.org' })
    await ctx.db.kysely
      .updateTable('channels')
      .set({ notify_late: 1 })
      .where('id', '=', channel.id)
      .execute()
    await t().logIn()
    const edit = `/integrations/${channel.code}/edit/`
    assert.match((await t().browser.get(edit)).body, CHECKED)
    const r = await t().submit(edit, edit, { value: 'ops@example.org', down: '1' })
    assert.equal(r.statusCode, 303)
    assert.equal((await newest('email'))?.notify_late, 0)
  })

  test('incident services have no box, say why, and refuse notify_late with a 400', async () => {
    await t().logIn()
    const add = (kind: string) => `${page()}add/${kind}/`
    const form = await t().browser.get(add('pd'))
    assert.equal(form.statusCode, 200)
    assert.doesNotMatch(form.body, CHECKBOX)
    assert.match(form.body, /Warnings .* are not sent to PagerDuty/)
    const r = await t().submit(add('pd'), add('pd'), {
      service_key: 'abcdef0123456789',
      notify_late: '1',
    })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /Notify on late cannot be true for PagerDuty: warnings are not sent/)
    assert.equal(await newest('pd'), undefined)
    assert.ok(incidentKinds().includes('pd'))
  })
})
