/**
 * The dashboard in the browser: filters and sorting, the live status after a ping, pause, resume
 * and delete. Part of the suite "checks in the browser" (the rest is in checks.test.ts), split so
 * the longest-first schedule stays balanced.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildCheck } from '../helpers/builders.js'
import { describeInBrowser } from './harness.js'
import { logInWithProject } from './monitoring-login.js'

describeInBrowser('checks in the browser', (current) => {
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
})
