/**
 * Browser tests for more monitoring pages: badges, project API keys, the admin status page and the
 * account profile. Part of the suite "monitoring pages in the browser" (the rest is in
 * monitoring-pages.test.ts), split so the longest-first schedule stays balanced.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createUser } from '../../src/accounts/users/create-user.js'
import { buildCheck } from '../helpers/builders.js'
import { describeInBrowser } from './harness.js'
import { EMAIL, logInWithProject, PASSWORD } from './monitoring-login.js'

const _DAY = 86_400_000

describeInBrowser(
  'monitoring pages in the browser',
  (current) => {
    test('the badges page shows badge URLs and its SVG previews load from the same origin', async () => {
      const { page, server } = current()
      const project = await logInWithProject(page, server)
      await buildCheck(server.ctx, project, { name: 'db', tags: 'prod', status: 'up' })
      const badges: { url: string; status: number; type: string }[] = []
      page.on('response', (r) => {
        if (r.url().includes('/badge/'))
          badges.push({ url: r.url(), status: r.status(), type: r.headers()['content-type'] ?? '' })
      })
      await page.goto(`${server.url}/projects/${project.code}/badges/`)
      await page.getByRole('heading', { name: 'All checks' }).waitFor()
      await page.getByRole('heading', { name: 'Tag: prod' }).waitFor()
      const images = page.getByRole('img', { name: /Status badge for/ })
      assert.equal(await images.count(), 2)
      for (const img of await images.all()) {
        const src = (await img.getAttribute('src')) ?? ''
        assert.equal(new URL(src, server.url).origin, server.url, `same origin: ${src}`)
        await img.evaluate((el: HTMLImageElement) =>
          el.complete ? null : new Promise((resolve) => el.addEventListener('load', resolve)),
        )
        assert.ok(
          await img.evaluate((el: HTMLImageElement) => el.naturalWidth > 0),
          `the badge renders: ${src}`,
        )
      }
      const svgUrls = await images.evaluateAll((els) =>
        els.map((el) => (el as HTMLImageElement).src),
      )
      for (const url of svgUrls) {
        const hit = badges.find((b) => b.url === url)
        assert.ok(hit, `the browser fetched ${url}`)
        assert.equal(hit.status, 200)
        assert.match(hit.type, /image\/svg\+xml/)
      }
      const codes = await page.locator('.ping-url code').allTextContents()
      assert.equal(codes.length, 6)
      assert.ok(
        codes.every((c) => c.startsWith(`${server.url}/badge/`)),
        `badge URLs: ${codes}`,
      )
      assert.ok(codes.some((c) => c.endsWith('.json')))
      assert.ok(codes.some((c) => c.endsWith('.shields')))
    })

    test('AK-2 a new API key is shown once right after log-in and works against the API', async () => {
      const { page, server } = current()
      const project = await logInWithProject(page, server)
      const settings = `${server.url}/projects/${project.code}/settings/`
      await page.goto(settings)
      await page.getByLabel('Kind of key').selectOption('rw')
      await page.getByRole('button', { name: 'Create API key' }).click()
      const status = page.getByRole('status').filter({ hasText: 'it is shown only once' })
      await status.waitFor()
      const key = ((await status.locator('code').textContent()) ?? '').trim()
      assert.match(key, /^hcw_[A-Za-z0-9]{28}$/)
      const api = await fetch(`${server.url}/api/v3/checks/`, { headers: { 'X-Api-Key': key } })
      assert.equal(api.status, 200)
      assert.deepEqual(await api.json(), { checks: [] })
      await page.goto(settings)
      assert.equal(await page.getByText(key).count(), 0, 'the key is not shown again')
    })

    test('the admin status page lists findings for a superuser and is not found for others', async () => {
      const { page, server } = current()
      const admin = await createUser(server.ctx, {
        email: EMAIL,
        password: PASSWORD,
        superuser: true,
      })
      assert.ok(admin.ok)
      await logInWithProject(page, server)
      await page
        .getByRole('navigation', { name: 'Account' })
        .getByRole('link', { name: 'Admin' })
        .click()
      await page.waitForURL(`${server.url}/admin/system`)
      await page.getByRole('heading', { name: 'System status' }).waitFor()
      const mail = page.getByRole('row', { name: /MAIL-001/ })
      assert.match((await mail.textContent()) ?? '', /Email is configured/)
      assert.notEqual(await mail.getAttribute('data-status'), 'ok', 'no SMTP is a finding')

      await page.getByRole('button', { name: 'Log out' }).click()
      await page.waitForURL(/\/login/)
      await createUser(server.ctx, { email: 'bob@example.org', password: PASSWORD })
      await page.getByLabel('Email', { exact: true }).fill('bob@example.org')
      await page.getByLabel('Password').fill(PASSWORD)
      await page.getByRole('button', { name: 'Log in' }).click()
      await page.waitForURL((u) => !u.pathname.startsWith('/login'))
      assert.equal(
        await page
          .getByRole('navigation', { name: 'Account' })
          .getByRole('link', { name: 'Admin' })
          .count(),
        0,
      )
      const r = await page.request.get(`${server.url}/admin/system`)
      assert.equal(r.status(), 404)
    })

    test('the profile saves a new time zone and shows it', async () => {
      const { page, server } = current()
      await logInWithProject(page, server)
      await page.goto(`${server.url}/account/profile`)
      const tz = page.getByLabel('Time zone')
      assert.equal(await tz.inputValue(), 'UTC')
      await tz.fill('Europe/Berlin')
      await page.getByRole('button', { name: 'Save' }).click()
      await page.getByText('Your profile was saved.').waitFor()
      assert.equal(await page.getByLabel('Time zone').inputValue(), 'Europe/Berlin')
      await page.goto(`${server.url}/account/profile`)
      assert.equal(await page.getByLabel('Time zone').inputValue(), 'Europe/Berlin')
    })
  },
  { env: () => ({ INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True' }) },
)
