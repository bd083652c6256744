import assert from 'node:assert/strict'
import { test } from 'node:test'
import { updateCheck } from '../../src/checks/update-check.js'
import { upsertCheck } from '../../src/checks/upsert-check.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { checkForm as form, useCheckFormTest } from './check-form-harness.js'

describeEachDatabase('web check form flapping protection', (dialect) => {
  const { t, addUrl, checksOf } = useCheckFormTest(dialect)

  /** A check "db" that waits for 2 failures and 10 minutes; Alice is logged in at its edit URL. */
  async function editingFlappingCheck(): Promise<string> {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, {
      name: 'db',
      alert_failures: 2,
      alert_delay: 600,
    })
    await t().logIn()
    return `/checks/${check.code}/edit`
  }

  test('a new check without the fields alerts at once', async () => {
    await t().logIn()
    const page = await t().browser.get(addUrl())
    assert.match(page.body, /<label for="alert_failures">/)
    assert.match(page.body, /<label for="alert_delay">/)
    const r = await t().submit(addUrl(), addUrl(), form())
    assert.equal(r.statusCode, 303)
    const [check] = await checksOf()
    assert.equal(check.alert_failures, 1)
    assert.equal(check.alert_delay, 0)
  })

  test('adding a check stores failures in a row and the delay in seconds', async () => {
    await t().logIn()
    const r = await t().submit(addUrl(), addUrl(), form({ alert_failures: '3', alert_delay: '15' }))
    assert.equal(r.statusCode, 303)
    const [check] = await checksOf()
    assert.equal(check.alert_failures, 3)
    assert.equal(check.alert_delay, 900)
  })

  test('editing a check shows and saves its flapping protection', async () => {
    const url = await editingFlappingCheck()
    const page = await t().browser.get(url)
    assert.match(page.body, /id="alert_failures" name="alert_failures" value="2"/)
    assert.match(page.body, /id="alert_delay" name="alert_delay" value="10"/)
    const r = await t().submit(url, url, form({ alert_failures: '100', alert_delay: '1440' }))
    assert.equal(r.statusCode, 303)
    const [saved] = await checksOf()
    assert.equal(saved.alert_failures, 100)
    assert.equal(saved.alert_delay, 86_400)
  })

  test('out-of-range values are explained next to the field and nothing is saved', async () => {
    const url = await editingFlappingCheck()
    for (const [fields, message] of [
      [{ alert_failures: '0' }, /from 1 to 100/],
      [{ alert_failures: '101' }, /from 1 to 100/],
      [{ alert_failures: '2.5' }, /from 1 to 100/],
      [{ alert_delay: '1441' }, /from 0 to 1440/],
      [{ alert_delay: '-1' }, /from 0 to 1440/],
      [{ alert_delay: 'soon' }, /from 0 to 1440/],
    ] as const) {
      const r = await t().submit(url, url, form(fields))
      assert.equal(r.statusCode, 400, JSON.stringify(fields))
      assert.match(r.body, message, JSON.stringify(fields))
    }
    const [saved] = await checksOf()
    assert.equal(saved.name, 'db')
    assert.equal(saved.alert_failures, 2)
    assert.equal(saved.alert_delay, 600)
    const add = await t().submit(addUrl(), addUrl(), form({ alert_failures: '0' }))
    assert.equal(add.statusCode, 400)
    assert.equal((await checksOf()).length, 1, 'no check was added')
  })

  test('the use cases refuse out-of-range flapping settings themselves', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'db' })
    const updated = await updateCheck(ctx, {
      projectId: project.id,
      code: check.code,
      body: {},
      version: 3,
      flapping: { alert_delay: 86_401 },
    })
    assert.deepEqual(!updated.ok && updated.error, {
      kind: 'invalid-field',
      field: 'alert_delay',
      problem: 'is out of range (allowed: 0 to 86400 seconds)',
    })
    const created = await upsertCheck(ctx, {
      project,
      body: { name: 'other' },
      version: 3,
      flapping: { alert_failures: 0 },
    })
    assert.equal(!created.ok && created.error.kind, 'invalid-field')
    assert.equal((await checksOf()).length, 1)
  })
})
