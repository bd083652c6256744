import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeInBrowser } from './harness.js'

const EMAIL = 'owner@example.org'
const PASSWORD = 'a long enough password'

describeInBrowser('first run in the browser', (current) => {
  test('the owner sets up the instance, sees the empty dashboard, logs out and logs in again', async () => {
    const { page, server } = current()
    await page.goto(`${server.url}/`)
    assert.equal(
      await page.getByRole('heading', { level: 1 }).textContent(),
      'Create the owner account',
    )
    await page.getByLabel('Email', { exact: true }).fill(EMAIL)
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByLabel('Password again').fill(PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()

    await page.waitForURL(`${server.url}/checks/`)
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'My Project')
    const examples = await page.locator('pre code').allTextContents()
    assert.ok(
      examples.some((line) =>
        line.startsWith(`curl -fsS -m 10 --retry 5 -o /dev/null ${server.url}/ping/`),
      ),
      `a curl example in ${JSON.stringify(examples)}`,
    )
    assert.ok(await page.getByText(EMAIL).isVisible())

    // Do what the job would do with the auto-provisioning example, then look again.
    const createLine = examples.find((line) => line.endsWith('?create=1'))
    assert.ok(createLine, 'an example that creates the check on its first ping')
    const ping = await fetch(createLine.split(' ').at(-1)!)
    assert.equal(ping.status, 201)
    await page.reload()
    const row = page.getByRole('row', { name: /nightly-backup/ })
    assert.match((await row.textContent()) ?? '', /nightly-backup.*✓ up.*just now/)

    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL(`${server.url}/login`)
    assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0)

    await page.getByLabel('Email', { exact: true }).fill(EMAIL)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL(`${server.url}/checks/`)
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'My Project')
  })

  test('the stylesheet loads and follows the dark colour scheme', async () => {
    const { page, server } = current()
    await page.goto(`${server.url}/`)
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    await page.emulateMedia({ colorScheme: 'light' })
    const light = await background()
    await page.emulateMedia({ colorScheme: 'dark' })
    const dark = await background()
    assert.equal(light, 'rgb(246, 247, 249)')
    assert.equal(dark, 'rgb(20, 23, 28)')
  })
})
