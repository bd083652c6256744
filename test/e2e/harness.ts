/**
 * Browser-test harness: a real Vigil server (buildApp + listen on loopback) on a temporary SQLite
 * database, driven through Debian's Chromium with playwright-core. Each test gets a fresh database
 * and a fresh browser context, and fails on any console error, page error, failed request, 4xx/5xx
 * answer or request to another host. Without Chromium the suite is skipped loudly, or fails in CI.
 *
 * Cost: one Chromium per test file (launched by the first suite that needs it, closed when the
 * file ends; ~1 s and a second of CPU each), and one app per suite, listening on one port, whose
 * context forwards to the current test's (test/helpers/shared-app.ts explains why that is sound:
 * src reads db, config and clock from ctx at each request). What lives in the app's own memory
 * (the status pages' TTL caches) therefore outlives a test: tests of one suite must not count on
 * a cold cache.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { after, afterEach, before, beforeEach, describe, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { buildApp } from '../../src/app.js'
import { type Ctx, systemClock } from '../../src/context.js'
import { createTestContext, type TestContext } from '../helpers/context.js'

export const CHROMIUM_PATH = '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface VigilServer {
  /** e.g. http://127.0.0.1:41234, also the server's SITE_ROOT. */
  url: string
  ctx: Ctx
  close(): Promise<void>
}

/** A port that was free a moment ago (SITE_ROOT must name the port before the app is built). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}

/** Starts Vigil on a fresh SQLite database with the real clock (browsers judge cookie expiry by it). */
export async function startVigil(
  env: Record<string, string> = {},
  /** `localhost` for WebAuthn, whose RP ID cannot be an IP address. */
  hostname: '127.0.0.1' | 'localhost' = '127.0.0.1',
): Promise<VigilServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const url = `http://${hostname}:${port}`
    const test = await createTestContext('sqlite', { SITE_ROOT: url, ...env })
    const ctx: Ctx = { db: test.db, config: test.config, log: test.log, clock: systemClock }
    let app: FastifyInstance | null = null
    try {
      app = await buildApp(ctx)
      await app.listen({ port, host: '127.0.0.1' })
      const running = app
      return {
        url,
        ctx,
        async close() {
          await running.close()
          await test.drop()
        },
      }
    } catch (e) {
      await app?.close()
      await test.drop()
      // Someone took the port between the probe and listen: try another one.
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw e
    }
  }
}

/** This process's Chromium (its test file's, or shared by the files of a group: scripts/test.js),
 * launched on first use and closed when the process's tests are done. */
let browserLaunch: Promise<Browser> | null = null

export function sharedBrowser(): Promise<Browser> {
  browserLaunch ??= chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  return browserLaunch
}

// Registered when a test file imports the harness, so on the file's root: after every suite.
after(async () => {
  const launched = browserLaunch
  browserLaunch = null
  // A launch that failed was reported by the tests that awaited it.
  const browser = await launched?.catch(() => null)
  await browser?.close()
})

/**
 * One app listening on one port, serving each test in turn from a database of its own: `next()`
 * gives a test its server (`close()` drops that test's database), `close()` stops the app.
 * Every test gets the same settings (`env`, read once, and SITE_ROOT naming the port).
 */
export interface SharedVigil {
  url: string
  next(): Promise<VigilServer>
  close(): Promise<void>
}

