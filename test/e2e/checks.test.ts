/**
 * The check form and the theme in the browser: the cron preview, the period and grace sliders and
 * the theme switch. The dashboard's filters, live status and actions are in
 * checks-dashboard.test.ts (one suite split over two files so the longest-first schedule stays
 * balanced).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
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
