/**
 * LG-9 in a real browser: "Log in with …" through a loopback OIDC provider, then sudo by signing
 * in there again. Chromium applies the page's CSP form-action to the redirect that follows the
 * form, which inject-driven tests cannot show. The provider is the one other origin allowed here.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { createUser } from '../../src/accounts/users/create-user.js'
import { TestOidcProvider } from '../helpers/oidc-provider.js'
import { CHROMIUM_PATH, sharedBrowser, startVigil } from './harness.js'

const chromiumMissing = existsSync(CHROMIUM_PATH)
  ? false
  : `SKIPPED: Chromium not found at ${CHROMIUM_PATH}`
if (chromiumMissing && process.env.CI === 'true')
  throw new Error(
    `The browser tests are required in CI, but Chromium is missing at ${CHROMIUM_PATH}.`,
  )

describe('LG-9 OIDC in the browser', { skip: chromiumMissing }, () => {
  let browser: Browser
  before(async () => {
    browser = await sharedBrowser()
  })

  test('LG-9 log in with the provider, then confirm a sensitive action by signing in there again', async () => {
    const idp = await new TestOidcProvider({ now: () => Date.now() }).start()
    const server = await startVigil(idp.env())
    const context = await browser.newContext()
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    const problems: string[] = []
    const allowed = new Set([new URL(server.url).origin, new URL(idp.issuer).origin])
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`)
    })
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
    page.on('request', (r) => {
      if (r.url().startsWith('http') && !allowed.has(new URL(r.url()).origin))
        problems.push(`request to another host: ${r.url()}`)
    })
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`)
    })
    try {
      const alice = await createUser(server.ctx, { email: 'alice@example.org', password: null })
      assert.ok(alice.ok)
      await server.ctx.db.kysely
        .insertInto('oidc_identities')
        .values({ user_id: alice.value.id, issuer: idp.issuer, subject: 'alice-sub', created: 0 })
        .execute()

      await page.goto(`${server.url}/login`)
      await page.getByRole('button', { name: 'Log in with Test IdP' }).click()
      await page.waitForURL(`${server.url}/checks/`)
      assert.ok(await page.getByText('alice@example.org').first().isVisible())

      // Let the sudo window of the log-in pass, as 31 minutes would.
      await server.ctx.db.kysely
        .updateTable('sessions')
        .set({ reauth_at: Date.now() - 31 * 60_000 })
        .execute()
      await page.goto(`${server.url}/account/password`)
      await page.waitForURL(/\/account\/confirm\?/)
      await page.getByRole('button', { name: 'Sign in again with Test IdP' }).click()
      await page.waitForURL(`${server.url}/account/password`)
      const prompt = idp.authorizeRequests.at(-1)
      assert.equal(prompt?.get('prompt'), 'login')
      assert.equal(prompt?.get('max_age'), '0')
      const [session] = await server.ctx.db.kysely.selectFrom('sessions').selectAll().execute()
      assert.equal(session.reauth_method, 'oidc')
      assert.deepEqual(problems, [])
    } finally {
      await context.close()
      await server.close()
      await idp.stop()
    }
  })
})
