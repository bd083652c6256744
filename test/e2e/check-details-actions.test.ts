/**
 * The actions of a check's details page in the browser: clear events, create a copy, transfer. The
 * event log's filters and live updates are in check-details-log.test.ts (one suite split over two
 * files so the longest-first schedule stays balanced).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { describeInBrowser } from './harness.js'
import { EMAIL, logInWithProject, ping } from './monitoring-login.js'

describeInBrowser('check details actions and the event log in the browser', (current) => {
  test('clear events asks for confirmation, then empties the log and keeps the check', async () => {
    const { page, server } = current()
    const project = await logInWithProject(page, server)
    const check = await buildCheck(server.ctx, project, { name: 'nightly' })
    await ping(server.url, check.code, 'first run')
    await page.goto(`${server.url}/checks/${check.code}/details/`)
    // The ping and the new → up status change.
    assert.equal(await page.locator('table.events tbody tr').count(), 2)
    await page.getByRole('link', { name: 'Clear events…' }).click()
    await page.getByRole('heading', { name: 'Clear the events of “nightly”?' }).waitFor()
    await page.getByRole('button', { name: 'Clear events' }).click()
    await page.waitForURL(`${server.url}/checks/${check.code}/details/?cleared=1`)
    assert.match((await page.getByRole('status').textContent()) ?? '', /events were cleared/)
    assert.ok(await page.getByText('No events yet.').isVisible())
    assert.equal(await page.locator('table.events tbody tr').count(), 0)
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'nightly')
  })

  test('create a copy opens the new check', async () => {
    const { page, server } = current()
    const project = await logInWithProject(page, server)
    const check = await buildCheck(server.ctx, project, { name: 'backup', tags: 'prod' })
    await page.goto(`${server.url}/checks/${check.code}/details/`)
    await page.getByRole('button', { name: 'Create a copy' }).click()
    await page.waitForURL(/\/checks\/[0-9a-f-]{36}\/details\/\?copied=1$/)
    assert.ok(!page.url().includes(check.code))
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'backup (copy)')
    assert.match((await page.getByRole('status').textContent()) ?? '', /new copy/)
    await page.getByRole('link', { name: 'Backups' }).click()
    const names = await page.locator('tbody .check-name').allTextContents()
    assert.deepEqual(names.sort(), ['backup', 'backup (copy)'])
  })

  test('transfer moves the check to another project the user can change', async () => {
    const { page, server } = current()
    const project = await logInWithProject(page, server)
    const other = await buildProject(server.ctx, 'bob@example.org', 'Bobs Project')
    const alice = await server.ctx.db.kysely
      .selectFrom('users')
      .select('id')
      .where('email', '=', EMAIL)
      .executeTakeFirstOrThrow()
    await server.ctx.db.kysely
      .insertInto('members')
      .values({
        project_id: other.project.id,
        user_id: alice.id,
        role: 'w',
        created: Date.now(),
        invited_by: null,
      })
      .execute()
    const check = await buildCheck(server.ctx, project, { name: 'mover' })
    await page.goto(`${server.url}/checks/${check.code}/details/`)
    await page.getByRole('link', { name: 'Transfer to another project…' }).click()
    await page.getByLabel('Bobs Project').check()
    await page.getByRole('button', { name: 'Transfer' }).click()
    await page.waitForURL(`${server.url}/checks/${check.code}/details/?transferred=1`)
    assert.match((await page.locator('.breadcrumb').textContent()) ?? '', /Bobs Project/)
    assert.match((await page.getByRole('status').textContent()) ?? '', /moved to this project/)
  })
})
