/**
 * The event log of a check in the browser: the full log's filters, and new events shown without a
 * reload. Part of the suite "check details actions and the event log in the browser" (the rest is
 * in check-details-actions.test.ts), split so the longest-first schedule stays balanced.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildCheck } from '../helpers/builders.js'
import { describeInBrowser } from './harness.js'
import { logInWithProject, ping } from './monitoring-login.js'

describeInBrowser('check details actions and the event log in the browser', (current) => {
  test('the full log filters by kind and by date through its plain GET form', async () => {
    const { page, server } = current()
    const project = await logInWithProject(page, server)
    const check = await buildCheck(server.ctx, project, { name: 'job' })
    // Alice's zone is UTC; taken before the pings so they fall on "today" or later.
    const today = new Date().toISOString().slice(0, 10)
    await ping(server.url, `${check.code}/start`)
    await ping(server.url, `${check.code}/fail`, 'broke')
    await ping(server.url, check.code)
    await page.goto(`${server.url}/checks/${check.code}/details/`)
    await page.getByRole('link', { name: 'Full event log with filters' }).click()
    await page.getByRole('heading', { name: 'Event log' }).waitFor()
    const rows = page.locator('table.events tbody tr')
    // 3 pings and 2 status changes (new → down on the failure, down → up after it).
    assert.equal(await rows.count(), 5)
    for (const label of ['OK', 'Started', 'Log', 'Ignored', 'Status changes']) {
      await page.getByLabel(label, { exact: true }).uncheck()
    }
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL(/kind=fail/)
    assert.equal(await rows.count(), 1)
    assert.match((await rows.first().textContent()) ?? '', /#2 Failure.*broke/)
    assert.ok(await page.getByLabel('Failure', { exact: true }).isChecked())
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    await page.getByLabel('From').fill(tomorrow)
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.getByText('No events match these filters.').waitFor()
    await page.getByLabel('From').fill(today)
    await page.getByLabel('To').fill(tomorrow)
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL(new RegExp(`to=${tomorrow}`))
    assert.equal(await rows.count(), 1)
    await page.getByRole('link', { name: 'Reset' }).click()
    await page.waitForURL(`${server.url}/checks/${check.code}/log/`)
    assert.equal(await rows.count(), 5)
  })

  test('new events appear in the details and log pages without a reload', async () => {
    const { page, server } = current()
    const project = await logInWithProject(page, server)
    const check = await buildCheck(server.ctx, project, { name: 'live' })
    // The page's timers run on a clock the test moves, so the 5 s poll costs no real 5 s.
    await page.clock.install()
    await page.goto(`${server.url}/checks/${check.code}/details/`)
    assert.ok(await page.getByText('No events yet.').isVisible())
    // A marker that a reload would wipe.
    await page.evaluate(() => {
      ;(window as unknown as { marker: number }).marker = 1
    })
    await ping(server.url, check.code, '<b>done</b>')
    await page.clock.runFor(5_000)
    const first = page.locator('table.events tbody tr').first()
    await first.getByRole('link', { name: '#1' }).waitFor({ timeout: 5_000 })
    assert.match((await first.textContent()) ?? '', /#1 OK.*<b>done<\/b>/)
    assert.equal(await first.locator('b').count(), 0, 'the body stays text')
    assert.ok(!(await page.getByText('No events yet.').isVisible()))
    assert.equal(
      await page.evaluate(() => (window as unknown as { marker?: number }).marker),
      1,
      'no reload',
    )

    await page.goto(`${server.url}/checks/${check.code}/log/?filtered=1&kind=fail`)
    assert.equal(await page.locator('table.events tbody tr').count(), 0)
    await ping(server.url, check.code)
    await ping(server.url, `${check.code}/fail`)
    await page.clock.runFor(5_000)
    const failure = page.locator('table.events tbody tr', { hasText: '#3 Failure' })
    await failure.waitFor({ timeout: 5_000 })
    assert.equal(await page.locator('table.events tbody tr').count(), 1, 'only the ticked kind')
  })
})
