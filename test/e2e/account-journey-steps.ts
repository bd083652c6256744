/**
 * Steps the account-journey browser tests share: each journey runs twice, with a real SMTP sink
 * on loopback and with no SMTP at all; logging in through the form; the password prompt of the
 * confirm page; mail read from the sink; and extra pages (another device, or an answer the
 * journey expects to be 4xx) watched for errors like the harness's own page; and the set-up the
 * account journeys share (Alice's account, a page behind the confirm page, the security notice).
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, describe } from 'node:test'
import type { BrowserContext, Page, Response } from 'playwright-core'
import { createUser } from '../../src/accounts/users/create-user.js'
import { sendDueMail } from '../../src/mail/index.js'
import { type ReceivedMail, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js'
import { type BrowserTest, describeInBrowser, type VigilServer } from './harness.js'

/** Where a page goes: the harness's server, or a Vigil process a test started itself. */
type Site = Pick<VigilServer, 'url'>

/** Alice, whose account most journeys start from, and her password. */
export const EMAIL = 'alice@example.org'
export const PASSWORD = 'a long enough password'
/** The banner of a security-relevant change when the notice could not be mailed (NT-2). */
export const NOT_EMAILED = "We couldn't email you about this change."

/** The sink of the "with SMTP" run, or null in the "no SMTP" run. */
export type Mail = SmtpSink | null

/**
 * Declares `name, no SMTP` and `name, with the SMTP sink`, each running every test of `body`.
 * The sink's messages are cleared before each test; `env` is added to both servers' settings,
 * and `hostname` is the servers' (`localhost` for security keys).
 */
export function describeWithAndWithoutSmtp(
  name: string,
  body: (current: () => BrowserTest, mail: () => Mail) => void,
  options: { env?: Record<string, string>; hostname?: '127.0.0.1' | 'localhost' } = {},
): void {
  const { env = {}, hostname } = options
  describe(name, () => {
    let sink: SmtpSink | null = null
    before(async () => {
      sink = await startSmtpSink()
    })
    after(async () => {
      await sink?.close()
    })
    describeInBrowser(`${name}, no SMTP`, (current) => body(current, () => null), {
      env: () => ({ ...env }),
      hostname,
    })
    describeInBrowser(
      `${name}, with the SMTP sink`,
      (current) => {
        beforeEach(() => {
          sink?.reject(null)
          sink?.messages.splice(0)
        })
        body(current, () => sink)
      },
      { env: () => ({ ...(sink as SmtpSink).env, ...env }), hostname },
    )
  })
}

/** Goes to `path` and asserts the page itself answered 200 (after any redirects). */
export async function open(page: Page, server: Site, path: string): Promise<Response> {
  const r = await page.goto(`${server.url}${path}`)
  assert.ok(r, `no answer for ${path}`)
  assert.equal(r.status(), 200, `${path} answered ${r.status()}`)
  return r
}

/** Fills the log-in form and presses "Log in" (the caller waits for where it should land). */
export async function submitLogin(page: Page, server: Site, email: string, password: string) {
  await open(page, server, '/login')
  await page.getByLabel('Email', { exact: true }).fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Log in' }).click()
}

/** Logs in with a password only and checks the dashboard names the account. */
export async function logIn(page: Page, server: Site, email: string, password: string) {
  await submitLogin(page, server, email, password)
  await page.waitForURL(`${server.url}/checks/`)
  await assertLoggedInAs(page, email)
}

export async function assertLoggedInAs(page: Page, email: string) {
  assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 1, 'a log-out button')
  assert.ok(await page.getByRole('navigation', { name: 'Account' }).getByText(email).isVisible())
}

/** A log-in that must fail: the form comes back with the one message for every failure. */
export async function assertLoginRefused(
  page: Page,
  server: VigilServer,
  email: string,
  password: string,
) {
  await submitLogin(page, server, email, password)
  await page.getByRole('alert').filter({ hasText: 'Incorrect email or password.' }).waitFor()
  assert.equal(new URL(page.url()).pathname, '/login')
  assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0)
}

/** Creates the account `email` (Alice unless told) and logs in with its password on `page`. */
export async function createAndLogIn(
  page: Page,
  server: VigilServer,
  email = EMAIL,
  password = PASSWORD,
) {
  assert.ok((await createUser(server.ctx, { email, password })).ok)
  await logIn(page, server, email, password)
}

/** Makes this session's sudo grant (RA-2) stale, as if SUDO_TTL had passed since the log-in. */
export async function ageSudoGrant(server: VigilServer) {
  await server.ctx.db.kysely.updateTable('sessions').set({ reauth_at: 0 }).execute()
}

/** On the confirm page (RA-7), confirms with the password and waits to be back on `path`. */
export async function confirmWithPassword(
  page: Page,
  server: VigilServer,
  password: string,
  path: string,
) {
  await page.waitForURL((u) => u.pathname === '/account/confirm')
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), "Confirm it's you")
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Confirm' }).click()
  await page.waitForURL(`${server.url}${path}`)
}