export async function startSharedVigil(
  env: Record<string, string> = {},
  hostname: '127.0.0.1' | 'localhost' = '127.0.0.1',
): Promise<SharedVigil> {
  const fresh = async (url: string): Promise<{ test: TestContext; ctx: Ctx }> => {
    const test = await createTestContext('sqlite', { SITE_ROOT: url, ...env })
    return { test, ctx: { db: test.db, config: test.config, log: test.log, clock: systemClock } }
  }
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const url = `http://${hostname}:${port}`
    const first = await fresh(url)
    // The context the app reads at each request: the current test's.
    let current: { test: TestContext; ctx: Ctx } | null = first
    const target = (): Ctx => {
      if (!current) throw new Error('a request reached the shared Vigil between tests')
      return current.ctx
    }
    const forwarding: Ctx = {
      get db() {
        return target().db
      },
      get clock() {
        return target().clock
      },
      get config() {
        return target().config
      },
      get log() {
        return target().log
      },
    }
    let app: FastifyInstance | null = null
    try {
      app = await buildApp(forwarding)
      await app.listen({ port, host: '127.0.0.1' })
    } catch (e) {
      await app?.close()
      await first.test.drop()
      // Someone took the port between the probe and listen: try another one.
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 5) throw e
      continue
    }
    const running = app
    // The first test uses the database the app was built over; later ones get their own.
    let unused: { test: TestContext; ctx: Ctx } | null = first
    return {
      url,
      async next() {
        if (current && current !== unused) throw new Error('the previous test still holds the app')
        const mine = unused ?? (await fresh(url))
        unused = null
        current = mine
        return {
          url,
          ctx: mine.ctx,
          async close() {
            if (current === mine) current = null
            await mine.test.drop()
          },
        }
      },
      async close() {
        await running.close()
        if (unused) await unused.test.drop()
        unused = null
      },
    }
  }
}

/** Collects everything that should fail a browser test. */
function watchForProblems(page: Page, baseUrl: string): string[] {
  const problems: string[] = []
  const origin = new URL(baseUrl).origin
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`)
  })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('request', (r) => {
    const url = new URL(r.url())
    if (url.protocol.startsWith('http') && url.origin !== origin)
      problems.push(`request to another host: ${r.url()}`)
  })
  page.on('requestfailed', (r) => {
    // Chromium drops a pending favicon fetch when the page navigates on: not a failure of ours.
    if (r.url().endsWith('/favicon.svg') && r.failure()?.errorText === 'net::ERR_ABORTED') return
    // Likewise a script's fetch still pending when the test submits the form and the page
    // navigates (the live schedule preview): Chromium cancels it; the server never failed.
    if (r.resourceType() === 'fetch' && r.failure()?.errorText === 'net::ERR_ABORTED') return
    problems.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`)
  })
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`)
  })
  return problems
}

export interface BrowserTest {
  server: VigilServer
  page: Page
  context: BrowserContext
}

/**
 * Declares a browser suite. `body` receives a getter for the current test's server and page.
 * With CI=true a missing Chromium fails the run; elsewhere the suite is skipped with the reason.
 */
export function describeInBrowser(
  name: string,
  body: (current: () => BrowserTest) => void,
  /** Extra environment for each test's server (read when the test starts, e.g. an SMTP sink's). */
  options: { env?: () => Record<string, string>; hostname?: '127.0.0.1' | 'localhost' } = {},
): void {
  if (!existsSync(CHROMIUM_PATH)) {
    const reason = `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`
    if (process.env.CI === 'true') {
      describe(name, () => {
        test('Chromium is installed', () => {
          assert.fail(`The browser tests are required in CI, but ${reason}.`)
        })
      })
    } else {
      process.stderr.write(
        `\n*** SKIPPING browser suite "${name}": ${reason}. CI=true makes this a failure. ***\n\n`,
      )
      describe(name, { skip: `SKIPPED: ${reason}` }, () => {})
    }
    return
  }

  describe(name, () => {
    let browser: Browser | undefined
    let shared: SharedVigil | null = null
    let current: (BrowserTest & { problems: string[] }) | null = null
    let launching: Promise<Browser>
    before(() => {
      // Not awaited here: Chromium starts while the first test builds the app and its database.
      launching = sharedBrowser()
      launching.catch(() => {}) // reported by the await below
    })
    after(async () => {
      await shared?.close()
    })
    beforeEach(async () => {
      // Built at the first test, once every before hook (an SMTP sink's, say) has run.
      shared ??= await startSharedVigil(options.env?.() ?? {}, options.hostname)
      const server = await shared.next()
      try {
        browser ??= await launching
        const context = await browser.newContext()
        const page = await context.newPage()
        page.setDefaultTimeout(10_000)
        current = { server, context, page, problems: watchForProblems(page, server.url) }
      } catch (e) {
        await server.close()
        throw e
      }
    })
    afterEach(async () => {
      const done = current
      current = null
      if (!done) return
      await done.context.close()
      await done.server.close()
      assert.deepEqual(done.problems, [], 'the browser saw errors')
    })
    body(() => {
      if (!current) throw new Error('no browser test is running')
      return current
    })
  })
}
