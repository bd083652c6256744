/**
 * Browser-test set-up for the monitoring pages: Alice with her project "Backups" on the test
 * server, logged in through the real login form.
 */
import assert from 'node:assert/strict'
import type { Page } from 'playwright-core'
import type { Project } from '../../src/db/index.js'
import { buildProject } from '../helpers/builders.js'
import type { VigilServer } from './harness.js'

export const EMAIL = 'alice@example.org'
export const PASSWORD = 'correct horse battery'

export async function logInWithProject(page: Page, server: VigilServer): Promise<Project> {
  const { project } = await buildProject(server.ctx, EMAIL, 'Backups')
  await page.goto(`${server.url}/login`)
  await page.getByLabel('Email', { exact: true }).fill(EMAIL)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.waitForURL(`${server.url}/checks/`)
  await page.goto(`${server.url}/projects/${project.code}/checks/`)
  return project
}

/** Pings `path` (a check's code, with `/fail` and the like) as a job would, and expects a 200. */
export async function ping(url: string, path: string, body?: string): Promise<void> {
  const r = await fetch(`${url}/ping/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    body,
  })
  assert.equal(r.status, 200)
}
