import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { uniqueKey } from '../../src/checks/json.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, call, createApiHarness } from './api-harness.js'

describeEachDatabase('Prometheus metrics', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect)
  })
  afterEach(() => h.close())

  test('it renders the gauges like Healthchecks', async () => {
    const now = h.ctx.clock.now()
    const up = await buildCheck(h.ctx, h.alice.project, {
      name: 'Say "hi"\\',
      tags: 'foo bar',
      status: 'up',
      last_ping: now,
    })
    const down = await buildCheck(h.ctx, h.alice.project, {
      name: 'db',
      tags: 'foo',
      status: 'down',
      last_ping: now - 10 * 86400_000,
    })
    const r = await call(
      h.app,
      'GET',
      `/projects/${h.alice.project.code}/metrics/${h.alice.apiKeyReadonly}`,
    )
    assert.equal(r.statusCode, 200)
    assert.equal(r.headers['content-type'], 'text/plain')
    const l1 = `{name="Say \\"hi\\"\\\\", tags="foo bar", unique_key="${uniqueKey(up.code)}"}`
    const l2 = `{name="db", tags="foo", unique_key="${uniqueKey(down.code)}"}`
    assert.equal(
      r.body,
      [
        '# HELP hc_check_up Whether the check is currently up (1 for yes, 0 for no).',
        '# TYPE hc_check_up gauge',
        `hc_check_up${l1} 1`,
        `hc_check_up${l2} 0`,
        '',
        '# HELP hc_check_started Whether the check is currently started (1 for yes, 0 for no).',
        '# TYPE hc_check_started gauge',
        `hc_check_started${l1} 0`,
        `hc_check_started${l2} 0`,
        '',
        '# HELP hc_check_grace Whether the check is currently in the grace period (1 for yes, 0 for no).',
        '# TYPE hc_check_grace gauge',
        `hc_check_grace${l1} 0`,
        `hc_check_grace${l2} 0`,
        '',
        '# HELP hc_check_paused Whether the check is currently paused (1 for yes, 0 for no).',
        '# TYPE hc_check_paused gauge',
        `hc_check_paused${l1} 0`,
        `hc_check_paused${l2} 0`,
        '',
        '# HELP hc_check_last_duration_seconds How long the last run took, from its start to its finish, in seconds.',
        '# TYPE hc_check_last_duration_seconds gauge',
        '',
        '# HELP hc_tag_up Whether all checks with this tag are up (1 for yes, 0 for no).',
        '# TYPE hc_tag_up gauge',
        'hc_tag_up{tag="bar"} 1',
        'hc_tag_up{tag="foo"} 0',
        '',
        '# HELP hc_checks_total The total number of checks.',
        '# TYPE hc_checks_total gauge',
        'hc_checks_total 2',
        '',
        '# HELP hc_checks_down_total The number of checks currently down.',
        '# TYPE hc_checks_down_total gauge',
        'hc_checks_down_total 1',
        '',
      ].join('\n'),
    )
  })

  test('hc_check_last_duration_seconds has a sample for each check whose last run has a duration', async () => {
    const timed = await buildCheck(h.ctx, h.alice.project, {
      name: 'timed',
      last_duration_ms: 252_500,
    })
    await buildCheck(h.ctx, h.alice.project, { name: 'untimed' })
    const r = await call(
      h.app,
      'GET',
      `/projects/${h.alice.project.code}/metrics/${h.alice.apiKeyReadonly}`,
    )
    const samples = r.body
      .split('\n')
      .filter((l) => l.startsWith('hc_check_last_duration_seconds{'))
    assert.deepEqual(samples, [
      `hc_check_last_duration_seconds{name="timed", tags="", unique_key="${uniqueKey(timed.code)}"} 252.5`,
    ])
  })

  test('the project comes from the key; the legacy and Bearer forms work', async () => {
    await buildCheck(h.ctx, h.alice.project, { name: 'mine' })
    const other = h.bob.project.code
    const r = await call(
      h.app,
      'GET',
      `/projects/${other}/checks/metrics/${h.alice.apiKeyReadonly}`,
    )
    assert.match(r.body, /name="mine"/)
    const bearer = await call(h.app, 'GET', `/projects/${other}/metrics/`, {
      headers: { authorization: `Bearer ${h.alice.apiKeyReadonly}` },
    })
    assert.match(bearer.body, /name="mine"/)
  })

  test('it answers 401 without a Bearer header, 400 for a bad length, 403 for a read-write key', async () => {
    const p = h.alice.project.code
    assert.equal((await call(h.app, 'GET', `/projects/${p}/metrics/`)).statusCode, 401)
    assert.equal((await call(h.app, 'GET', `/projects/${p}/metrics/short`)).statusCode, 400)
    assert.equal(
      (await call(h.app, 'GET', `/projects/${p}/metrics/${h.alice.apiKey}`)).statusCode,
      403,
    )
    assert.equal(
      (await call(h.app, 'GET', `/projects/${p}/metrics/${'q'.repeat(32)}`)).statusCode,
      403,
    )
  })
})

describeEachDatabase('Prometheus metrics with PROMETHEUS_ENABLED=False', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect, { PROMETHEUS_ENABLED: 'False' })
  })
  afterEach(() => h.close())

  test('every Prometheus endpoint answers 404, even with a good key', async () => {
    const base = `/projects/${h.alice.project.code}`
    const key = h.alice.apiKeyReadonly
    for (const url of [`${base}/metrics/${key}`, `${base}/checks/metrics/${key}`]) {
      assert.equal((await call(h.app, 'GET', url)).statusCode, 404, url)
    }
    const bearer = await call(h.app, 'GET', `${base}/metrics/`, {
      headers: { authorization: `Bearer ${key}` },
    })
    assert.equal(bearer.statusCode, 404)
  })
})
