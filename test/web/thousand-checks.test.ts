/**
 * Pages over a project with 1,000 checks do a fixed number of queries, not one per check: each
 * page is asked for with 1,000 checks and again with 10, and the number of statements sent to the
 * database must not change. (How fast they answer is a benchmark's question: bench/pages.ts.)
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely'
import { newUuid } from '../../src/tokens.js'
import { buildChannel } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useMonitoringTest } from './monitoring-harness.js'

/** Counts the statements a Kysely instance sends. */
class StatementCounter implements KyselyPlugin {
  count = 0
  transformQuery(args: PluginTransformQueryArgs) {
    this.count++
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result
  }
}

describeEachDatabase('web pages with 1,000 checks', (dialect) => {
  const t = useMonitoringTest(dialect)

  test('the overview, dashboard, status.json, integrations and badges do not query per check', async () => {
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
    const urls = [
      '/projects/',
      `/projects/${project.code}/checks/`,
      `/projects/${project.code}/checks/?tag=prod&sort=name`,
      `/projects/${project.code}/checks/status.json`,
      `/projects/${project.code}/integrations/`,
      `/projects/${project.code}/badges/`,
    ]
    const plain = ctx.db.kysely
    async function statementsPerPage(): Promise<Record<string, number>> {
      const counts: Record<string, number> = {}
      for (const url of urls) {
        const counter = new StatementCounter()
        ctx.db.kysely = plain.withPlugin(counter)
        try {
          const r = await t().browser.get(url)
          assert.equal(r.statusCode, 200, url)
        } finally {
          ctx.db.kysely = plain
        }
        counts[url] = counter.count
      }
      return counts
    }
    // A first visit may save something once (the dashboard's sort order): not counted.
    await statementsPerPage()
    const withThousand = await statementsPerPage()
    const keep = checks.slice(0, 10).map((c) => c.id)
    await plain.deleteFrom('check_channels').where('check_id', 'not in', keep).execute()
    await plain.deleteFrom('checks').where('id', 'not in', keep).execute()
    const withTen = await statementsPerPage()
    for (const url of urls) assert.ok(withTen[url] > 0, `${url} was not counted`)
    assert.deepEqual(withThousand, withTen)
  })
})
