/**
 * WA-2 WA-4: adding a security key behind the confirm page, then logging in with it. One part of
 * the suite "security keys, email and password changes in the browser", split over files so the
 * longest-first schedule stays balanced (see also the other account-journeys-credentials-*.test.ts
 * files).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  addVirtualKey,
  ageSudoGrant,
  assertLoggedInAs,
  assertSecurityNotice,
  createAndLogIn,
  describeWithAndWithoutSmtp,
  EMAIL,
  finishRecoveryCodes,
  openConfirmed,
  PASSWORD,
  submitLogin,
} from './account-journey-steps.js'

describeWithAndWithoutSmtp(
  'security keys, email and password changes in the browser',
  (current, mail) => {
    test('WA-2 WA-4 add a security key after confirming it is you, then log in with it', async () => {
      const t = current()
      const { page, server } = t
      const { cdp, authenticatorId } = await addVirtualKey(page)
      await createAndLogIn(page, server)
      await ageSudoGrant(server)
      await openConfirmed(page, server, 'Add security key', PASSWORD, '/account/keys')
      await page.getByLabel('Name of the key').fill('Virtual key')
      await page.getByRole('button', { name: 'Add security key' }).click()
      await page.getByRole('heading', { name: 'Security key added' }).waitFor()
      await assertSecurityNotice(
        page,
        server,
        mail(),
        EMAIL,
        /A security key \("Virtual key"\) was added/,
      )
      await finishRecoveryCodes(t)
      assert.ok(await page.locator('[data-key-name="Virtual key"]').isVisible())
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
      assert.equal(credentials.length, 1)

      await page.getByRole('button', { name: 'Log out' }).click()
      await page.waitForURL(`${server.url}/login`)
      await submitLogin(page, server, EMAIL, PASSWORD)
      await page.waitForURL(`${server.url}/login/second-step`)
      await page.getByRole('button', { name: 'Use security key' }).click()
      await page.waitForURL(`${server.url}/checks/`)
      await assertLoggedInAs(page, EMAIL)
    })
  },
  // WebAuthn's RP ID cannot be an IP address (all parts of this suite share the setting).
  { hostname: 'localhost' },
)
