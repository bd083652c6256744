import assert from 'node:assert/strict'
import { test } from 'node:test'
import { newUuid } from '../../src/tokens.js'
import { buildChannel } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useMonitoringTest } from './monitoring-harness.js'

/** Generous: a page that ran one query per check would take several times this on either database. */
const BUDGET_MS = 1500

describeEachDatabase('web pages with 1,000 checks', (dialect) => {
  const t = useMonitoringTest(dialect)

  test('the overview, dashboard, status.json and integrations answer within budget', async () => {
    const { ctx, project } = t()
    const now = ctx.clock.now()
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      code: newUuid(),
      badge_key: newUuid(),
      project_id: project.id,
      created: now - i,
      name: `check ${i}`,
      tags: i % 3 === 0 ? 'prod' : 'staging',
      status: i % 10 === 0 ? ('down' as const) : ('up' as const),
      last_ping: now - i * 1000,
    }))
    for (let i = 0; i < rows.length; i += 250) {
      await ctx.db.kysely
        .insertInto('checks')
        .values(rows.slice(i, i + 250))
        .execute()
    }
    const checks = await ctx.db.kysely
      .selectFrom('checks')
      .selectAll()
      .where('project_id', '=', project.id)
      .execute()
    await buildChannel(ctx, project, 'webhook', { url_down: 'https://example.org/' }, checks)
    await t().logIn()
    for (const url of [
      '/projects/',
      `/projects/${project.code}/checks/`,
      `/projects/${project.code}/checks/?tag=prod&sort=name`,
      `/projects/${project.code}/checks/status.json`,
      `/projects/${project.code}/integrations/`,
      `/projects/${project.code}/badges/`,
    ]) {
      const started = performance.now()
      const r = await t().browser.get(url)
      const ms = performance.now() - started
      assert.equal(r.statusCode, 200, url)
      assert.ok(ms < BUDGET_MS, `${url} took ${Math.round(ms)} ms`)
    }
  })
})
