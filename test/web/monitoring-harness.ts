/**
 * Shared set-up of the monitoring page tests: a fresh database per test with Vigil serving it (one
 * app per file and settings, see helpers/shared-app.ts),
 * Alice (who owns "Backups") and Bob (who owns "Bobs Project"), and a FormClient to log in as
 * either and click through the pages.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Project, User } from '../../src/db/index.js'
import { buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import type { TestDialect } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { csrfFrom, FormClient } from './form-client.js'

export const PASSWORD = 'correct horse battery'
export const PING_ENDPOINT = 'https://hc-ping.example.org/'

export interface MonitoringTest {
  ctx: TestContext
  app: FastifyInstance
  browser: FormClient
  alice: User
  project: Project
  bob: User
  bobsProject: Project
  logIn(email?: string): Promise<void>
  /** Opens `pageUrl` and posts `fields` with that page's CSRF token to `action`. */
  submit(
    pageUrl: string,
    action: string,
    fields: Record<string, string>,
  ): ReturnType<FormClient['post']>
}

/** Registers beforeEach/afterEach; the returned getter gives the current test's fixtures. */
export function useMonitoringTest(
  dialect: TestDialect,
  env: Record<string, string> = {},
): () => MonitoringTest {
  let current: MonitoringTest | null = null
  beforeEach(async () => {
    const ctx = await createTestContext(dialect, { PING_ENDPOINT, ...env })
    const app = await testApp(ctx)
    const browser = new FormClient(app, ctx.clock)
    const a = await buildProject(ctx, 'alice@example.org', 'Backups')
    const b = await buildProject(ctx, 'bob@example.org', 'Bobs Project')
    current = {
      ctx,
      app,
      browser,
      alice: a.owner,
      project: a.project,
      bob: b.owner,
      bobsProject: b.project,
      async logIn(email = 'alice@example.org') {
        const r = await browser.submit('/login', '/login', { email, password: PASSWORD })
        assert.equal(r.statusCode, 303, `log-in as ${email}`)
      },
      async submit(pageUrl, action, fields) {
        const page = await browser.get(pageUrl)
        assert.equal(page.statusCode, 200, `GET ${pageUrl}`)
        return browser.post(action, { csrf: csrfFrom(page.body), ...fields })
      },
    }
  })
  afterEach(async () => {
    const t = current
    current = null
    if (!t) return
    await releaseApp(t.app)
    await t.ctx.drop()
  })
  return () => {
    if (!current) throw new Error('no test is running')
    return current
  }
}
