/**
 * LG-6: changing the password ends the other sessions. One part of the suite "security keys, email
 * and password changes in the browser", split over files so the longest-first schedule stays
 * balanced (see also the other account-journeys-credentials-*.test.ts files).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  aliceOnTwoDevices,
  assertLoginRefused,
  assertSecurityNotice,
  assertSignedOut,
  describeWithAndWithoutSmtp,
  EMAIL,
  logIn,
  NEW_PASSWORD,
  openConfirmed,
  PASSWORD,
} from './account-journey-steps.js'

describeWithAndWithoutSmtp(
  'security keys, email and password changes in the browser',
  (current, mail) => {
    test('LG-6 change password: confirm it is you, other sessions end, the new password logs in', async () => {
      const t = current()
      const { page, server } = t
      const laptop = await aliceOnTwoDevices(t)

      await openConfirmed(page, server, 'Change password', PASSWORD, '/account/password')
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Change password')
      await page.getByLabel('Current password').fill(PASSWORD)
      await page.getByLabel('New password').fill(NEW_PASSWORD)
      await page.getByRole('button', { name: 'Change password' }).click()
      await page.getByRole('heading', { name: 'Password changed' }).waitFor()
      assert.ok(await page.getByText('Your password was changed.').isVisible())
      assert.ok(await page.getByText('1 other session was signed out.').isVisible())
      // NT-1/NT-2: a notice by mail, or a banner saying it could not be sent.
      await assertSecurityNotice(page, server, mail(), EMAIL, /password/i)
      await assertSignedOut(laptop, server.url)

      await page.getByRole('button', { name: 'Log out' }).click()
      await page.waitForURL(`${server.url}/login`)
      await assertLoginRefused(page, server, EMAIL, PASSWORD)
      await logIn(page, server, EMAIL, NEW_PASSWORD)
    })
  },
  // WebAuthn's RP ID cannot be an IP address (all parts of this suite share the setting).
  { hostname: 'localhost' },
)
