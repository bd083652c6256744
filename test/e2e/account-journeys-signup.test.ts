import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createUser } from '../../src/accounts/users/create-user.js'
import {
  assertLoggedInAs,
  assertLoginRefused,
  describeWithAndWithoutSmtp,
  linkIn,
  logIn,
  mailTo,
  open,
  watchedPage,
} from './account-journey-steps.js'
import { describeInBrowser } from './harness.js'

const OWNER = 'owner@example.org'
const EMAIL = 'alice@example.org'
const NEWCOMER = 'newcomer@example.org'
const PASSWORD = 'a long enough password'

describeWithAndWithoutSmtp('sign-up and password log-in in the browser', (current, mail) => {
  test('sign-up: with mail a sign-in link arrives and logs in; without, the page says why not', async () => {
    const { page, server, context } = current()
    assert.ok((await createUser(server.ctx, { email: OWNER, password: PASSWORD })).ok)
    await open(page, server, '/login')
    const sink = mail()
    if (!sink) {
      // LG-4: no way in by email, so no sign-up link, no sign-in-link form …
      assert.equal(await page.getByRole('link', { name: 'Sign up' }).count(), 0)
      assert.equal(await page.getByRole('button', { name: 'Email me a sign-in link' }).count(), 0)
      // … and someone who types the address is told why and what to do.
      const direct = await watchedPage(context, server, [{ status: 404, path: '/signup' }])
      const r = await direct.page.goto(`${server.url}/signup`)
      assert.equal(r?.status(), 404)
      assert.equal(
        await direct.page.getByRole('heading', { level: 1 }).textContent(),
        'Sign-up is closed',
      )
      assert.ok(
        await direct.page
          .getByText(
            "New accounts can't sign up by email on this server. Ask the administrator for an invitation.",
          )
          .isVisible(),
      )
      await direct.page.getByRole('link', { name: 'Log in' }).click()
      await direct.page.waitForURL(`${server.url}/login`)
      assert.deepEqual(direct.problems, [])
      const users = await server.ctx.db.kysely.selectFrom('users').select('email').execute()
      assert.deepEqual(
        users.map((u) => u.email),
        [OWNER],
      )
      return
    }
    await page.getByRole('link', { name: 'Sign up' }).click()
    await page.waitForURL(`${server.url}/signup`)
    await page.getByLabel('Email', { exact: true }).fill(NEWCOMER)
    await page.getByRole('button', { name: 'Sign up' }).click()
    await page.getByText('Check your email: we sent you a link to sign in.').waitFor()

    const message = await mailTo(sink, NEWCOMER, /^Vigil confirmation code$/)
    const link = linkIn(message, server, '/login/link')
    assert.match(link, /\/login\/link\?token=/)
    await open(page, server, link.slice(server.url.length))
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${server.url}/checks/`)
    await assertLoggedInAs(page, NEWCOMER)
    // The link works once.
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL(`${server.url}/login`)
    const again = await watchedPage(context, server, [{ status: 400, path: '/login/link' }])
    await again.page.goto(link)
    await again.page.getByRole('button', { name: 'Sign in' }).click()
    await again.page
      .getByText(
        'This sign-in link has expired or was already used. Ask the administrator for a new one.',
      )
      .waitFor()
    assert.deepEqual(again.problems, [])
  })

  test('log-in with a password: a wrong one is refused, the right one opens the dashboard', async () => {
    const { page, server } = current()
    assert.ok((await createUser(server.ctx, { email: EMAIL, password: PASSWORD })).ok)
    await open(page, server, '/login')
    // LG-2: the sign-in-link form is offered only where mail can go.
    const linkForm = page.getByRole('button', { name: 'Email me a sign-in link' })
    assert.equal(await linkForm.count(), mail() ? 1 : 0)

    await assertLoginRefused(page, server, EMAIL, 'not the password')
    await assertLoginRefused(page, server, 'nobody@example.org', PASSWORD)
    await logIn(page, server, EMAIL, PASSWORD)
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL(`${server.url}/login`)
    const r = await page.goto(`${server.url}/checks/`)
    assert.equal(r?.status(), 200)
    assert.equal(new URL(page.url()).pathname, '/login', 'logged out: the dashboard asks to log in')
  })
})

describeInBrowser(
  'sign-up with SIGNUP_WITH_PASSWORD=True and no SMTP in the browser',
  (current) => {
    test('LG-4 a newcomer signs up with a password, then logs in with it, address unverified (SEC-F8)', async () => {
      const { page, server } = current()
      assert.ok((await createUser(server.ctx, { email: OWNER, password: PASSWORD })).ok)
      await open(page, server, '/login')
      await page.getByRole('link', { name: 'Sign up' }).click()
      await page.waitForURL(`${server.url}/signup`)
      await page.getByLabel('Email', { exact: true }).fill(NEWCOMER)
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
      await page.getByRole('button', { name: 'Sign up' }).click()
      // SEC-F8: the same answer an existing address gets; nobody is logged in by it.
      await page
        .getByText(
          'Thanks. If this address was new, your account is ready: log in with it and your password.',
        )
        .waitFor()
      await logIn(page, server, NEWCOMER, PASSWORD)
      await assertLoggedInAs(page, NEWCOMER)
      await open(page, server, '/account/security')
      assert.ok(await page.getByText(`Email: ${NEWCOMER} (not verified)`).isVisible())
    })
  },
  { env: () => ({ SIGNUP_WITH_PASSWORD: 'True' }) },
)
