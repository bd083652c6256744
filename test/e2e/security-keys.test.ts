import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { createUser } from '../../src/accounts/users/create-user.js'
import { describeInBrowser } from './harness.js'

const EMAIL = 'alice@example.org'
const PASSWORD = 'a long enough password'

async function logInWithPassword(page: Page, url: string) {
  await page.goto(`${url}/login`)
  await page.getByLabel('Email', { exact: true }).fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
}

/** Chromium's virtual authenticator (CDP): a USB key that always says yes. */
async function addVirtualKey(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'usb',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  })
  return { cdp, authenticatorId }
}

describeInBrowser(
  'security keys in the browser',
  (current) => {
    test('WA-2 WA-4 a user adds a key, logs in with it, and confirms a removal with it', async () => {
      const { page, server } = current()
      const created = await createUser(server.ctx, { email: EMAIL, password: PASSWORD })
      assert.ok(created.ok)
      const { cdp, authenticatorId } = await addVirtualKey(page)
      await logInWithPassword(page, server.url)
      await page.waitForURL((u) => !u.pathname.startsWith('/login'))

      await page.goto(`${server.url}/account/security`)
      await page.getByRole('link', { name: 'Add security key' }).click()
      await page.waitForURL(`${server.url}/account/keys`)
      await page.getByLabel('Name of the key').fill('Virtual key')
      await page.getByRole('button', { name: 'Add security key' }).click()
      await page.getByRole('heading', { name: 'Security key added' }).waitFor()
      // The first second factor comes with recovery codes; "Done" needs them copied (RC-2) and
      // the box ticked.
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
      await page.getByRole('button', { name: 'Copy' }).click()
      await page.getByLabel('I have saved my recovery codes').check()
      await page.getByRole('button', { name: 'Done' }).click()
      await page.waitForURL(`${server.url}/account/security`)
      assert.ok(await page.locator('[data-key-name="Virtual key"]').isVisible())
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
      assert.equal(credentials.length, 1)

      await page.getByRole('button', { name: 'Log out' }).click()
      await page.waitForURL(`${server.url}/login`)
      await logInWithPassword(page, server.url)
      await page.waitForURL(`${server.url}/login/second-step`)
      await page.getByRole('button', { name: 'Use security key' }).click()
      await page.waitForURL((u) => !u.pathname.startsWith('/login'))
      const amr = await server.ctx.db.kysely.selectFrom('sessions').select('amr').execute()
      assert.deepEqual(
        amr.map((s) => s.amr),
        ['password,webauthn'],
      )

      // Sudo with the key: age the grant, then remove the key (class D) confirming with it.
      await server.ctx.db.kysely.updateTable('sessions').set({ reauth_at: 0 }).execute()
      await page.goto(`${server.url}/account/keys/remove`)
      await page.waitForURL(/\/account\/confirm\?next=/)
      await page.getByRole('button', { name: 'Use security key' }).click()
      await page.waitForURL(`${server.url}/account/keys/remove`)
      await page.getByRole('button', { name: 'Remove Virtual key' }).click()
      await page.getByText('Two-factor authentication is now off.').waitFor()
      const left = await server.ctx.db.kysely
        .selectFrom('webauthn_credentials')
        .select('id')
        .execute()
      assert.equal(left.length, 0)
    })
  },
  { hostname: 'localhost' },
)
