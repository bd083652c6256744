import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildCheck } from '../helpers/builders.js'
import { describeInBrowser } from './harness.js'
import { logInWithProject } from './monitoring-login.js'

describeInBrowser('snooze and maintenance windows in the browser', (current) => {
  test('snooze a check from its page, end it, and give it a maintenance window', async () => {
    const { page, server } = current()
    const project = await logInWithProject(page, server)
    const check = await buildCheck(server.ctx, project, { name: 'nightly' })
    const details = `${server.url}/checks/${check.code}/details/`
    await page.goto(details)
    await page.getByLabel('Snooze alerts for').selectOption('240')
    await page.getByPlaceholder('Reason (optional)').fill('disk swap')
    await page.getByRole('button', { name: 'Snooze', exact: true }).click()
    await page.waitForURL(`${details}?snoozed=1`)
    assert.match(
      (await page.locator('[data-snoozed]').textContent()) ?? '',
      /Snoozed until .*disk swap/,
    )
    await page.getByRole('button', { name: 'End snooze' }).click()
    await page.waitForURL(`${details}?unsnoozed=1`)
    assert.equal(await page.locator('[data-snoozed]').count(), 0)

    await page.goto(`${server.url}/checks/${check.code}/edit`)
    await page.getByLabel('One window per line').fill('0 2 * * 0 | 2h | Europe/Riga')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.waitForURL(details)
    const saved = await server.ctx.db.kysely
      .selectFrom('checks')
      .select('maintenance')
      .where('id', '=', check.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(JSON.parse(saved.maintenance), [
      { schedule: '0 2 * * 0', duration: 7200, tz: 'Europe/Riga' },
    ])
    assert.equal(await page.locator('table.maintenance-preview tbody tr').count(), 5)
  })
})
