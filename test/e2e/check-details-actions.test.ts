import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { describeInBrowser } from './harness.js'
import { EMAIL, logInWithProject } from './monitoring-login.js'

describeInBrowser('check details actions and the event log in the browser', (current) => {
  async function ping(url: string, path: string, body?: string) {
    const r = await fetch(`${url}/ping/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      body,
    })
    assert.equal(r.status, 200)
  }

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

  test('the full log filters by kind and by date through its plain GET form', async () => {
    const { page, server } = current()
    const project = await logInWithProject(page, server)
    const check = await buildCheck(server.ctx, project, { name: 'job' })
    // Alice's zone is UTC; taken before the pings so they fall on "today" or later.
    const today = new Date().toISOString().slice(0, 10)
    await ping(server.url, `${check.code}/start`)
    await ping(server.url, `${check.code}/fail`, 'broke')
    await ping(server.url, check.code)
    await page.goto(`${server.url}/checks/${check.code}/details/`)
    await page.getByRole('link', { name: 'Full event log with filters' }).click()
    await page.getByRole('heading', { name: 'Event log' }).waitFor()
    const rows = page.locator('table.events tbody tr')
    // 3 pings and 2 status changes (new → down on the failure, down → up after it).
    assert.equal(await rows.count(), 5)
    for (const label of ['OK', 'Started', 'Log', 'Ignored', 'Status changes']) {
      await page.getByLabel(label, { exact: true }).uncheck()
    }
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL(/kind=fail/)
    assert.equal(await rows.count(), 1)
    assert.match((await rows.first().textContent()) ?? '', /#2 Failure.*broke/)
    assert.ok(await page.getByLabel('Failure', { exact: true }).isChecked())
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    await page.getByLabel('From').fill(tomorrow)
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.getByText('No events match these filters.').waitFor()
    await page.getByLabel('From').fill(today)
    await page.getByLabel('To').fill(tomorrow)
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL(new RegExp(`to=${tomorrow}`))
    assert.equal(await rows.count(), 1)
    await page.getByRole('link', { name: 'Reset' }).click()
    await page.waitForURL(`${server.url}/checks/${check.code}/log/`)
    assert.equal(await rows.count(), 5)
  })

  test('new events appear in the details and log pages without a reload', async () => {
    const { page, server } = current()
    const project = await logInWithProject(page, server)
    const check = await buildCheck(server.ctx, project, { name: 'live' })
    // The page's timers run on a clock the test moves, so the 5 s poll costs no real 5 s.
    await page.clock.install()
    await page.goto(`${server.url}/checks/${check.code}/details/`)
    assert.ok(await page.getByText('No events yet.').isVisible())
    // A marker that a reload would wipe.
    await page.evaluate(() => {
      ;(window as unknown as { marker: number }).marker = 1
    })
    await ping(server.url, check.code, '<b>done</b>')
    await page.clock.runFor(5_000)
    const first = page.locator('table.events tbody tr').first()
    await first.getByRole('link', { name: '#1' }).waitFor({ timeout: 5_000 })
    assert.match((await first.textContent()) ?? '', /#1 OK.*<b>done<\/b>/)
    assert.equal(await first.locator('b').count(), 0, 'the body stays text')
    assert.ok(!(await page.getByText('No events yet.').isVisible()))
    assert.equal(
      await page.evaluate(() => (window as unknown as { marker?: number }).marker),
      1,
      'no reload',
    )

    await page.goto(`${server.url}/checks/${check.code}/log/?filtered=1&kind=fail`)
    assert.equal(await page.locator('table.events tbody tr').count(), 0)
    await ping(server.url, check.code)
    await ping(server.url, `${check.code}/fail`)
    await page.clock.runFor(5_000)
    const failure = page.locator('table.events tbody tr', { hasText: '#3 Failure' })
    await failure.waitFor({ timeout: 5_000 })
    assert.equal(await page.locator('table.events tbody tr').count(), 1, 'only the ticked kind')
  })
})