/**
 * Follows the link `link` of /account/security to a page that needs sudo (RA-1), confirms with
 * `password` and waits to be on `path`.
 */
export async function openConfirmed(
  page: Page,
  server: VigilServer,
  link: string,
  password: string,
  path: string,
) {
  await open(page, server, '/account/security')
  await page.getByRole('link', { name: link }).click()
  await confirmWithPassword(page, server, password, path)
}

/** Another page watched like the harness's: fails the test on errors but for `expected` answers. */
export async function watchedPage(
  context: BrowserContext,
  server: Site,
  expected: Array<{ status: number; path: string }> = [],
): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  const problems: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text()))
      problems.push(`console error: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('requestfailed', (r) => {
    if (r.url().endsWith('/favicon.svg') && r.failure()?.errorText === 'net::ERR_ABORTED') return
    problems.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`)
  })
  page.on('response', (r) => {
    const url = new URL(r.url())
    if (url.origin !== new URL(server.url).origin) problems.push(`other host: ${r.url()}`)
    if (r.status() < 400) return
    if (expected.some((e) => e.status === r.status() && e.path === url.pathname)) return
    problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`)
  })
  return { page, problems }
}

/** A second browser (another device) for the same server, watched for errors. */
export async function otherDevice(
  t: BrowserTest,
  expected: Array<{ status: number; path: string }> = [],
) {
  const browser = t.context.browser()
  assert.ok(browser)
  const context = await browser.newContext()
  const watched = await watchedPage(context, t.server, expected)
  return { ...watched, context }
}

/** Hands the outbox to the SMTP sink now (the harness's server runs no worker). */
export async function deliverOutbox(server: VigilServer) {
  const report = await sendDueMail(server.ctx)
  assert.equal(report.failed + report.retrying, 0, `outbox delivery: ${JSON.stringify(report)}`)
}

/** Waits for a message to `to` whose subject matches, and returns it. */
export async function mailTo(sink: SmtpSink, to: string, subject: RegExp): Promise<ReceivedMail> {
  const deadline = Date.now() + 5000
  for (;;) {
    const found = sink.messages.find((m) => m.envelopeTo.includes(to) && subject.test(m.subject))
    if (found) return found
    if (Date.now() > deadline) {
      const seen = sink.messages.map((m) => `${m.envelopeTo.join(',')}: ${m.subject}`)
      assert.fail(`no mail to ${to} matching ${subject}; the sink has ${JSON.stringify(seen)}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * NT-1/NT-2 after a security-relevant change: without SMTP the page says the notice could not be
 * mailed; with the sink there is no such banner and the notice to `to` arrives (its text matching
 * `text`, when given).
 */
export async function assertSecurityNotice(
  page: Page,
  server: VigilServer,
  sink: Mail,
  to: string,
  text?: RegExp,
) {
  assert.equal(await page.getByText(NOT_EMAILED).count(), sink ? 0 : 1)
  if (!sink) return
  await deliverOutbox(server)
  const notice = await mailTo(sink, to, /^Vigil security notice$/)
  if (text) assert.match(notice.text, text)
}

/** The one link to `path` on this server that a message's text carries. */
export function linkIn(mail: ReceivedMail, server: Site, path: string): string {
  const links = mail.text.match(/https?:\/\/\S+/g) ?? []
  const ours = links.filter((l) => l.startsWith(`${server.url}${path}?`))
  assert.equal(ours.length, 1, `one link to ${path} in: ${mail.text}`)
  return ours[0]
}

/**
 * Leaves the once-only recovery-code page through "Done": copies the codes first when "Done"
 * waits for that (RC-2), ticks "I have saved my recovery codes" when the page has it.
 */
export async function finishRecoveryCodes({
  page,
  server,
  context,
}: {
  page: Page
  server: Site
  context: BrowserContext
}) {
  const done = page.getByRole('button', { name: 'Done' })
  if (await done.isDisabled()) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    await page.getByRole('button', { name: 'Copy' }).click()
  }
  const tick = page.getByLabel('I have saved my recovery codes')
  if ((await tick.count()) > 0) await tick.check()
  await done.click()
  await page.waitForURL(`${server.url}/account/security`)
}

/** Chromium's virtual authenticator (CDP): a USB key that always says yes. */
export async function addVirtualKey(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'usb',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  })
  return { cdp, authenticatorId }
}

/** The address and password the credential journeys change to. */
export const NEW_EMAIL = 'alice@example.net'
export const NEW_PASSWORD = 'another long password'

/** Alice logged in on this page and on a laptop, her log-in grant half an hour old. */
export async function aliceOnTwoDevices(t: BrowserTest) {
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
export async function assertSignedOut(
  laptop: Awaited<ReturnType<typeof aliceOnTwoDevices>>,
  url: string,
) {
  await laptop.page.goto(`${url}/checks/`)
  assert.equal(new URL(laptop.page.url()).pathname, '/login')
  assert.deepEqual(laptop.problems, [])
  await laptop.context.close()
}
