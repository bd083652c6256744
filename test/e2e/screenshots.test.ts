import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { REPO_ROOT } from '../helpers/paths.js'
import { describeInBrowser } from './harness.js'
import { logInWithProject } from './monitoring-login.js'

/** Git-ignored: for looking at, not for comparing. */
const DIR = join(REPO_ROOT, 'test/e2e/screenshots')

describeInBrowser('screenshots of the monitoring pages', (current) => {
  test('dashboard, details and add-check render in light and dark, at desktop width and at 375 px', async () => {
    const { page, server } = current()
    mkdirSync(DIR, { recursive: true })
    const project = await logInWithProject(page, server)
    const now = Date.now()
    const backup = await buildCheck(server.ctx, project, {
      name: 'Nightly database backup',
      tags: 'prod db',
      desc: 'pg_dump of the main database',
      status: 'up',
      last_ping: now - 5 * 60_000,
      kind: 'cron',
      schedule: '0 3 * * *',
      tz: 'Europe/Berlin',
    })
    await buildCheck(server.ctx, project, {
      name: 'Log rotation',
      tags: 'prod',
      status: 'down',
      last_ping: now - 3 * 86_400_000,
    })
    await buildCheck(server.ctx, project, {
      name: 'Staging sync',
      tags: 'staging',
      status: 'paused',
    })
    await buildCheck(server.ctx, project, { name: 'Certificate renewal' })
    await buildChannel(server.ctx, project, 'webhook', { url_down: 'https://example.org/' }, [
      backup,
    ])
    for (const status of ['start', '0', 'start', '1']) {
      const r = await fetch(
        `${server.url}/ping/${backup.code}${status === '0' ? '' : `/${status}`}`,
        { method: 'POST', body: `run output ${status}` },
      )
      assert.equal(r.status, 200)
    }
    const pages: [string, string][] = [
      ['dashboard', `/projects/${project.code}/checks/`],
      ['details', `/checks/${backup.code}/details/`],
      ['add-check', `/projects/${project.code}/checks/add`],
    ]
    for (const [width, height, label] of [
      [1280, 900, 'desktop'],
      [375, 812, 'phone'],
    ] as const) {
      await page.setViewportSize({ width, height })
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme })
        for (const [name, path] of pages) {
          await page.goto(`${server.url}${path}`)
          // Nothing but the tables may scroll sideways: the page itself fits the screen.
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          )
          assert.ok(overflow <= 0, `${name} at ${label} overflows by ${overflow}px`)
          await page.screenshot({
            path: join(DIR, `${name}-${label}-${scheme}.png`),
            fullPage: true,
          })
        }
      }
    }
  })
})
