/**
 * TEAM-2 inviting a new address, and LG-7 closing the account. One part of the suite "recovery
 * codes, team invitations and closing an account in the browser", split over files so the
 * longest-first schedule stays balanced (the other part: account-journeys-codes.test.ts).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createUser } from '../../src/accounts/users/create-user.js'
import { createProject } from '../../src/projects/create-project.js'
import {
  ageSudoGrant,
  assertLoggedInAs,
  assertLoginRefused,
  createAndLogIn,
  deliverOutbox,
  describeWithAndWithoutSmtp,
  EMAIL,
  linkIn,
  mailTo,
  open,
  openConfirmed,
  otherDevice,
  PASSWORD,
} from './account-journey-steps.js'

const BOB = 'bob@example.org'

describeWithAndWithoutSmtp(
  'recovery codes, team invitations and closing an account in the browser',
  (current, mail) => {
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
