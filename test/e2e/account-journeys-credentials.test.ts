import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createUser } from '../../src/accounts/users/create-user.js'
import {
  addVirtualKey,
  ageSudoGrant,
  assertLoggedInAs,
  assertLoginRefused,
  assertSecurityNotice,
  createAndLogIn,
  deliverOutbox,
  describeWithAndWithoutSmtp,
  EMAIL,
  finishRecoveryCodes,
  linkIn,
  logIn,
  mailTo,
  open,
  openConfirmed,
  otherDevice,
  PASSWORD,
  submitLogin,
} from './account-journey-steps.js'
import type { BrowserTest } from './harness.js'

const NEW_EMAIL = 'alice@example.net'
const NEW_PASSWORD = 'another long password'

/** Alice logged in on this page and on a laptop, her log-in grant half an hour old. */
async function aliceOnTwoDevices(t: BrowserTest) {
  const { page, server } = t
  assert.ok((await createUser(server.ctx, { email: EMAIL, password: PASSWORD })).ok)
  const laptop = await otherDevice(t)
  await logIn(laptop.page, server, EMAIL, PASSWORD)
  await logIn(page, server, EMAIL, PASSWORD)
  // SUDO_TTL has passed: a sensitive change asks for the password again (RA-6).
  await ageSudoGrant(server)
  return laptop
}

/** The laptop's next page load finds its session gone, and it has seen no error. */
async function assertSignedOut(laptop: Awaited<ReturnType<typeof aliceOnTwoDevices>>, url: string) {
  await laptop.page.goto(`${url}/checks/`)
  assert.equal(new URL(laptop.page.url()).pathname, '/login')
  assert.deepEqual(laptop.problems, [])
  await laptop.context.close()
}

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
  // WebAuthn's RP ID cannot be an IP address.
  { hostname: 'localhost' },
)
