/**
 * A status page in Chromium: a member makes one through the project's pages, a visitor without
 * a session opens it (no script, no request to another host: the harness fails on either), its
 * Atom feed parses as XML in the browser, and the private variant opens only with its link.
 * Screenshots in light and dark at desktop width and at 375 px, as the monitoring pages'.
 */
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { buildCheck } from '../helpers/builders.js'
import { REPO_ROOT } from '../helpers/paths.js'
import { describeInBrowser } from './harness.js'
import { logInWithProject } from './monitoring-login.js'

/** Git-ignored: for looking at, not for comparing. */
const DIR = join(REPO_ROOT, 'test/e2e/screenshots')
const DAY = 86_400_000

describeInBrowser('status pages in the browser', (current) => {
  test('a member publishes a status page; visitors see it public, then only with its private link', async () => {
    const { page, server } = current()
    mkdirSync(DIR, { recursive: true })
    const project = await logInWithProject(page, server)
    const now = Date.now()
    // A three-hour outage inside one UTC day (10:00–13:00, 12 days ago), whatever the time now.
    const outage = Math.floor((now - 12 * DAY) / DAY) * DAY + 10 * 3_600_000
    const backup = await buildCheck(server.ctx, project, {
      name: 'Nightly database backup',
      status: 'up',
      last_ping: now - 60_000,
      created: now - 120 * DAY,
    })
    const sync = await buildCheck(server.ctx, project, {
      name: 'Mirror sync',
      tags: 'public',
      status: 'down',
      created: now - 30 * DAY,
    })
    await server.ctx.db.kysely
      .insertInto('flips')
      .values([
        {
          check_id: backup.id,
          created: outage,
          processed: now,
          old_status: 'up',
          new_status: 'down',
          reason: 'timeout',
        },
        {
          check_id: backup.id,
          created: outage + 3 * 3_600_000,
          processed: now,
          old_status: 'down',
          new_status: 'up',
          reason: '',
        },
        {
          check_id: sync.id,
          created: now - 2 * DAY,
          processed: now,
          old_status: 'up',
          new_status: 'down',
          reason: 'fail',
        },
      ])
      .execute()

    await page.getByRole('link', { name: 'Status pages' }).click()
    await page.getByRole('link', { name: 'New status page' }).click()
    await page.getByLabel('Title', { exact: true }).fill('Acme services')
    await page.getByLabel('Address', { exact: true }).fill('acme')
    await page.getByLabel('Description').fill('Backups and mirrors of Acme.')
    await page.getByLabel('Tags').fill('public')
    await page.getByRole('checkbox', { name: 'Nightly database backup' }).check()
    await page.getByLabel('Public name of Nightly database backup').fill('Database backups')
    await page.getByRole('button', { name: 'Create status page' }).click()
    await page.getByText('The status page was created.').waitFor()
    await page.getByRole('button', { name: 'Post note' }).waitFor()
    await page.getByLabel('Title', { exact: true }).last().fill('Mirror behind schedule')
    await page.getByLabel('Text').fill('The mirror host is unreachable; we are on it.')
    await page.getByRole('button', { name: 'Post note' }).click()
    await page.getByText('The note was posted.').waitFor()
    const manage = page.url()

    // A visitor without a session.
    await page.context().clearCookies()
    await page.goto(`${server.url}/status/acme`)
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Acme services')
    await page.getByText('Some systems are down').waitFor()
    const strips = page.getByRole('img', { name: /last 90 days/ })
    assert.equal(await strips.count(), 2)
    assert.match((await strips.first().getAttribute('aria-labelledby')) ?? '', /^strip-0$/)
    assert.match(
      (await page.locator('#strip-0').textContent()) ?? '',
      /^Database backups, last 90 days: downtime on 1 day; uptime 99\.\d\d%\.$/,
    )
    await page.getByText('Mirror behind schedule').waitFor()
    assert.equal(await page.locator('script').count(), 0, 'works without JavaScript')
    const html = await page.content()
    for (const hidden of [backup.code, sync.code, 'Nightly database backup'])
      assert.ok(!html.includes(hidden), `the page shows ${hidden}`)
    const feed = await page.evaluate(async () => {
      const text = await (await fetch('/status/acme/feed.atom')).text()
      const doc = new DOMParser().parseFromString(text, 'application/xml')
      return {
        errors: doc.getElementsByTagName('parsererror').length,
        ns: doc.documentElement.namespaceURI,
        entries: Array.from(doc.getElementsByTagName('entry')).map(
          (e) => e.getElementsByTagName('title')[0]?.textContent,
        ),
      }
    })
    assert.deepEqual(feed.errors, 0)
    assert.equal(feed.ns, 'http://www.w3.org/2005/Atom')
    assert.deepEqual(feed.entries.sort(), [
      'Database backups was down',
      'Mirror behind schedule (Investigating)',
      'Mirror sync is down',
    ])
    const json = await (await fetch(`${server.url}/status/acme/status.json`)).json()
    assert.equal(json.checks.length, 2)

    for (const [width, height, label] of [
      [1280, 900, 'desktop'],
      [375, 812, 'phone'],
    ] as const) {
      await page.setViewportSize({ width, height })
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme })
        await page.goto(`${server.url}/status/acme`)
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        )
        assert.ok(overflow <= 0, `the status page at ${label} overflows by ${overflow}px`)
        // The strip follows the theme: its bars take the stylesheet's colours.
        const fill = await page
          .locator('path.day-up')
          .first()
          .evaluate((r) => getComputedStyle(r).fill)
        assert.equal(fill, scheme === 'light' ? 'rgb(26, 127, 55)' : 'rgb(76, 196, 106)')
        await page.screenshot({
          path: join(DIR, `status-page-${label}-${scheme}.png`),
          fullPage: true,
        })
      }
    }

    // Private: the plain address stops working, the link shown once opens it.
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.emulateMedia({ colorScheme: 'light' })
    await logInAgain(page, server.url)
    await page.goto(manage)
    await page.getByLabel('Only people with the private link').check()
    await page.getByRole('button', { name: 'Save' }).click()
    const link = await page.getByRole('status').getByRole('link').getAttribute('href')
    assert.match(link ?? '', /^\/status\/acme\?token=[A-Za-z0-9_-]{43}$/)
    await page.screenshot({
      path: join(DIR, 'status-page-manage-desktop-light.png'),
      fullPage: true,
    })
    await page.context().clearCookies()
    assert.equal((await fetch(`${server.url}/status/acme`)).status, 404)
    assert.equal((await fetch(`${server.url}${link}x`)).status, 404)
    await page.goto(`${server.url}${link}`)
    await page.getByText('Some systems are down').waitFor()
    await page.getByRole('link', { name: 'JSON' }).click()
    assert.match(page.url(), /\/status\/acme\/status\.json\?token=/)
    await page.goto(`${server.url}${link}`)
    await page.setViewportSize({ width: 375, height: 812 })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join(DIR, 'status-page-private-phone-dark.png'), fullPage: true })
  })
})

async function logInAgain(page: import('playwright-core').Page, url: string) {
  await page.goto(`${url}/login`)
  await page.getByLabel('Email', { exact: true }).fill('alice@example.org')
  await page.getByLabel('Password').fill('correct horse battery')
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL(`${url}/checks/`)
}
