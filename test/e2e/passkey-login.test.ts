import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createUser } from '../../src/accounts/users/create-user.js'
import { describeInBrowser } from './harness.js'

const EMAIL = 'alice@example.org'
const PASSWORD = 'a long enough password'

describeInBrowser(
  'passkey sign-in in the browser',
  (current) => {
    test('WA-7 a user adds a passkey, logs out and signs in with it without typing an email', async () => {
      const { page, server } = current()
      const created = await createUser(server.ctx, { email: EMAIL, password: PASSWORD })
      assert.ok(created.ok)
      // Chromium's virtual authenticator (CDP): keeps resident keys and verifies the user.
      const cdp = await page.context().newCDPSession(page)
      await cdp.send('WebAuthn.enable')
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
        },
      })

      await page.goto(`${server.url}/login`)
      await page.getByLabel('Email', { exact: true }).fill(EMAIL)
      await page.getByLabel('Password').fill(PASSWORD)
      await page.getByRole('button', { name: 'Log in' }).click()
      await page.waitForURL((u) => !u.pathname.startsWith('/login'))

      await page.goto(`${server.url}/account/security`)
      await page.getByRole('link', { name: 'Add a passkey' }).click()
      await page.waitForURL(`${server.url}/account/passkeys`)
      await page.getByLabel('Name of the passkey').fill('This laptop')
      await page.getByRole('button', { name: 'Add a passkey' }).click()
      await page.getByRole('heading', { name: 'Passkey added' }).waitFor()
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
      await page.getByRole('button', { name: 'Copy' }).click()
      await page.getByLabel('I have saved my recovery codes').check()
      await page.getByRole('button', { name: 'Done' }).click()
      await page.waitForURL(`${server.url}/account/security`)
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
      assert.equal(credentials.length, 1)
      assert.equal(credentials[0].isResidentCredential, true)

      await page.getByRole('button', { name: 'Log out' }).click()
      await page.waitForURL(`${server.url}/login`)
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
      await page.waitForURL(`${server.url}/checks/`)
      const sessions = await server.ctx.db.kysely
        .selectFrom('sessions')
        .select(['amr', 'reauth_method'])
        .execute()
      assert.deepEqual(sessions, [{ amr: 'passkey,webauthn', reauth_method: 'webauthn' }])
      assert.equal(await page.getByLabel('Email', { exact: true }).count(), 0)
    })
  },
  { hostname: 'localhost', env: () => ({ PASSKEY_LOGIN: 'true' }) },
)
