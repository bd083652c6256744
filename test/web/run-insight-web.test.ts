// Run insight on the web: the check form's fields and the details page's learned band and
// "unusual duration" flag, from real pings through the ping endpoint.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { checkForm as form, useCheckFormTest } from './check-form-harness.js'

const MIN = 60_000
const DAY = 86_400_000

describeEachDatabase('web run insight', (dialect) => {
  const { t, addUrl, checksOf } = useCheckFormTest(dialect)

  test('the check form saves the run-insight warnings and shows them when editing', async () => {
    await t().logIn()
    const r = await t().submit(
      addUrl(),
      addUrl(),
      form({
        unusual_duration_warning: '1',
        too_often_warning: '1',
        new_source_days: '14',
        source_scope: 'network',
      }),
    )
    assert.equal(r.statusCode, 303)
    const [check] = await checksOf()
    assert.equal(check.insight_duration, 1)
    assert.equal(check.insight_too_often, 1)
    assert.equal(check.insight_two_sources, 0)
    assert.equal(check.insight_new_source_days, 14)
    assert.equal(check.insight_source_scope, 'network')
    assert.equal(check.insight_on, 1)
    const page = await t().browser.get(`/checks/${check.code}/edit`)
    assert.match(page.body, /name="unusual_duration_warning" value="1" checked/)
    assert.match(page.body, /id="new_source_days" name="new_source_days" value="14"/)
    assert.match(page.body, /<option value="network" selected>/)
  })

  test('a bad number of days is explained next to the field and nothing is saved', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'db' })
    await t().logIn()
    const url = `/checks/${check.code}/edit`
    for (const days of ['366', '-1', 'week']) {
      const r = await t().submit(url, url, form({ name: 'changed', new_source_days: days }))
      assert.equal(r.statusCode, 400, days)
      assert.match(r.body, /Enter a whole number of days from 0 to 365\./)
    }
    const [saved] = await checksOf()
    assert.equal(saved.name, 'db')
    assert.equal(saved.insight_on, 0)
  })

  test('the details page draws the usual band and flags an unusual last run', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'backup', status: 'up' })
    const ping = async (at: number, suffix = '') => {
      ctx.clock.set(at)
      const r = await t().app.inject({ method: 'GET', url: `/ping/${check.code}${suffix}` })
      assert.equal(r.statusCode, 200)
    }
    const first = Date.parse('2026-01-01T03:00:00Z')
    for (let i = 0; i < 20; i++) {
      await ping(first + i * DAY, '/start')
      await ping(first + i * DAY + 4 * MIN + (i % 3) * 20_000)
    }
    await t().logIn()
    const usual = await t().browser.get(`/checks/${check.code}/details/`)
    assert.match(usual.body, /<rect class="band"/)
    assert.match(usual.body, /Usually 2 min 51 s to 5 min 49 s\. 0 with an unusual duration\./)
    assert.doesNotMatch(usual.body, /class="unusual-duration"/)

    await ping(first + 20 * DAY, '/start')
    await ping(first + 20 * DAY + 41 * MIN)
    const r = await t().browser.get(`/checks/${check.code}/details/`)
    assert.match(r.body, /class="unusual-duration"> unusual duration/)
    assert.match(
      r.body,
      /<rect class="bar bar-unusual"[^>]*><title>#42: 41 min[^<]*\(unusual duration\)<\/title>/,
    )
    assert.match(r.body, /1 with an unusual duration\./)
  })
})
