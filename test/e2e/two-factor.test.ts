import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import { totpCodeAt } from '../../src/accounts/factors/totp/totp.js'
import { createUser } from '../../src/accounts/users/create-user.js'
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js'
import { type BrowserTest, describeInBrowser } from './harness.js'

const EMAIL = 'alice@example.org'
const PASSWORD = 'a long enough password'

async function logInWithPassword(page: Page, url: string) {
  await page.goto(`${url}/login`)
  await page.getByLabel('Email', { exact: true }).fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
}

/**
 * The code of the step after the one used at `after`: the server has not seen it, and the default
 * drift of one step accepts it, so the test never waits for the clock.
 */
function freshCode(secret: string, after: number): string {
  const nextStep = Math.floor(after / 30_000) + 1
  return totpCodeAt(secret, nextStep * 30_000)
}

/** Sets up the app from the account page and returns its secret, the time and the codes shown. */
async function enableTotp({ page, server }: BrowserTest) {
  await page.goto(`${server.url}/account/security`)
  await page.getByRole('link', { name: 'Set up authenticator app' }).click()
  // The log-in moments ago counts as a fresh confirmation: no prompt.
  await page.waitForURL(`${server.url}/account/totp`)
  const secret = await page.locator('[data-totp-secret]').getAttribute('data-totp-secret')
  assert.ok(secret)
  const at = Date.now()
  await page.getByLabel('6-digit code from the app').fill(totpCodeAt(secret, at))
  await page.getByRole('button', { name: 'Turn on' }).click()
  await page.getByRole('heading', { name: 'Two-factor authentication is on' }).waitFor()
  const codes = ((await page.locator('[data-recovery-codes] code').textContent()) ?? '').split('\n')
  assert.equal(codes.length, 10)
  return { secret, at, codes }
}

function suite(name: string, env: () => Record<string, string>, mail: () => SmtpSink | null) {
  describeInBrowser(
    name,
    (current) => {
      test('a user turns on TOTP, logs out, and logs in again with a code from the app', async () => {
        const t = current()
        const { page, server } = t
        const created = await createUser(server.ctx, { email: EMAIL, password: PASSWORD })
        assert.ok(created.ok)
        await logInWithPassword(page, server.url)
        await page.waitForURL((u) => !u.pathname.startsWith('/login'))
        const { secret, at } = await enableTotp(t)
        const sink = mail()
        if (sink) {
          // The notice went through the outbox; the banner about unsent mail is absent.
          assert.equal(await page.getByText("We couldn't email you about this change.").count(), 0)
        } else {
          assert.ok(await page.getByText("We couldn't email you about this change.").isVisible())
        }

        await page.getByRole('button', { name: 'Log out' }).click()
        await page.waitForURL(`${server.url}/login`)
        await logInWithPassword(page, server.url)
        await page.waitForURL(`${server.url}/login/second-step`)
        assert.equal(
          await page.getByRole('heading', { level: 1 }).textContent(),
          'Two-factor authentication',
        )
        await page.getByLabel('Code from your authenticator app').fill(freshCode(secret, at))
        await page.getByRole('button', { name: 'Verify' }).click()
        await page.waitForURL((u) => !u.pathname.startsWith('/login'))
        assert.ok(await page.getByText(EMAIL).isVisible())
      })

      test('a user who lost the app logs in with a recovery code and sees how many are left', async () => {
        const t = current()
        const { page, server } = t
        const created = await createUser(server.ctx, { email: EMAIL, password: PASSWORD })
        assert.ok(created.ok)
        await logInWithPassword(page, server.url)
        await page.waitForURL((u) => !u.pathname.startsWith('/login'))
        const { codes } = await enableTotp(t)
        // RC-2: "Done" goes through only once the codes were copied and the box is ticked.
        await t.context.grantPermissions(['clipboard-read', 'clipboard-write'])
        await page.getByRole('button', { name: 'Copy' }).click()
        await page.getByLabel('I have saved my recovery codes').check()
        await page.getByRole('button', { name: 'Done' }).click()
        await page.waitForURL(`${server.url}/account/security`)
        await page.getByRole('button', { name: 'Log out' }).click()
        await page.waitForURL(`${server.url}/login`)

        await logInWithPassword(page, server.url)
        await page.waitForURL(`${server.url}/login/second-step`)
        await page.getByRole('link', { name: 'Use a recovery code' }).click()
        await page.getByLabel('Recovery code').fill(codes[3])
        await page.getByRole('button', { name: 'Verify' }).click()
        await page.waitForURL(`${server.url}/account/security?used_recovery_code=9`)
        assert.ok(await page.getByText('You used a recovery code. 9 left.').isVisible())
        assert.ok(await page.getByText('Authenticator app: on').isVisible())
        const sink = mail()
        if (sink) {
          const { sendDueMail } = await import('../../src/mail/index.js')
          await sendDueMail(server.ctx)
          const received = await sink.waitFor(2)
          assert.ok(received.some((m) => /recovery code was used/.test(m.text)))
        }
      })
    },
    { env },
  )
}

suite(
  'two-factor log-in in the browser, no SMTP',
  () => ({}),
  () => null,
)

let sink: SmtpSink | null = null
before(async () => {
  sink = await startSmtpSink()
})
after(async () => {
  await sink?.close()
})
suite(
  'two-factor log-in in the browser, with the SMTP sink',
  () => (sink as SmtpSink).env,
  () => sink,
)
