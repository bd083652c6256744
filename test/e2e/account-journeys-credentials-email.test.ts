/**
 * LG-5: changing the email address, by a mailed link or unverified without mail. One part of the
 * suite "security keys, email and password changes in the browser", split over files so the
 * longest-first schedule stays balanced (see also the other account-journeys-credentials-*.test.ts
 * files).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  aliceOnTwoDevices,
  assertLoggedInAs,
  assertLoginRefused,
  assertSignedOut,
  deliverOutbox,
  describeWithAndWithoutSmtp,
  EMAIL,
  linkIn,
  logIn,
  mailTo,
  NEW_EMAIL,
  open,
  openConfirmed,
  PASSWORD,
} from './account-journey-steps.js'

describeWithAndWithoutSmtp(
  'security keys, email and password changes in the browser',
  (current, mail) => {
    test('LG-5 change email: mailed link applies it, or without mail it applies unverified', async () => {
      const t = current()
      const { page, server } = t
      const laptop = await aliceOnTwoDevices(t)

      await openConfirmed(page, server, 'Change email', PASSWORD, '/account/email')
      assert.ok(await page.getByText(`Current address: ${EMAIL}`).isVisible())
      await page.getByLabel('New email address').fill(NEW_EMAIL)
      await page.getByRole('button', { name: 'Change email' }).click()

      const sink = mail()
      if (sink) {
        await page.getByRole('heading', { name: 'Check your new inbox' }).waitFor()
        assert.ok(
          await page
            .getByText(
              `We sent a confirmation link to ${NEW_EMAIL}. Your address changes when you open it (within 30 minutes).`,
            )
            .isVisible(),
        )
        // Nothing changes until the link is opened.
        await assertLoggedInAs(page, EMAIL)
        await deliverOutbox(server)
        const message = await mailTo(sink, NEW_EMAIL, /^Confirm your new Vigil email address$/)
        await mailTo(sink, EMAIL, /^Vigil security notice$/)
        await open(
          page,
          server,
          linkIn(message, server, '/account/email/confirm').slice(server.url.length),
        )
        await page.getByRole('heading', { name: 'Email changed' }).waitFor()
        assert.ok(await page.getByText(`Your address is now ${NEW_EMAIL}.`).isVisible())
        await open(page, server, '/account/security')
        // Verified by the link: no "(not verified)" after it.
        const line = await page.locator('p', { hasText: `Email: ${NEW_EMAIL}` }).textContent()
        assert.match(line ?? '', new RegExp(`^Email: ${NEW_EMAIL} Change email`))
      } else {
        // LG-5 without mail: applied at once, and the page says why it is unverified.
        await page.getByRole('heading', { name: 'Email changed' }).waitFor()
        assert.ok(await page.getByText(`Your address is now ${NEW_EMAIL}.`).isVisible())
        assert.ok(
          await page
            .getByText("Email isn't configured on this server, so we couldn't verify this address.")
            .isVisible(),
        )
        await open(page, server, '/account/security')
        assert.ok(await page.getByText(`Email: ${NEW_EMAIL} (not verified)`).isVisible())
      }
      await assertLoggedInAs(page, NEW_EMAIL)
      await assertSignedOut(laptop, server.url)

      await page.getByRole('button', { name: 'Log out' }).click()
      await page.waitForURL(`${server.url}/login`)
      await assertLoginRefused(page, server, EMAIL, PASSWORD)
      await logIn(page, server, NEW_EMAIL, PASSWORD)
    })
  },
  // WebAuthn's RP ID cannot be an IP address (all parts of this suite share the setting).
  { hostname: 'localhost' },
)
