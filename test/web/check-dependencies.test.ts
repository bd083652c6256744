import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { checkForm as form, useCheckFormTest } from './check-form-harness.js'

describeEachDatabase('web check dependencies', (dialect) => {
  const { t } = useCheckFormTest(dialect)
  const edges = async () =>
    (
      await t()
        .ctx.db.kysely.selectFrom('check_dependencies')
        .select(['check_id', 'depends_on_id'])
        .execute()
    ).map((e) => [e.check_id, e.depends_on_id])

  test('the form ticks a parent; the details pages list parent and child', async () => {
    const { ctx, project } = t()
    const net = await buildCheck(ctx, project, { name: 'net' })
    const backup = await buildCheck(ctx, project, { name: 'backup' })
    await t().logIn()
    const url = `/checks/${backup.code}/edit`
    const page = await t().browser.get(url)
    assert.match(page.body, /<legend>Depends on<\/legend>/)
    assert.match(page.body, new RegExp(`name="depends_on" value="${net.code}"`))
    assert.doesNotMatch(page.body, new RegExp(`name="depends_on" value="${backup.code}"`))
    const r = await t().submit(url, url, form({ name: 'backup', depends_on: net.code }))
    assert.equal(r.statusCode, 303, r.body)
    assert.deepEqual(await edges(), [[backup.id, net.id]])
    const again = await t().browser.get(url)
    assert.match(again.body, new RegExp(`name="depends_on" value="${net.code}" checked`))
    const child = await t().browser.get(`/checks/${backup.code}/details/`)
    assert.match(child.body, /<dt>Depends on<\/dt>/)
    assert.match(child.body, new RegExp(`href="/checks/${net.code}/details/">net</a>`))
    const parent = await t().browser.get(`/checks/${net.code}/details/`)
    assert.match(parent.body, /<dt>Checks that depend on it<\/dt>/)
    assert.match(parent.body, new RegExp(`href="/checks/${backup.code}/details/">backup</a>`))
  })

  test('a cycle is explained next to the picker and nothing is saved', async () => {
    const { ctx, project } = t()
    const net = await buildCheck(ctx, project, { name: 'net' })
    const backup = await buildCheck(ctx, project, { name: 'backup' })
    await ctx.db.kysely
      .insertInto('check_dependencies')
      .values({ check_id: backup.id, depends_on_id: net.id })
      .execute()
    await t().logIn()
    const url = `/checks/${net.code}/edit`
    const r = await t().submit(url, url, form({ name: 'renamed', depends_on: backup.code }))
    assert.equal(r.statusCode, 400)
    assert.match(
      r.body,
      /id="depends_on-error"[^>]*>Not saved: the chosen checks would create a cycle: net → backup → net\./,
    )
    assert.deepEqual(await edges(), [[backup.id, net.id]])
    const saved = await ctx.db.kysely
      .selectFrom('checks')
      .select('name')
      .where('id', '=', net.id)
      .executeTakeFirstOrThrow()
    assert.equal(saved.name, 'net')
  })

  test('the dashboard shows a down child under its down parent, marked as held', async () => {
    const { ctx, project } = t()
    const backup = await buildCheck(ctx, project, { name: 'backup', status: 'down' })
    await buildCheck(ctx, project, { name: 'api', status: 'up', last_ping: ctx.clock.now() })
    const net = await buildCheck(ctx, project, { name: 'net', status: 'down' })
    await ctx.db.kysely
      .insertInto('check_dependencies')
      .values({ check_id: backup.id, depends_on_id: net.id })
      .execute()
    await t().logIn()
    const page = await t().browser.get(`/projects/${project.code}/checks/`)
    assert.equal(page.statusCode, 200)
    const order = [...page.body.matchAll(/class="check-name" href="[^"]+">([^<]+)</g)].map(
      (m) => m[1],
    )
    assert.deepEqual(order, ['net', 'backup', 'api'])
    assert.match(page.body, new RegExp(`data-check="${backup.code}" class="held-child"`))
    assert.match(page.body, /Alert held: parent net is down/)
  })
})
