import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useMonitoringTest } from './monitoring-harness.js'

const URL = '/account/profile'
const HOUR = 3_600_000

describeEachDatabase('web account profile', (dialect) => {
  const t = useMonitoringTest(dialect)
  const alice = () =>
    t()
      .ctx.db.kysely.selectFrom('users')
      .selectAll()
      .where('id', '=', t().alice.id)
      .executeTakeFirstOrThrow()

  test('the profile page shows the current zone, reminder period and reports', async () => {
    await t()
      .ctx.db.kysely.updateTable('users')
      .set({ tz: 'Europe/Riga', nag_period: 86_400, reports: 'weekly' })
      .where('id', '=', t().alice.id)
      .execute()
    await t().logIn()
    const r = await t().browser.get(URL)
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /<input id="tz" name="tz" value="Europe\/Riga"/)
    assert.match(r.body, /<option value="86400" selected>Daily<\/option>/)
    assert.match(r.body, /<option value="weekly" selected>Weekly/)
    assert.match(r.body, /<option value="Asia\/Tokyo"/)
  })

  test('the settings link of reports mailed by Healthchecks leads to the profile page', async () => {
    const r = await t().browser.get('/accounts/profile/notifications/')
    assert.equal(r.statusCode, 301)
    assert.equal(r.headers.location, URL)
  })

  test('saving stores the zone, reminders and reports and schedules both', async () => {
    const { ctx, project } = t()
    await buildCheck(ctx, project, { status: 'down' })
    await t().logIn()
    const now = ctx.clock.now()
    const r = await t().submit(URL, URL, { tz: 'Asia/Tokyo', nag_period: '3600', reports: 'daily' })
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /Your profile was saved/)
    const user = await alice()
    assert.equal(user.tz, 'Asia/Tokyo')
    assert.equal(user.nag_period, 3600)
    assert.equal(user.reports, 'daily')
    assert.equal(Number(user.next_nag_date), now + HOUR, 'a check is down: reminder in an hour')
    const next = Number(user.next_report_date)
    assert.ok(
      next > now && next <= now + 2 * 24 * HOUR,
      `next report ${new Date(next).toISOString()}`,
    )
    // 09:00–10:59 in Tokyo (UTC+9) is 00:00–01:59 UTC.
    assert.ok(new Date(next).getUTCHours() < 2, new Date(next).toISOString())
  })

  test('switching reports and reminders off clears their dates', async () => {
    await t()
      .ctx.db.kysely.updateTable('users')
      .set({ nag_period: 3600, next_nag_date: 1, reports: 'monthly', next_report_date: 1 })
      .where('id', '=', t().alice.id)
      .execute()
    await t().logIn()
    const r = await t().submit(URL, URL, { tz: 'UTC', nag_period: '0', reports: 'off' })
    assert.equal(r.statusCode, 200)
    const user = await alice()
    assert.equal(user.nag_period, 0)
    assert.equal(user.next_nag_date, null)
    assert.equal(user.reports, 'off')
    assert.equal(user.next_report_date, null)
  })

  test('an unknown time zone is refused with 400 and nothing is saved', async () => {
    const before = await alice()
    await t().logIn()
    const r = await t().submit(URL, URL, {
      tz: 'Mars/Olympus',
      nag_period: '3600',
      reports: 'daily',
    })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /Choose a time zone from the list/)
    assert.match(r.body, /value="Mars\/Olympus"/, 'the form keeps what was typed')
    assert.deepEqual(await alice(), before)
  })

  test('a reminder period or report frequency outside the choices is refused with 400', async () => {
    const before = await alice()
    await t().logIn()
    for (const [fields, message] of [
      [{ tz: 'UTC', nag_period: '60', reports: 'off' }, /how often to be reminded/],
      [{ tz: 'UTC', nag_period: '', reports: 'off' }, /how often to be reminded/],
      [{ tz: 'UTC', nag_period: '0', reports: 'yearly' }, /report frequency/],
    ] as const) {
      const r = await t().submit(URL, URL, fields)
      assert.equal(r.statusCode, 400, JSON.stringify(fields))
      assert.match(r.body, message)
    }
    assert.deepEqual(await alice(), before)
  })

  test('a post without the CSRF token is refused with 403 and nothing is saved', async () => {
    const before = await alice()
    await t().logIn()
    const r = await t().browser.post(URL, {
      tz: 'Asia/Tokyo',
      nag_period: '3600',
      reports: 'daily',
    })
    assert.equal(r.statusCode, 403)
    assert.deepEqual(await alice(), before)
  })

  test('a logged-out visitor is sent to the log-in page', async () => {
    const r = await t().browser.get(URL)
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, `/login?next=${encodeURIComponent(URL)}`)
  })

  test('the security page links to the profile', async () => {
    await t().logIn()
    const r = await t().browser.get('/account/security')
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /href="\/account\/profile"/)
  })
})
