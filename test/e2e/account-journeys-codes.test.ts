/**
 * RC-6 RC-2 T-13: regenerating recovery codes. One part of the suite "recovery codes, team
 * invitations and closing an account in the browser", split over files so the longest-first
 * schedule stays balanced (the other part: account-journeys-invite-close.test.ts).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { totpCodeAt } from '../../src/accounts/factors/totp/totp.js'
import {
  ageSudoGrant,
  assertLoggedInAs,
  assertSecurityNotice,
  createAndLogIn,
  describeWithAndWithoutSmtp,
  EMAIL,
  finishRecoveryCodes,
  open,
  otherDevice,
  PASSWORD,
  submitLogin,
} from './account-journey-steps.js'
import type { BrowserTest } from './harness.js'

const _BOB = 'bob@example.org'

/** Reads the recovery codes shown once on the page (RC-1 format checked by the caller). */
async function shownCodes(page: Page): Promise<string[]> {
  return ((await page.locator('[data-recovery-codes] code').textContent()) ?? '').split('\n')
}

/** RC-2: "Done" stays disabled until the codes were copied, downloaded or printed. */
async function saveCodesAndFinish(t: BrowserTest, codes: string[], how: 'Copy' | 'Print') {
  const { page, server, context } = t
  const done = page.getByRole('button', { name: 'Done' })
  const hint = page.getByText('Copy, download or print the codes first.')
  assert.ok(await done.isDisabled(), '"Done" is disabled before the codes were saved')
  assert.ok(await hint.isVisible())
  for (const name of ['Copy', 'Download vigil-recovery-codes.txt', 'Print'])
    assert.ok(await page.getByRole('button', { name }).isVisible(), `a ${name} button`)
  if (how === 'Copy') {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    await page.getByRole('button', { name: 'Copy' }).click()
    await page.waitForFunction(
      (expected) => navigator.clipboard.readText().then((t) => t.trim() === expected),
      codes.join('\n'),
    )
  } else {
    await page.getByRole('button', { name: 'Print' }).click()
  }
  await page.waitForFunction(
    () => !document.querySelector('[data-recovery-done]')?.matches(':disabled'),
  )
  assert.ok(await done.isEnabled(), `"Done" is enabled after ${how}`)
  assert.ok(await hint.isHidden())
  await page.getByLabel('I have saved my recovery codes').check()
  await done.click()
  await page.waitForURL(`${server.url}/account/security`)
}

describeWithAndWithoutSmtp(
  'recovery codes, team invitations and closing an account in the browser',
  (current, mail) => {
    test('RC-6 RC-2 T-13 regenerate recovery codes: confirm with the app, Done waits for Copy or Print, old codes stop working', async () => {
      const t = current()
      const { page, server } = t
      await createAndLogIn(page, server)

      // Turn on the authenticator app (the log-in moments ago needs no confirmation).
      await open(page, server, '/account/security')
      await page.getByRole('link', { name: 'Set up authenticator app' }).click()
      await page.waitForURL(`${server.url}/account/totp`)
      const secret = await page.locator('[data-totp-secret]').getAttribute('data-totp-secret')
      assert.ok(secret)
      await page.getByLabel('6-digit code from the app').fill(totpCodeAt(secret, Date.now()))
      await page.getByRole('button', { name: 'Turn on' }).click()
      await page.getByRole('heading', { name: 'Two-factor authentication is on' }).waitFor()
      const oldCodes = await shownCodes(page)
      assert.equal(oldCodes.length, 10)
      await finishRecoveryCodes(t)

      // Half an hour later: making new codes asks to confirm, and says nothing was changed yet.
      await ageSudoGrant(server)
      await page.getByRole('link', { name: 'Manage recovery codes' }).click()
      await page.waitForURL(`${server.url}/account/recovery-codes`)
      assert.ok(await page.getByText('10 unused codes').isVisible())
      await page.getByRole('button', { name: 'Make new recovery codes' }).click()
      await page.waitForURL((u) => u.pathname === '/account/confirm')
      assert.ok(
        await page.getByText("Please confirm it's you. Your changes were not saved.").isVisible(),
      )
      await page
        .getByLabel('Code from your authenticator app')
        .fill(totpCodeAt(secret, Date.now() + 30_000))
      await page.getByRole('button', { name: 'Confirm' }).click()
      await page.waitForURL(`${server.url}/account/recovery-codes`)
      await page.getByRole('button', { name: 'Make new recovery codes' }).click()
      await page.getByRole('heading', { name: 'New recovery codes' }).waitFor()
      const newCodes = await shownCodes(page)
      assert.equal(newCodes.length, 10)
      for (const c of newCodes)
        assert.match(c, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
      assert.equal(newCodes.filter((c) => oldCodes.includes(c)).length, 0, 'a whole new set')
      const sink = mail()
      await assertSecurityNotice(page, server, sink, EMAIL)
      // Print in one run, Copy in the other.
      await saveCodesAndFinish(t, newCodes, sink ? 'Copy' : 'Print')

      // T-13: on another device, an old code is refused and a new one logs in.
      const phone = await otherDevice(t, [{ status: 400, path: '/login/second-step' }])
      await submitLogin(phone.page, server, EMAIL, PASSWORD)
      await phone.page.waitForURL(`${server.url}/login/second-step`)
      await phone.page.getByRole('link', { name: 'Use a recovery code' }).click()
      await phone.page.getByLabel('Recovery code').fill(oldCodes[0])
      await phone.page.getByRole('button', { name: 'Verify' }).click()
      await phone.page
        .getByRole('alert')
        .filter({ hasText: "That recovery code didn't work, or it was already used." })
        .waitFor()
      assert.equal(new URL(phone.page.url()).pathname, '/login/second-step')
      await phone.page.getByLabel('Recovery code').fill(newCodes[0])
      await phone.page.getByRole('button', { name: 'Verify' }).click()
      await phone.page.waitForURL(`${server.url}/account/security?used_recovery_code=9`)
      await assertLoggedInAs(phone.page, EMAIL)
      assert.deepEqual(phone.problems, [])
      await phone.context.close()
    })
  },
)
