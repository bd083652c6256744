import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useMonitoringTest } from './monitoring-harness.js'

const MINUTE = 60_000
const HOUR = 3_600_000

describeEachDatabase('web projects overview', (dialect) => {
  const t = useMonitoringTest(dialect)

  test('the overview sends anonymous visitors to the login page', async () => {
    const r = await t().browser.get('/projects/')
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/login?next=%2Fprojects%2F')
  })

  test('the overview counts up, late and down checks per project', async () => {
    const { ctx, project } = t()
    const now = ctx.clock.now()
    const simple = { timeout: 3600, grace: 600 }
    await buildCheck(ctx, project, { ...simple, status: 'up', last_ping: now - 5 * MINUTE })
    await buildCheck(ctx, project, { ...simple, status: 'up', last_ping: now - 65 * MINUTE })
    await buildCheck(ctx, project, { ...simple, status: 'up', last_ping: now - 2 * HOUR })
    await buildCheck(ctx, project, { ...simple, status: 'down', last_ping: now - 2 * HOUR })
    await buildCheck(ctx, project, { status: 'new' })
    await t().logIn()
    const r = await t().browser.get('/projects/')
    assert.equal(r.statusCode, 200)
    const card = r.body.slice(r.body.indexOf('Backups'))
    assert.match(card, /status-down/)
    assert.match(card, /<li>1 up<\/li><li>1 late<\/li><li>2 down<\/li>/)
    assert.match(card, /5 checks, 1 integration/)
  })

  test("the overview lists only the user's own projects, with projects that have a down check first", async () => {
    const { ctx } = t()
    const { project: second } = await buildProject(ctx, 'alice@example.org', 'Archive')
    await buildCheck(ctx, second, { status: 'down' })
    await t().logIn()
    const r = await t().browser.get('/projects/')
    assert.ok(r.body.indexOf('Archive') < r.body.indexOf('Backups'), 'Archive (down) first')
    assert.doesNotMatch(r.body, /Bobs Project/)
  })

  test('the home page and /checks/ show the only project, or the overview', async () => {
    const { ctx } = t()
    await t().logIn()
    for (const url of ['/', '/checks/']) {
      const r = await t().browser.get(url)
      assert.equal(r.statusCode, 200)
      assert.match(r.body, /<h1>Backups<\/h1>/)
    }
    await buildProject(ctx, 'alice@example.org', 'Second')
    const r = await t().browser.get('/checks/')
    assert.match(r.body, /<h1>Projects<\/h1>/)
    assert.match(r.body, /Second/)
  })

  test('project names are escaped', async () => {
    const { ctx } = t()
    await buildProject(ctx, 'alice@example.org', '<img src=x onerror=alert(1)>')
    await t().logIn()
    const r = await t().browser.get('/projects/')
    assert.equal(r.statusCode, 200)
    assert.ok(r.body.includes('&lt;img src=x onerror=alert(1)>'))
    assert.doesNotMatch(r.body, /<img/)
  })
})
