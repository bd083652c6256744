import assert from 'node:assert/strict'
import { test } from 'node:test'
import { repeatUpdateBody, storedRepeatValues } from '../../src/web/integrations/channel-repeat.js'
import { buildChannel } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { csrfFrom } from './form-client.js'
import { useMonitoringTest } from './monitoring-harness.js'

test('the repeat form shows the interval in its largest whole unit and posts seconds', () => {
  assert.deepEqual(storedRepeatValues({ repeat_every: 7200, repeat_max: 3 }), {
    every: '2',
    unit: '3600',
    max: '3',
  })
  assert.deepEqual(storedRepeatValues({ repeat_every: 90 * 60, repeat_max: 3 }).unit, '60')
  assert.deepEqual(storedRepeatValues({ repeat_every: 0, repeat_max: 0 }).every, '')
  assert.deepEqual(repeatUpdateBody({ every: '2', unit: '86400', max: '' }), {
    repeat_every: 172800,
  })
  assert.deepEqual(repeatUpdateBody({ every: '', unit: '60', max: '5' }), { repeat_every: 0 })
  assert.deepEqual(repeatUpdateBody({ every: 'x', unit: '60', max: '5' }), {
    repeat_every: 'x',
    repeat_max: 5,
  })
})

describeEachDatabase('web: channel repeat form', (dialect) => {
  const t = useMonitoringTest(dialect)
  const read = (id: number) =>
    t()
      .ctx.db.kysely.selectFrom('channels')
      .select(['repeat_every', 'repeat_max'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()

  test('a member sets repeats every 2 hours at most 5 times, and a bad value is a 400', async () => {
    const { ctx, project } = t()
    const channel = await buildChannel(ctx, project, 'webhook', {
      url_down: 'https://example.org/',
    })
    await t().logIn()
    const list = await t().browser.get(`/projects/${project.code}/integrations/`)
    assert.match(list.body, new RegExp(`/integrations/${channel.code}/repeat/`))
    const form = await t().browser.get(`/integrations/${channel.code}/repeat/`)
    assert.equal(form.statusCode, 200)
    const csrf = csrfFrom(form.body)
    const url = `/integrations/${channel.code}/repeat/`
    const ok = await t().browser.post(url, {
      csrf,
      repeat_every: '2',
      repeat_unit: '3600',
      repeat_max: '5',
    })
    assert.equal(ok.statusCode, 303)
    assert.deepEqual(await read(channel.id), { repeat_every: 7200, repeat_max: 5 })
    const again = await t().browser.get(url)
    assert.match(again.body, /name="repeat_every" value="2"/)

    const bad = await t().browser.post(url, {
      csrf,
      repeat_every: '2',
      repeat_unit: '3600',
      repeat_max: '5000',
    })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /At most: must be between 1 and 1000\./)
    assert.deepEqual(await read(channel.id), { repeat_every: 7200, repeat_max: 5 })

    const off = await t().browser.post(url, { csrf, repeat_every: '', repeat_unit: '3600' })
    assert.equal(off.statusCode, 303)
    assert.deepEqual(await read(channel.id), { repeat_every: 0, repeat_max: 0 })
  })
})
