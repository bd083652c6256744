/**
 * Browser tests for the monitoring pages around the checks: the projects overview and integrations
 * (a webhook added, tested against a capture server and removed). Badges, project API keys, the
 * admin status page and the account profile are in monitoring-pages-more.test.ts (one suite split
 * over two files so the longest-first schedule stays balanced).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { deliverDueNotifications } from '../../src/alerts/index.js'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { startCaptureServer } from '../helpers/capture-server.js'
import { describeInBrowser } from './harness.js'
import { EMAIL, logInWithProject } from './monitoring-login.js'

const DAY = 86_400_000

describeInBrowser(
  'monitoring pages in the browser',
  (current) => {
    test('the projects overview shows each project with its up, late and down counts', async () => {
      const { page, server } = current()
      const backups = await logInWithProject(page, server)
      const { project: web } = await buildProject(server.ctx, EMAIL, 'Web')
      const now = Date.now()
      await buildCheck(server.ctx, backups, { name: 'a', status: 'up', last_ping: now })
      await buildCheck(server.ctx, backups, { name: 'b', status: 'up', last_ping: now })
      // Past the one-day timeout but within the one-hour grace: late.
      await buildCheck(server.ctx, backups, {
        name: 'c',
        status: 'up',
        last_ping: now - DAY - 1_800_000,
      })
      await buildCheck(server.ctx, web, { name: 'd', status: 'down', last_ping: now - 2 * DAY })
      await page.goto(`${server.url}/projects/`)
      await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor()
      const counts = (name: string) =>
        page
          .getByRole('list', { name: `Checks of ${name} by status` })
          .getByRole('listitem')
          .allTextContents()
      assert.deepEqual(await counts('Backups'), ['2 up', '1 late', '0 down'])
      assert.deepEqual(await counts('Web'), ['0 up', '0 late', '1 down'])
      // The project with a down check comes first.
      assert.deepEqual(
        await page.getByRole('list', { name: 'Projects' }).getByRole('heading').allTextContents(),
        ['Web', 'Backups'],
      )
      await page.getByRole('link', { name: 'Web' }).click()
      await page.waitForURL(`${server.url}/projects/${web.code}/checks/`)
    })

    test('a webhook integration is added, sends a test notification and is removed', async () => {
      const { page, server } = current()
      const capture = await startCaptureServer()
      try {
        const project = await logInWithProject(page, server)
        const integrations = `${server.url}/projects/${project.code}/integrations/`
        await page.goto(integrations)
        await page.getByRole('link', { name: 'Add Webhook' }).click()
        await page.getByRole('heading', { name: 'Add a webhook integration' }).waitFor()
        await page.getByLabel('Name (optional)').fill('Ops hook')
        const down = page.getByRole('group', { name: 'When a check goes down' })
        await down.getByLabel('URL').fill(`${capture.url}/hook/$STATUS`)
        await down.getByLabel('Method').selectOption('POST')
        await down.getByLabel('Body').fill('$NAME is $STATUS')
        await page.getByRole('button', { name: 'Add the integration' }).click()
        await page.waitForURL(`${integrations}?done=added`)
        const row = page.getByRole('row', { name: /Ops hook/ })
        assert.match((await row.textContent()) ?? '', /Webhook:.*\/hook\/\$STATUS/)
        assert.match((await row.textContent()) ?? '', /never/)

        await row.getByRole('button', { name: 'Send test' }).click()
        await page.waitForURL(`${integrations}?done=test`)
        await page.getByText('A test notification is queued').waitFor()
        // The worker's job, done here: deliver what is due.
        assert.deepEqual(await deliverDueNotifications(server.ctx, { workerId: 'e2e' }), ['sent'])
        const [request] = await capture.waitFor(1)
        assert.equal(request.method, 'POST')
        assert.equal(request.url, '/hook/down')
        assert.equal(request.body, 'TEST is down')
        await page.reload()
        assert.match((await row.textContent()) ?? '', /Test .*: sent/)
        assert.match((await row.textContent()) ?? '', /✓ delivered/)

        await row.getByRole('link', { name: 'Remove Ops hook…' }).click()
        await page.getByRole('heading', { name: 'Remove “Ops hook”?' }).waitFor()
        await page.getByRole('link', { name: 'Keep it' }).click()
        await page.waitForURL(integrations)
        await row.getByRole('link', { name: 'Remove Ops hook…' }).click()
        await page.getByRole('button', { name: 'Remove the integration' }).click()
        await page.waitForURL(`${integrations}?done=removed`)
        await page.getByText('The integration was removed.').waitFor()
        assert.equal(await page.getByRole('row', { name: /Ops hook/ }).count(), 0)
      } finally {
        await capture.close()
      }
    })
  },
  { env: () => ({ INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True' }) },
)
