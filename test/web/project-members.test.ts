import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { MemberRole } from '../../src/db/index.js'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { csrfFrom } from './form-client.js'
import { useMonitoringTest } from './monitoring-harness.js'

describeEachDatabase('web monitoring pages for project members', (dialect) => {
  const t = useMonitoringTest(dialect)

  async function makeBobMember(role: MemberRole) {
    const { ctx, project, bob, alice } = t()
    await ctx.db.kysely
      .insertInto('members')
      .values({
        project_id: project.id,
        user_id: bob.id,
        role,
        created: ctx.clock.now(),
        invited_by: alice.id,
      })
      .execute()
  }

  test('a member sees the project in the overview and its dashboard', async () => {
    await makeBobMember('w')
    await buildCheck(t().ctx, t().project, { name: 'shared job' })
    await t().logIn('bob@example.org')
    const overview = await t().browser.get('/projects/')
    assert.match(overview.body, /Backups/)
    assert.match(overview.body, /Bobs Project/)
    const r = await t().browser.get(`/projects/${t().project.code}/checks/`)
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /shared job/)
  })

  test('a member with write access can add and pause checks', async () => {
    await makeBobMember('w')
    await t().logIn('bob@example.org')
    const add = `/projects/${t().project.code}/checks/add`
    const r = await t().submit(add, add, {
      name: 'by bob',
      kind: 'simple',
      timeout_value: '1',
      timeout_unit: 'days',
      grace_value: '1',
      grace_unit: 'hours',
      action: 'save',
    })
    assert.equal(r.statusCode, 303)
  })

  test('a read-only member may look, but every change (a test notification too) answers 403', async () => {
    const { ctx, project } = t()
    await makeBobMember('r')
    const check = await buildCheck(ctx, project, { name: 'watched' })
    const channel = await buildChannel(ctx, project, 'webhook', {
      url_down: 'https://example.org/',
    })
    await t().logIn('bob@example.org')
    for (const path of [
      `/projects/${project.code}/checks/`,
      `/checks/${check.code}/details/`,
      `/projects/${project.code}/integrations/`,
      `/projects/${project.code}/badges/`,
    ]) {
      assert.equal((await t().browser.get(path)).statusCode, 200, path)
    }
    const csrf = csrfFrom((await t().browser.get(`/checks/${check.code}/details/`)).body)
    for (const path of [
      `/projects/${project.code}/checks/add`,
      `/checks/${check.code}/edit`,
      `/projects/${project.code}/integrations/add_email/`,
    ]) {
      assert.equal((await t().browser.get(path)).statusCode, 403, `GET ${path}`)
    }
    for (const path of [
      `/projects/${project.code}/checks/add`,
      `/checks/${check.code}/edit`,
      `/checks/${check.code}/pause/`,
      `/checks/${check.code}/remove/`,
      `/projects/${project.code}/integrations/add_webhook/`,
      `/integrations/${channel.code}/remove/`,
      `/integrations/${channel.code}/checks/`,
      `/projects/${project.code}/settings/name`,
      `/projects/${project.code}/settings/api-keys`,
    ]) {
      const r = await t().browser.post(path, { csrf, name: 'changed', address: 'x@example.org' })
      assert.equal(r.statusCode, 403, `POST ${path}`)
      assert.match(r.body, /read-only access/)
    }
    // SEC-F5: a test notification is a write like any other POST.
    assert.equal(
      (await t().browser.post(`/integrations/${channel.code}/test/`, { csrf })).statusCode,
      403,
      'test notifications are refused',
    )
    const saved = await ctx.db.kysely
      .selectFrom('checks')
      .selectAll()
      .where('id', '=', check.id)
      .executeTakeFirstOrThrow()
    assert.equal(saved.name, 'watched')
    assert.equal(saved.status, 'new')
  })
})
