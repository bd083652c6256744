// The run-time limits in the web UI: the check form's fields (minutes for the maximum, seconds
// for the minimum, empty = unset) with their errors, and the details page's facts, deadline
// sentence and event-log reason.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { checkForm as form, useCheckFormTest } from './check-form-harness.js'

const M = 60_000

describeEachDatabase('web check run-time limits', (dialect) => {
  const { t, addUrl, checksOf } = useCheckFormTest(dialect)

  test('a new check without the fields has no limits; with them it stores seconds', async () => {
    await t().logIn()
    const page = await t().browser.get(addUrl())
    assert.match(page.body, /<label for="max_runtime">/)
    assert.match(page.body, /<label for="min_runtime">/)
    assert.equal((await t().submit(addUrl(), addUrl(), form())).statusCode, 303)
    assert.equal(
      (
        await t().submit(
          addUrl(),
          addUrl(),
          form({ name: 'b', max_runtime: '90', min_runtime: '30' }),
        )
      ).statusCode,
      303,
    )
    const checks = await checksOf()
    const plain = checks.find((c) => c.name === 'Nightly backup')
    const limited = checks.find((c) => c.name === 'b')
    assert.ok(plain && limited)
    assert.deepEqual([plain.max_runtime, plain.min_runtime], [null, null])
    assert.deepEqual([limited.max_runtime, limited.min_runtime], [5400, 30])
  })

  test('editing shows the limits, saves changes and clears an emptied field', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'db', max_runtime: 7200, min_runtime: 5 })
    await t().logIn()
    const url = `/checks/${check.code}/edit`
    const page = await t().browser.get(url)
    assert.match(page.body, /id="max_runtime" name="max_runtime" value="120"/)
    assert.match(page.body, /id="min_runtime" name="min_runtime" value="5"/)
    const r = await t().submit(url, url, form({ name: 'db', max_runtime: '', min_runtime: '10' }))
    assert.equal(r.statusCode, 303)
    const [saved] = await checksOf()
    assert.deepEqual([saved.max_runtime, saved.min_runtime], [null, 10])
  })

  test('bad values are explained next to the field and nothing is saved', async () => {
    await t().logIn()
    for (const [fields, message] of [
      [{ max_runtime: 'long' }, /Enter the maximum run time as a number/],
      [{ max_runtime: '0.5' }, /The maximum run time must be at least 1 minute/],
      [{ min_runtime: '0' }, /whole number of seconds from 1 to 31536000/],
      [{ min_runtime: '1.5' }, /whole number of seconds from 1 to 31536000/],
      [
        { max_runtime: '1', min_runtime: '60' },
        /minimum run time must be shorter than the maximum/,
      ],
    ] as const) {
      const r = await t().submit(addUrl(), addUrl(), form(fields))
      assert.equal(r.statusCode, 400, JSON.stringify(fields))
      assert.match(r.body, message, JSON.stringify(fields))
    }
    assert.equal((await checksOf()).length, 0)
  })

  test('the details page shows the limits, a running job’s own deadline and the reason of its flip', async () => {
    const { ctx, project } = t()
    const now = ctx.clock.now()
    const check = await buildCheck(ctx, project, {
      name: 'db',
      status: 'up',
      last_ping: now - 60 * M,
      max_runtime: 7200,
      min_runtime: 60,
      last_start: now - 10 * M,
      last_progress: now - 5 * M,
    })
    await ctx.db.kysely
      .insertInto('flips')
      .values([
        {
          check_id: check.id,
          created: now - 3 * M,
          processed: now,
          old_status: 'up',
          new_status: 'down',
          reason: 'runtime',
        },
        {
          check_id: check.id,
          created: now - 2 * M,
          processed: now,
          old_status: 'down',
          new_status: 'up',
          reason: '',
        },
        {
          check_id: check.id,
          created: now - M,
          processed: now,
          old_status: 'up',
          new_status: 'down',
          reason: 'too_fast',
        },
      ])
      .execute()
    await t().logIn()
    const r = await t().browser.get(`/checks/${check.code}/details/`)
    assert.equal(r.statusCode, 200)
    assert.match(
      r.body,
      /<dt>Maximum run time<\/dt><dd>2 hours after the start or the last progress ping<\/dd>/,
    )
    assert.match(r.body, /<dt>Minimum run time<\/dt><dd>1 minute<\/dd>/)
    // 2 hours after the last progress ping (5 minutes ago), not grace after the start.
    assert.match(r.body, /A run started 10 minutes ago and must finish by 15 Jan 2026, 13:55:00/)
    assert.match(r.body, /\(ran too long\)/)
    assert.match(r.body, /\(finished too fast\)/)
  })

  test('a copy keeps the run-time limits', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'db', max_runtime: 600, min_runtime: 9 })
    await t().logIn()
    const r = await t().submit(`/checks/${check.code}/details/`, `/checks/${check.code}/copy/`, {})
    assert.equal(r.statusCode, 303)
    const copy = (await checksOf()).find((c) => c.id !== check.id)
    assert.deepEqual([copy?.max_runtime, copy?.min_runtime], [600, 9])
  })
})
