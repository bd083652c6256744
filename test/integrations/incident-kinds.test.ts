import assert from 'node:assert/strict'
import { test } from 'node:test'
import { uniqueKey } from '../../src/checks/json.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { jsonBody, useChannelScene } from './channel-harness.js'

const DESCRIPTION = (status: 'down' | 'up', code: string) =>
  [
    status === 'down'
      ? 'The check "Nightly backup" is DOWN. Reason: success signal did not arrive on time, grace time passed.'
      : 'The check "Nightly backup" is UP.',
    'Project: Alices Project',
    'Tags: prod, db',
    'Period: 1 hour',
    'Total Pings: 7',
    'Last Ping: Success, 2026-01-15 10:00:00 UTC',
    `Details: http://localhost:8000/checks/${code}/details/`,
  ].join('\n')

describeEachDatabase('incident kinds', (dialect) => {
  const scene = useChannelScene(dialect, (url) => ({
    INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True',
    PD_API_URL: `${url}/pd`,
    OPSGENIE_API_URL: `${url}/og-us`,
    OPSGENIE_EU_API_URL: `${url}/og-eu`,
  }))

  test('PagerDuty gets trigger and resolve events at PD_API_URL', async () => {
    const s = scene()
    await s.channel('pd', 'abcdef0123456789abcdef0123456789')
    await s.goDown()
    await s.comeUp()
    const event = (event_type: string, description: string) => ({
      service_key: 'abcdef0123456789abcdef0123456789',
      incident_key: uniqueKey(s.check.code),
      event_type,
      description,
      client: 'Vigil',
      client_url: `http://localhost:8000/checks/${s.check.code}/details/`,
      details: {
        Project: 'Alices Project',
        'Total pings': 7,
        'Last ping': 'Success, 2026-01-15 10:00:00 UTC',
        Tags: 'prod, db',
        Period: '1 hour',
      },
    })
    const [down, up] = s.cap.requests
    assert.equal(down.method, 'POST')
    assert.equal(down.url, '/pd/generic/2010-04-15/create_event.json')
    assert.equal(down.headers['content-type'], 'application/json')
    assert.deepEqual(jsonBody(down), event('trigger', 'Nightly backup is DOWN'))
    assert.equal(up.url, '/pd/generic/2010-04-15/create_event.json')
    assert.deepEqual(jsonBody(up), event('resolve', 'Nightly backup is UP'))
  })

  test('PagerDuty Simple Install values send their service_key', async () => {
    const s = scene()
    await s.channel('pd', { service_key: 'k123', account: 'acme' })
    await s.goDown()
    assert.equal((jsonBody(s.cap.requests[0]) as { service_key: string }).service_key, 'k123')
  })

  test('Opsgenie creates an alert on down and closes it by alias on up', async () => {
    const s = scene()
    await s.channel('opsgenie', { key: 'og-key-1234', region: 'us' })
    await s.goDown()
    await s.comeUp()
    const alias = uniqueKey(s.check.code)
    const [down, up] = s.cap.requests
    assert.equal(down.url, '/og-us/v2/alerts')
    assert.equal(down.headers.authorization, 'GenieKey og-key-1234')
    assert.deepEqual(jsonBody(down), {
      alias,
      source: 'Vigil',
      tags: ['prod', 'db'],
      message: 'Nightly backup is DOWN',
      description: '',
      details: {
        Project: 'Alices Project',
        'Total pings': 7,
        'Last ping': 'Success, 2026-01-15 10:00:00 UTC',
        Period: '1 hour',
        'Full details': `http://localhost:8000/checks/${s.check.code}/details/`,
      },
    })
    assert.equal(up.url, `/og-us/v2/alerts/${alias}/close?identifierType=alias`)
    assert.equal(up.headers.authorization, 'GenieKey og-key-1234')
    assert.deepEqual(jsonBody(up), { alias, source: 'Vigil' })
  })

  test('Opsgenie region eu uses OPSGENIE_EU_API_URL and quotes error messages', async () => {
    const s = scene()
    s.cap.script({ status: 422, body: '{"message":"Key format is not valid!"}' })
    await s.channel('opsgenie', { key: 'bad', region: 'eu' })
    assert.deepEqual(await s.goDown(), ['failed'])
    assert.equal(s.cap.requests[0].url, '/og-eu/v2/alerts')
    const [n] = await s.notifications()
    assert.equal(n.error, 'Received status code 422 with a message: "Key format is not valid!"')
  })

  test('Splunk On-Call gets CRITICAL and RECOVERY; 404 disables the channel', async () => {
    const s = scene()
    const ch = await s.channel('victorops', `${s.cap.url}/integrations/generic/20131114/alert/k/r`)
    await s.goDown()
    await s.comeUp()
    const alert = (message_type: string, status: 'down' | 'up') => ({
      entity_id: uniqueKey(s.check.code),
      message_type,
      entity_display_name: 'Nightly backup',
      state_message: DESCRIPTION(status, s.check.code),
      monitoring_tool: 'Vigil',
    })
    assert.equal(s.cap.requests[0].url, '/integrations/generic/20131114/alert/k/r')
    assert.deepEqual(jsonBody(s.cap.requests[0]), alert('CRITICAL', 'down'))
    assert.deepEqual(jsonBody(s.cap.requests[1]), alert('RECOVERY', 'up'))
    s.cap.script(404)
    s.ctx.clock.advance(2 * 3_600_000)
    assert.deepEqual(await s.goDown(), ['failed'])
    assert.equal((await s.channelRow(ch.id)).disabled, 1)
  })

  test('PagerTree gets trigger and resolve events', async () => {
    const s = scene()
    await s.channel('pagertree', `${s.cap.url}/integration/int_abc`)
    await s.goDown()
    await s.comeUp()
    const event = (event_type: string, status: 'down' | 'up') => ({
      incident_key: uniqueKey(s.check.code),
      event_type,
      title: `Nightly backup is ${status.toUpperCase()}`,
      description: DESCRIPTION(status, s.check.code),
      client: 'Vigil',
      client_url: 'http://localhost:8000',
      tags: 'prod,db',
    })
    assert.equal(s.cap.requests[0].url, '/integration/int_abc')
    assert.deepEqual(jsonBody(s.cap.requests[0]), event('trigger', 'down'))
    assert.deepEqual(jsonBody(s.cap.requests[1]), event('resolve', 'up'))
  })

  test('Spike gets check_id, title, message and status', async () => {
    const s = scene()
    await s.channel('spike', `${s.cap.url}/api/v1/alerts/xyz`)
    await s.goDown()
    await s.comeUp()
    const event = (status: 'down' | 'up') => ({
      check_id: uniqueKey(s.check.code),
      title: `Nightly backup is ${status.toUpperCase()}`,
      message: DESCRIPTION(status, s.check.code),
      status,
    })
    assert.deepEqual(jsonBody(s.cap.requests[0]), event('down'))
    assert.deepEqual(jsonBody(s.cap.requests[1]), event('up'))
  })
})

describeEachDatabase('incident kinds switched off', (dialect) => {
  const scene = useChannelScene(dialect, (url) => ({
    PD_ENABLED: 'False',
    OPSGENIE_ENABLED: 'False',
    PD_API_URL: url,
  }))

  test('PagerDuty and Opsgenie fail with a clear error and send nothing', async () => {
    const s = scene()
    await s.channel('pd', 'abc')
    await s.channel('opsgenie', { key: 'k', region: 'us' })
    assert.deepEqual(await s.goDown(), ['failed', 'failed'])
    const errors = (await s.notifications()).map((n) => n.error).sort()
    assert.deepEqual(errors, [
      'Opsgenie notifications are not enabled.',
      'PagerDuty notifications are not enabled.',
    ])
    assert.equal(s.cap.requests.length, 0)
  })
})
