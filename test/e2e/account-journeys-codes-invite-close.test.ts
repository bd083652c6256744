import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { totpCodeAt } from '../../src/accounts/factors/totp/totp.js'
import { createUser } from '../../src/accounts/users/create-user.js'
import { createProject } from '../../src/projects/create-project.js'
import {
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
  mailTo,
  open,
  openConfirmed,
  otherDevice,
  PASSWORD,
  submitLogin,
} from './account-journey-steps.js'
import type { BrowserTest } from './harness.js'

const BOB = 'bob@example.org'

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

    test('TEAM-2 invite a new address: a mailed sign-up link, or one shown to hand over (SEC-F1)', async () => {
      const t = current()
      const { page, server } = t
      await createAndLogIn(page, server)
      const created = await createProject(server.ctx, { ownerEmail: EMAIL, name: 'Backups' })
      assert.ok(created.ok)
      const { project } = created.value
      await open(page, server, `/projects/${project.code}/settings/`)
      await page.getByRole('link', { name: 'Team members, roles and invitations' }).click()
      await page.waitForURL(`${server.url}/projects/${project.code}/settings/team`)
      await page.getByLabel('Email', { exact: true }).fill(BOB)
      await page.getByLabel('Role', { exact: true }).selectOption('Member')
      await page.getByRole('button', { name: 'Invite' }).click()
      await page.getByRole('status').waitFor()

      const sink = mail()
      let link: string
      if (sink) {
        assert.equal(
          await page.getByRole('status').textContent(),
          `${BOB} has no account yet. We emailed them a link to create one; they join Backups when they do.`,
        )
        await deliverOutbox(server)
        const invitation = await mailTo(sink, BOB, /^You are invited to Backups on Vigil$/)
        link = linkIn(invitation, server, '/signup/invitation')
      } else {
        // The page says why no mail went, and shows a link that can only create Bob's account.
        const notice = await page.getByRole('status').textContent()
        assert.equal(
          notice,
          `${BOB} has no account yet, and we couldn't email them because this server can't send email. Give them the one-time sign-up link below: it creates a new account for ${BOB} only (never opens an existing one), works within 7 days, and adds them to Backups.`,
        )
        link = (await page.locator('[data-invite-link]').textContent()) ?? ''
      }
      assert.match(link, /\/signup\/invitation\?token=/)

      // Bob follows the invitation on his own computer, chooses a password and lands in the project.
      const bob = await otherDevice(t)
      await open(bob.page, server, link.slice(server.url.length))
      await bob.page.getByLabel('Choose a password').fill('bobs own long passphrase')
      await bob.page.getByRole('button', { name: 'Create account' }).click()
      await bob.page.waitForURL(`${server.url}/projects/${project.code}/checks/`)
      await assertLoggedInAs(bob.page, BOB)
      assert.ok(await bob.page.getByRole('heading', { name: 'Backups' }).isVisible())
      assert.deepEqual(bob.problems, [])
      await bob.context.close()
      await open(page, server, `/projects/${project.code}/settings/team`)
      await page.locator(`[data-member="${BOB}"]`).waitFor()
    })

    test('LG-7 close the account: confirm it is you, type the address, and it can no longer log in', async () => {
      const { page, server } = current()
      // Another user keeps the instance past its first run, so /login stays the log-in form.
      assert.ok(
        (await createUser(server.ctx, { email: 'admin@example.org', password: PASSWORD })).ok,
      )
      await createAndLogIn(page, server)
      assert.ok((await createProject(server.ctx, { ownerEmail: EMAIL, name: 'Backups' })).ok)
      await ageSudoGrant(server)
      await openConfirmed(page, server, 'Close account', PASSWORD, '/account/close')
      await page.getByLabel('Type your email address to confirm').fill(EMAIL)
      await page.getByRole('button', { name: 'Close my account' }).click()
      await page.getByRole('heading', { name: 'Account closed' }).waitFor()
      assert.ok(await page.getByText('Your account and its projects were deleted.').isVisible())
      assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0)
      const sink = mail()
      if (sink) {
        await deliverOutbox(server)
        const farewell = await mailTo(sink, EMAIL, /^Vigil security notice$/)
        assert.match(farewell.text, /Your account was closed/)
      }
      const projects = await server.ctx.db.kysely.selectFrom('projects').select('name').execute()
      assert.deepEqual(projects, [])

      await assertLoginRefused(page, server, EMAIL, PASSWORD)
    })
  },
)
