import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildCheck } from '../helpers/builders.js'
import { describeInBrowser } from './harness.js'
import { logInWithProject } from './monitoring-login.js'

describeInBrowser('check dependencies in the browser', (current) => {
  test('ticking a parent in the edit form shows it on the details pages', async () => {
    const { page, server } = current()
    const project = await logInWithProject(page, server)
    const net = await buildCheck(server.ctx, project, { name: 'net' })
    const backup = await buildCheck(server.ctx, project, { name: 'backup' })
    await page.goto(`${server.url}/checks/${backup.code}/edit`)
    await page.getByRole('group', { name: 'Depends on' }).getByLabel('net').check()
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.waitForURL(`${server.url}/checks/${backup.code}/details/`)
    assert.equal(await page.locator('.related-checks a').textContent(), 'net')
    await page.locator('.related-checks a').click()
    await page.waitForURL(`${server.url}/checks/${net.code}/details/`)
    assert.ok(await page.getByText('Checks that depend on it').isVisible())
    assert.equal(await page.locator('.related-checks a').textContent(), 'backup')
  })
})
