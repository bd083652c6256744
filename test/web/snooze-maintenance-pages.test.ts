import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { checkForm as form, useCheckFormTest } from './check-form-harness.js'
import { csrfFrom } from './form-client.js'

const MIN = 60_000

describeEachDatabase('web: snooze buttons, maintenance windows in the form, marks', (dialect) => {
  const { t, addUrl, checksOf } = useCheckFormTest(dialect)

  test('snooze from the details page, see it marked, end it; the history keeps both', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'db', status: 'up' })
    await t().logIn()
    const url = `/checks/${check.code}/details/`
    const page = await t().browser.get(url)
    assert.match(page.body, /<option value="240">4 hours<\/option>/)
    const r = await t().browser.post(`/checks/${check.code}/snooze/`, {
      csrf: csrfFrom(page.body),
      minutes: '240',
      reason: 'disk swap',
    })
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, `${url}?snoozed=1`)
    const [saved] = await checksOf()
    assert.equal(saved.snoozed_until, ctx.clock.now() + 240 * MIN)
    const snoozed = await t().browser.get(url)
    assert.match(snoozed.body, /<strong>Snoozed<\/strong> until/)
    assert.match(snoozed.body, /\(disk swap\)/)
    assert.match(snoozed.body, /End snooze/)
    const dash = await t().browser.get(`/projects/${project.code}/checks/`)
    assert.match(dash.body, /class="hold-mark snoozed"/)

    const end = await t().browser.post(`/checks/${check.code}/unsnooze/`, {
      csrf: csrfFrom(snoozed.body),
    })
    assert.equal(end.statusCode, 303)
    assert.equal((await checksOf())[0].snoozed_until, null)
    const after = await t().browser.get(url)
    assert.match(after.body, /Snooze history/)
    assert.match(after.body, /by web \(disk swap\), ended/)
  })

  test('a bad duration is a 400 page and snoozes nothing; CSRF is required', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'db' })
    await t().logIn()
    const page = await t().browser.get(`/checks/${check.code}/details/`)
    const bad = await t().browser.post(`/checks/${check.code}/snooze/`, {
      csrf: csrfFrom(page.body),
      minutes: '0',
    })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /minutes is out of range/)
    const noCsrf = await t().browser.post(`/checks/${check.code}/snooze/`, { minutes: '30' })
    assert.equal(noCsrf.statusCode, 403)
    assert.equal((await checksOf())[0].snoozed_until, null)
  })

  test('the form saves windows, previews them with a DST mark and explains bad lines', async () => {
    const { ctx, project } = t()
    // The week before Riga's clocks go forward (Sunday 2026-03-29).
    ctx.clock.set('2026-03-23T12:00:00Z')
    const check = await buildCheck(ctx, project, { name: 'db' })
    await t().logIn()
    const url = `/checks/${check.code}/edit`
    const r = await t().submit(url, url, form({ maintenance: '0 2 * * 0 | 2h | Europe/Riga' }))
    assert.equal(r.statusCode, 303, r.body)
    const [saved] = await checksOf()
    assert.deepEqual(JSON.parse(saved.maintenance), [
      { schedule: '0 2 * * 0', duration: 7200, tz: 'Europe/Riga' },
    ])
    const edit = await t().browser.get(url)
    assert.match(edit.body, /0 2 \* \* 0 \| 2h \| Europe\/Riga<\/textarea>/)
    assert.match(edit.body, /Next maintenance windows/)
    // 29 Mar 02:00 EET → 05:00 EEST: marked.
    assert.match(
      edit.body,
      /29 Mar 2026, 02:00:00 EET<\/td><td>29 Mar 2026, 05:00:00 EEST<\/td><td><span class="dst-mark"/,
    )
    const details = await t().browser.get(`/checks/${check.code}/details/`)
    assert.match(details.body, /Next maintenance windows/)

    for (const [text, message] of [
      ['0 2 * * 0', /Line 1: write .{1,6}schedule \| duration \| time zone/],
      ['0 2 * * 0 | 2h | Mars/Base', /line 1: tz is not a valid timezone/],
      ['0 2 * * 0 | 30s', /Line 1: write/],
      ['nonsense | 1h', /line 1: schedule is not a valid cron or OnCalendar expression/],
    ] as const) {
      const bad = await t().submit(url, url, form({ maintenance: text }))
      assert.equal(bad.statusCode, 400, text)
      assert.ok(message.test(bad.body), text)
    }
    assert.equal((await checksOf())[0].maintenance, saved.maintenance)
    const add = await t().submit(addUrl(), addUrl(), form({ maintenance: '' }))
    assert.equal(add.statusCode, 303)
  })

  test('the dashboard marks a check inside a project window', async () => {
    const { ctx, project } = t()
    await ctx.db.kysely
      .updateTable('projects')
      .set({ maintenance: JSON.stringify([{ schedule: '0 12 * * *', duration: 3600, tz: 'UTC' }]) })
      .where('id', '=', project.id)
      .execute()
    await buildCheck(ctx, project, { name: 'db' })
    await t().logIn()
    const dash = await t().browser.get(`/projects/${project.code}/checks/`)
    assert.match(dash.body, /class="hold-mark maintenance"/)
  })
})
