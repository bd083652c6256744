/**
 * The journey of a newcomer on a fresh `npm start` with no settings: the first account, TOTP, a
 * log-in with it and one with a recovery code, all in the browser. Split from
 * account-journeys-signup.test.ts so the longest-first schedule stays balanced.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { totpCodeAt } from '../../src/accounts/factors/totp/totp.js'
import { nodeArgsFor } from '../helpers/paths.js'
import {
  assertLoggedInAs,
  finishRecoveryCodes,
  open,
  submitLogin,
  watchedPage,
} from './account-journey-steps.js'
import { describeInBrowser, freePort } from './harness.js'

const OWNER = 'owner@example.org'
const PASSWORD = 'a long enough password'

const ENTRY = nodeArgsFor(import.meta.url, '../../src/cli/main-entry')

/** `vigil serve` as `npm start` runs it, with nothing set but where the database is and the port. */
async function startFreshInstance(): Promise<{
  url: string
  /** Log lines at level error or above (pino: 50+) so far, but for start-up findings. */
  errors(): string[]
  stop(): Promise<void>
}> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-fresh-'))
  const port = await freePort()
  const child: ChildProcess = spawn(process.execPath, [...ENTRY, 'serve'], {
    // HOST only keeps the test server off the machine's other interfaces.
    env: {
      PATH: process.env.PATH,
      DB_NAME: join(dir, 'vigil.sqlite'),
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
    rmSync(dir, { recursive: true, force: true })
  }
  let output = ''
  const up = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes(' is up: open ')) resolve()
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`vigil serve exited (${code}): ${output}`)))
    setTimeout(() => reject(new Error(`vigil serve did not come up: ${output}`)), 30_000).unref()
  })
  try {
    await up
  } catch (e) {
    await stop()
    throw e
  }
  // SITE_ROOT defaults to http://localhost:<PORT>, the address a person would open.
  const errors = () =>
    output.split('\n').filter((line) => {
      try {
        const entry = JSON.parse(line) as { level?: number; check?: string }
        // Start-up configuration findings (e.g. SEC-001 for the default SECRET_KEY) are expected.
        return (entry.level ?? 0) >= 50 && entry.check === undefined
      } catch {
        return false
      }
    })
  return { url: `http://localhost:${port}`, errors, stop }
}

describeInBrowser('a fresh `npm start` with no settings, in the browser', (current) => {
  test('a new user on a fresh npm start with no SMTP creates the first account, enables TOTP, logs out, logs in with TOTP, uses a recovery code — no terminal', {
    timeout: 60_000,
  }, async () => {
    const instance = await startFreshInstance()
    // The harness's context is fresh and unused: a page of its own there, watched for this origin.
    const { context } = current()
    try {
      const server = { url: instance.url }
      const { page, problems } = await watchedPage(context, server)
      await open(page, server, '/')
      assert.equal(
        await page.getByRole('heading', { level: 1 }).textContent(),
        'Create the owner account',
      )
      await page.getByLabel('Email', { exact: true }).fill(OWNER)
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
      await page.getByLabel('Password again').fill(PASSWORD)
      await page.getByRole('button', { name: 'Create account' }).click()
      await page.waitForURL(`${server.url}/checks/`)
      await assertLoggedInAs(page, OWNER)

      await page.getByRole('link', { name: 'Account' }).click()
      await page.waitForURL(`${server.url}/account/security`)
      // Having just created the account counts as a fresh confirmation (RA-2): no prompt.
      await page.getByRole('link', { name: 'Set up authenticator app' }).click()
      await page.waitForURL(`${server.url}/account/totp`)
      const secret = await page.locator('[data-totp-secret]').getAttribute('data-totp-secret')
      assert.ok(secret)
      await page.getByLabel('6-digit code from the app').fill(totpCodeAt(secret, Date.now()))
      await page.getByRole('button', { name: 'Turn on' }).click()
      await page.getByRole('heading', { name: 'Two-factor authentication is on' }).waitFor()
      // Without SMTP the page says the notice could not be mailed.
      assert.ok(await page.getByText("We couldn't email you about this change.").isVisible())
      const codes = ((await page.locator('[data-recovery-codes] code').textContent()) ?? '').split(
        '\n',
      )
      assert.equal(codes.length, 10)
      await finishRecoveryCodes({ page, server, context })
      assert.ok(await page.getByText('Authenticator app: on').isVisible())

      await page.getByRole('button', { name: 'Log out' }).click()
      await page.waitForURL(`${server.url}/login`)
      await submitLogin(page, server, OWNER, PASSWORD)
      await page.waitForURL(`${server.url}/login/second-step`)
      // The next 30-second step's code (TOTP_DRIFT_STEPS=1 accepts it): a code the app shows
      // next, never the one the enrolment used (TOTP-4), without waiting for the clock.
      await page
        .getByLabel('Code from your authenticator app')
        .fill(totpCodeAt(secret, Date.now() + 30_000))
      await page.getByRole('button', { name: 'Verify' }).click()
      await page.waitForURL(`${server.url}/checks/`)
      await assertLoggedInAs(page, OWNER)

      await page.getByRole('button', { name: 'Log out' }).click()
      await page.waitForURL(`${server.url}/login`)
      await submitLogin(page, server, OWNER, PASSWORD)
      await page.waitForURL(`${server.url}/login/second-step`)
      await page.getByRole('link', { name: 'Use a recovery code' }).click()
      await page.getByLabel('Recovery code').fill(codes[0])
      await page.getByRole('button', { name: 'Verify' }).click()
      await page.waitForURL(`${server.url}/account/security?used_recovery_code=9`)
      assert.ok(await page.getByText('You used a recovery code. 9 left.').isVisible())
      await assertLoggedInAs(page, OWNER)
      assert.deepEqual(problems, [])
      assert.deepEqual(instance.errors(), [], 'the server logged no error')
    } finally {
      await instance.stop()
    }
  })
})
