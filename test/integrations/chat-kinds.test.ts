import assert from 'node:assert/strict'
import { test } from 'node:test'
import { PRIVATE_IP_ERROR } from '../../src/integrations/index.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { jsonBody, useChannelScene } from './channel-harness.js'

const REASON = 'Reason: success signal did not arrive on time, grace time passed.'

describeEachDatabase('Slack-style kinds', (dialect) => {
  const scene = useChannelScene(dialect, () => ({ INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True' }))

  function slackPayload(status: 'down' | 'up', code: string) {
    return {
      username: 'Vigil',
      attachments: [
        {
          color: status === 'down' ? 'danger' : 'good',
          fallback: `The check "Nightly backup" is ${status.toUpperCase()}.`,
          mrkdwn_in: ['fields'],
          title: `“Nightly backup” is ${status.toUpperCase()}.`,
          title_link: `http://localhost:8000/checks/${code}/details/`,
          ...(status === 'down' ? { text: REASON } : {}),
          fields: [
            { title: 'Project', value: 'Alices Project', short: true },
            { title: 'Tags', value: '`prod` `db`', short: true },
            { title: 'Period', value: '1 hour', short: true },
            { title: 'Total Pings', value: '7', short: true },
            { title: 'Last Ping', value: 'Success, 2026-01-15 10:00:00 UTC', short: true },
            { title: 'Last Ping Body', value: '```\nbackup done\n```' },
          ],
        },
      ],
    }
  }

  test('Slack gets the attachment payload on down and on up', async () => {
    const s = scene()
    await s.channel('slack', `${s.cap.url}/services/T000/B000/XXXX`)
    assert.deepEqual(await s.goDown(), ['sent'])
    assert.deepEqual(await s.comeUp(), ['sent'])
    const [down, up] = s.cap.requests
    assert.equal(down.method, 'POST')
    assert.equal(down.url, '/services/T000/B000/XXXX')
    assert.equal(down.headers['content-type'], 'application/json')
    assert.deepEqual(jsonBody(down), slackPayload('down', s.check.code))
    assert.equal(up.url, '/services/T000/B000/XXXX')
    assert.deepEqual(jsonBody(up), slackPayload('up', s.check.code))
  })

  test('Slack value from the OAuth flow posts to incoming_webhook.url', async () => {
    const s = scene()
    await s.channel('slack', {
      team_name: 'Acme',
      incoming_webhook: { url: `${s.cap.url}/oauth-hook`, channel: '#ops' },
    })
    await s.goDown()
    assert.equal(s.cap.requests[0].url, '/oauth-hook')
  })

  test('Slack 404 fails for good and disables the channel', async () => {
    const s = scene()
    s.cap.script(404)
    const ch = await s.channel('slack', `${s.cap.url}/gone`)
    assert.deepEqual(await s.goDown(), ['failed'])
    const [n] = await s.notifications()
    assert.equal(n.error, 'Received status code 404')
    assert.equal((await s.channelRow(ch.id)).disabled, 1)
  })

  test('Slack 400 invalid_token disables the channel; other 400s do not', async () => {
    const s = scene()
    s.cap.script({ status: 400, body: 'invalid_token' })
    const ch = await s.channel('slack', `${s.cap.url}/revoked`)
    assert.deepEqual(await s.goDown(), ['failed'])
    assert.equal((await s.channelRow(ch.id)).disabled, 1)
    s.cap.script({ status: 400, body: 'invalid_payload' })
    const other = await s.channel('slack', `${s.cap.url}/bad`)
    assert.deepEqual(await s.comeUp(), ['failed'])
    assert.equal((await s.channelRow(other.id)).disabled, 0)
  })

  test('Slack 503 is retried later', async () => {
    const s = scene()
    s.cap.script(503, 200)
    await s.channel('slack', `${s.cap.url}/flaky`)
    assert.deepEqual(await s.goDown(), ['retrying'])
    s.ctx.clock.advance(10_000)
    assert.deepEqual(await s.comeUp(), ['sent', 'sent'])
    assert.equal(s.cap.requests.length, 3)
  })

  test('Mattermost gets the same payload at its webhook URL', async () => {
    const s = scene()
    await s.channel('mattermost', `${s.cap.url}/hooks/abc123`)
    await s.goDown()
    await s.comeUp()
    assert.equal(s.cap.requests[0].url, '/hooks/abc123')
    assert.deepEqual(jsonBody(s.cap.requests[0]), slackPayload('down', s.check.code))
    assert.deepEqual(jsonBody(s.cap.requests[1]), slackPayload('up', s.check.code))
  })

  test('Discord gets the Slack payload at <webhook>/slack', async () => {
    const s = scene()
    await s.channel('discord', { webhook: { url: `${s.cap.url}/api/webhooks/1/tok`, id: '1' } })
    await s.goDown()
    await s.comeUp()
    assert.equal(s.cap.requests[0].url, '/api/webhooks/1/tok/slack')
    assert.deepEqual(jsonBody(s.cap.requests[0]), slackPayload('down', s.check.code))
    assert.deepEqual(jsonBody(s.cap.requests[1]), slackPayload('up', s.check.code))
  })

  test('Discord 404 disables the channel', async () => {
    const s = scene()
    s.cap.script(404)
    const ch = await s.channel('discord', { webhook: { url: `${s.cap.url}/api/webhooks/1/x` } })
    assert.deepEqual(await s.goDown(), ['failed'])
    assert.equal((await s.channelRow(ch.id)).disabled, 1)
  })

  test('Rocket.Chat gets a link line and a field attachment', async () => {
    const s = scene()
    await s.channel('rocketchat', `${s.cap.url}/hooks/rc`)
    await s.goDown()
    await s.comeUp()
    const url = `http://localhost:8000/checks/${s.check.code}/details/`
    const fields = [
      { title: 'Project', value: 'Alices Project', short: true },
      { title: 'Tags', value: '`prod` `db`', short: true },
      { title: 'Period', value: '1 hour', short: true },
      { title: 'Total Pings', value: '7', short: true },
      { title: 'Last Ping', value: 'Success, 2026-01-15 10:00:00 UTC', short: true },
      { title: 'Last Ping Body', value: `11 bytes, [show body](${url}#ping-7)`, short: true },
    ]
    assert.equal(s.cap.requests[0].url, '/hooks/rc')
    assert.deepEqual(jsonBody(s.cap.requests[0]), {
      alias: 'Vigil',
      text: `[Nightly backup](${url}) is DOWN.`,
      attachments: [{ color: '#d9534f', fields }],
    })
    assert.deepEqual(jsonBody(s.cap.requests[1]), {
      alias: 'Vigil',
      text: `[Nightly backup](${url}) is UP.`,
      attachments: [{ color: '#5cb85c', fields }],
    })
  })

  test('Microsoft Teams gets an Adaptive Card', async () => {
    const s = scene()
    await s.channel('msteamsw', `${s.cap.url}/workflows/run?sig=abc`)
    await s.goDown()
    await s.comeUp()
    const card = (status: 'down' | 'up') => ({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            fallbackText: `“Nightly backup” is ${status.toUpperCase()}.`,
            version: '1.2',
            body: [
              {
                type: 'TextBlock',
                text: `“Nightly backup” is ${status.toUpperCase()}.${status === 'down' ? ` ${REASON}` : ''}`,
                weight: 'bolder',
                size: 'medium',
                wrap: true,
                style: 'heading',
              },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Project:', value: 'Alices Project' },
                  { title: 'Tags:', value: 'prod db' },
                  { title: 'Period:', value: '1 hour' },
                  { title: 'Total Pings:', value: '7' },
                  { title: 'Last Ping:', value: 'Success, 2026-01-15 10:00:00 UTC' },
                ],
              },
              { type: 'TextBlock', text: 'Last Ping Body:', weight: 'bolder' },
              { type: 'CodeBlock', codeSnippet: 'backup done', language: 'PlainText' },
            ],
            actions: [
              {
                type: 'Action.OpenUrl',
                title: 'View in Vigil',
                url: `http://localhost:8000/checks/${s.check.code}/details/`,
              },
            ],
          },
        },
      ],
    })
    assert.equal(s.cap.requests[0].url, '/workflows/run?sig=abc')
    assert.deepEqual(jsonBody(s.cap.requests[0]), card('down'))
    assert.deepEqual(jsonBody(s.cap.requests[1]), card('up'))
  })

  test('Google Chat gets a cardsV2 card', async () => {
    const s = scene()
    await s.channel('googlechat', `${s.cap.url}/v1/spaces/AAA/messages?key=k&token=t`)
    await s.goDown()
    await s.comeUp()
    const card = (title: string) => ({
      cardsV2: [
        {
          card: {
            sections: {
              collapsible: true,
              uncollapsibleWidgetsCount: 1,
              widgets: [
                { textParagraph: { text: title } },
                { decoratedText: { topLabel: 'Project', text: 'Alices Project' } },
                { decoratedText: { topLabel: 'Tags', text: 'prod, db' } },
                { decoratedText: { topLabel: 'Period', text: '1 hour' } },
                { decoratedText: { topLabel: 'Total Pings', text: '7' } },
                {
                  decoratedText: {
                    topLabel: 'Last Ping',
                    text: 'Success, 2026-01-15 10:00:00 UTC',
                  },
                },
                {
                  buttonList: {
                    buttons: [
                      {
                        text: 'View in Vigil',
                        type: 'FILLED',
                        onClick: {
                          openLink: {
                            url: `http://localhost:8000/checks/${s.check.code}/details/`,
                          },
                        },
                      },
                    ],
                  },
                },
              ],
            },
          },
        },
      ],
    })
    assert.equal(s.cap.requests[0].url, '/v1/spaces/AAA/messages?key=k&token=t')
    assert.deepEqual(
      jsonBody(s.cap.requests[0]),
      card(`🔴 <b>Nightly backup</b> is <b>DOWN</b>. ${REASON}`),
    )
    assert.deepEqual(jsonBody(s.cap.requests[1]), card('🟢 <b>Nightly backup</b> is <b>UP</b>.'))
  })
})

describeEachDatabase('Slack-style kinds: guard and switches', (dialect) => {
  const scene = useChannelScene(dialect, () => ({
    SLACK_ENABLED: 'False',
    MSTEAMS_ENABLED: 'False',
  }))

  test('a user URL on a private address is refused for good', async () => {
    const s = scene()
    await s.channel('mattermost', `${s.cap.url}/hooks/x`)
    assert.deepEqual(await s.goDown(), ['failed'])
    const [n] = await s.notifications()
    assert.equal(n.error, PRIVATE_IP_ERROR)
    assert.equal(s.cap.requests.length, 0)
  })

  test('a kind switched off fails with a message that says so', async () => {
    const s = scene()
    await s.channel('slack', `${s.cap.url}/hooks/x`)
    await s.channel('msteamsw', `${s.cap.url}/hooks/y`)
    assert.deepEqual(await s.goDown(), ['failed', 'failed'])
    const errors = (await s.notifications()).map((n) => n.error).sort()
    assert.deepEqual(errors, [
      'MS Teams notifications are not enabled.',
      'Slack notifications are not enabled.',
    ])
    assert.equal(s.cap.requests.length, 0)
  })
})
