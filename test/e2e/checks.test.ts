import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildCheck } from '../helpers/builders.js'
import { describeInBrowser } from './harness.js'
import { logInWithProject } from './monitoring-login.js'

describeInBrowser('checks in the browser', (current) => {
  test('adding a cron check previews the next runs across the DST change as you type', async () => {
    const { page, server } = current()
    const project = await logInWithProject(page, server)
    await page.getByRole('link', { name: 'Add check' }).first().click()
    await page.waitForURL(`${server.url}/projects/${project.code}/checks/add`)
    await page.getByLabel('Name', { exact: true }).fill('Sunday report')
    await page.getByLabel('Cron', { exact: true }).check()
    assert.ok(
      await page.getByLabel('Expression', { exact: true }).isVisible(),
      'the expression field shows for cron',
    )
    assert.ok(
      !(await page.getByLabel('Period', { exact: true }).isVisible()),
      'the period hides for cron',
    )
    // Noon on the Sundays of March in Berlin: the last one is after the switch to summer time.
    await page.getByLabel('Expression', { exact: true }).fill('0 12 * 3 0')
    await page.getByLabel('Time zone', { exact: true }).fill('Europe/Berlin')
    const preview = page.locator('#schedule-preview')
    await preview.getByText('In Europe/Berlin').waitFor()
    await preview.locator('td', { hasText: '12:00:00 CEST' }).first().waitFor()
    const viewer = await preview.locator('tbody tr td:nth-child(2)').allTextContents()
    assert.equal(viewer.length, 5)
    assert.ok(
      viewer.some((t) => t.includes('11:00:00 UTC')),
      `before the change: ${viewer}`,
    )
    assert.ok(
      viewer.some((t) => t.includes('10:00:00 UTC')),
      `after the change: ${viewer}`,
    )

    await page.getByLabel('Expression', { exact: true }).fill('0 12 * 3')
    await preview.getByText('exactly five fields').waitFor()
    await page.getByLabel('Expression', { exact: true }).fill('0 12 * 3 0')
    await preview.locator('td', { hasText: 'CEST' }).first().waitFor()

    await page.getByRole('button', { name: 'Add check' }).click()
    await page.waitForURL(/\/checks\/[0-9a-f-]{36}\/details\/$/)
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sunday report')
    assert.match(
      (await page.locator('.facts').textContent()) ?? '',
      /0 12 \* 3 0 \(Europe\/Berlin\)/,
    )
  })

  test('the period and grace sliders set the typed values, and typing moves them', async () => {
    const { page, server } = current()
    const project = await logInWithProject(page, server)
    await page.goto(`${server.url}/projects/${project.code}/checks/add`)
    const period = page.getByLabel('Period slider')
    const grace = page.getByLabel('Grace time slider')
    await period.waitFor()
    // The new-check defaults (1 day, 1 hour) put the sliders on those stops.
    assert.equal(await period.getAttribute('aria-valuetext'), '1 day')
    assert.equal(await grace.getAttribute('aria-valuetext'), '1 hour')

    // One step down from a day is 18 hours: the typed fields follow, and so does the preview.
    await period.focus()
    await page.keyboard.press('ArrowLeft')
    assert.equal(await page.getByLabel('Period', { exact: true }).inputValue(), '18')
    assert.equal(await page.getByLabel('Period unit').inputValue(), 'hours')
    assert.equal(await period.getAttribute('aria-valuetext'), '18 hours')
    await page.locator('#schedule-preview').getByText('Next expected pings').waitFor()

    // Typing 90 minutes moves the grace slider to the nearest stop without changing the field.
    await page.getByLabel('Grace time', { exact: true }).fill('90')
    await page.getByLabel('Grace time unit').selectOption('minutes')
    assert.equal(await grace.getAttribute('aria-valuetext'), '2 hours')
    assert.equal(await page.getByLabel('Grace time', { exact: true }).inputValue(), '90')

    await page.getByLabel('Name', { exact: true }).fill('Slid')
    await page.getByRole('button', { name: 'Add check' }).click()
    await page.waitForURL(/\/checks\/[0-9a-f-]{36}\/details\/$/)
    const saved = await server.ctx.db.kysely
      .selectFrom('checks')
      .select(['timeout', 'grace'])
      .where('name', '=', 'Slid')
      .executeTakeFirstOrThrow()
    assert.deepEqual(
      { timeout: Number(saved.timeout), grace: Number(saved.grace) },
      { timeout: 18 * 3600, grace: 90 * 60 },
    )
  })

  test('the dashboard filters by tag and by text, and sorts by name', async () => {
    const { page, server } = current()
    const project = await logInWithProject(page, server)
    await buildCheck(server.ctx, project, { name: 'db backup', tags: 'prod db', created: 1 })
    await buildCheck(server.ctx, project, { name: 'web logs', tags: 'prod', created: 2 })
    await buildCheck(server.ctx, project, { name: 'staging sync', tags: 'staging', created: 3 })
    await page.reload()
    const names = () => page.locator('tbody .check-name').allTextContents()
    assert.deepEqual(await names(), ['db backup', 'web logs', 'staging sync'])
    await page
      .getByRole('navigation', { name: 'Filter by tag' })
      .getByRole('link', { name: 'prod' })
      .click()
    await page.waitForURL(/tag=prod/)
    assert.deepEqual(await names(), ['db backup', 'web logs'])
    await page.getByLabel('Search by name, slug or UUID').fill('LOGS')
    await page.getByRole('button', { name: 'Filter' }).click()
    await page.waitForURL(/search=LOGS/)
    assert.deepEqual(await names(), ['web logs'])
    await page.getByRole('link', { name: 'Clear filters' }).click()
    await page.waitForURL(`${server.url}/projects/${project.code}/checks/`)
    await page.getByRole('link', { name: 'Name' }).click()
    await page.waitForURL(/sort=name/)
    assert.deepEqual(await names(), ['db backup', 'staging sync', 'web logs'])
  })

  test('after a ping the details page shows it in the event log, and the dashboard updates live', async () => {
    const { page, server } = current()
    const project = await logInWithProject(page, server)
    const check = await buildCheck(server.ctx, project, { name: 'nightly' })
    // The page's timers run on a clock the test moves, so the 10 s poll costs no real 10 s.
    await page.clock.install()
    await page.reload()
    const row = page.getByRole('row', { name: /nightly/ })
    assert.match((await row.textContent()) ?? '', /○ new/)
    const ping = await fetch(`${server.url}/ping/${check.code}/0`, {
      method: 'POST',
      body: 'all fine',
    })
    assert.equal(ping.status, 200)
    // The live-status script polls every 10 s.
    await page.clock.runFor(10_000)
    await row.locator('.status-label', { hasText: 'up' }).waitFor({ timeout: 5_000 })
    await row.getByRole('link', { name: 'nightly' }).click()
    await page.waitForURL(`${server.url}/checks/${check.code}/details/`)
    const first = page.locator('table.events tbody tr').first()
    assert.match((await first.textContent()) ?? '', /#1 OK \(exit status 0\).*all fine/)
    await first.getByRole('link', { name: '#1' }).click()
    await page.getByRole('heading', { name: 'Ping #1' }).waitFor()
    assert.equal((await page.locator('pre.body').textContent())?.trim(), 'all fine')
  })

  test('pause, resume and delete with confirmation', async () => {
    const { page, server } = current()
    const project = await logInWithProject(page, server)
    const check = await buildCheck(server.ctx, project, {
      name: 'to be removed',
      status: 'up',
      last_ping: Date.now(),
    })
    await page.goto(`${server.url}/checks/${check.code}/details/`)
    assert.ok(
      await page.getByRole('button', { name: 'Copy the UUID URL' }).isVisible(),
      'copy buttons appear with JavaScript',
    )
    await page.getByRole('button', { name: 'Pause' }).click()
    await page.getByRole('button', { name: 'Resume' }).waitFor()
    assert.match((await page.locator('#status + p').textContent()) ?? '', /paused/)
    await page.getByRole('button', { name: 'Resume' }).click()
    await page.getByRole('button', { name: 'Pause' }).waitFor()
    assert.match((await page.locator('#status + p').textContent()) ?? '', /new/)
    await page.getByRole('link', { name: 'Delete…' }).click()
    await page.getByRole('heading', { name: 'Delete “to be removed”?' }).waitFor()
    await page.getByRole('button', { name: 'Delete the check' }).click()
    await page.waitForURL(`${server.url}/projects/${project.code}/checks/`)
    assert.equal(await page.getByText('to be removed').count(), 0)
    assert.ok(await page.getByRole('heading', { name: 'No checks yet' }).isVisible())
  })

  test('the theme switch overrides the system colour scheme', async () => {
    const { page, server } = current()
    await logInWithProject(page, server)
    await page.emulateMedia({ colorScheme: 'light' })
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    assert.equal(await background(), 'rgb(246, 247, 249)')
    await page.getByRole('button', { name: 'Dark' }).click()
    await page.waitForLoadState()
    assert.equal(await background(), 'rgb(20, 23, 28)')
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.getByRole('button', { name: 'Light' }).click()
    await page.waitForLoadState()
    assert.equal(await background(), 'rgb(246, 247, 249)')
  })
})
