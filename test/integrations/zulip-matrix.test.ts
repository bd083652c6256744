import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeEachDatabase } from '../helpers/databases.js'
import { jsonBody, useChannelScene } from './channel-harness.js'

function form(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body))
}

describeEachDatabase('Zulip and Matrix', (dialect) => {
  const scene = useChannelScene(dialect, (url) => ({
    INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True',
    MATRIX_HOMESERVER: `${url}/mx`,
    MATRIX_USER_ID: '@vigil:example.org',
    MATRIX_ACCESS_TOKEN: 'mx-secret',
  }))

  test('Zulip posts a form with Basic auth to <site>/api/v1/messages', async () => {
    const s = scene()
    await s.channel('zulip', {
      bot_email: 'bot@zulip.example.org',
      api_key: 'zk123',
      site: `${s.cap.url}/zulip`,
      mtype: 'stream',
      to: 'ops',
      topic: '',
    })
    await s.goDown()
    const [req] = s.cap.requests
    assert.equal(req.method, 'POST')
    assert.equal(req.url, '/zulip/api/v1/messages')
    assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded')
    assert.equal(
      req.headers.authorization,
      `Basic ${Buffer.from('bot@zulip.example.org:zk123').toString('base64')}`,
    )
    assert.deepEqual(form(req.body), {
      type: 'stream',
      to: 'ops',
      topic: 'Nightly backup',
      content: [
        `:red_circle: [Nightly backup](http://localhost:8000/checks/${s.check.code}/details/) is **DOWN**. Reason: success signal did not arrive on time, grace time passed.`,
        '',
        '**Project:** Alices Project',
        '**Tags:** prod, db',
        '**Period:** 1 hour',
        '**Total Pings:** 7',
        '**Last Ping:** Success, 2026-01-15 10:00:00 UTC',
      ].join('\n'),
    })
  })

  test('Zulip uses the channel topic when set and quotes Zulip errors', async () => {
    const s = scene()
    s.cap.script({ status: 400, body: '{"result":"error","msg":"Stream \'ops\' does not exist"}' })
    const ch = await s.channel('zulip', {
      bot_email: 'bot@zulip.example.org',
      api_key: 'zk123',
      site: s.cap.url,
      mtype: 'private',
      to: 'alice@example.org',
      topic: 'Backups',
    })
    assert.deepEqual(await s.goDown(), ['failed'])
    assert.equal(form(s.cap.requests[0].body).topic, 'Backups')
    assert.equal(form(s.cap.requests[0].body).type, 'private')
    assert.equal(
      (await s.channelRow(ch.id)).last_error,
      'Received status code 400 with a message: "Stream \'ops\' does not exist"',
    )
  })

  test('Matrix PUTs m.room.message with the notification code as transaction id', async () => {
    const s = scene()
    await s.channel('matrix', '!room:example.org')
    await s.goDown()
    const [n] = await s.notifications()
    const [req] = s.cap.requests
    assert.equal(req.method, 'PUT')
    assert.equal(
      req.url,
      `/mx/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/${n.code}`,
    )
    assert.equal(req.headers.authorization, 'Bearer mx-secret')
    const body = jsonBody(req) as Record<string, string>
    assert.equal(body.msgtype, 'm.text')
    assert.equal(body.format, 'org.matrix.custom.html')
    assert.ok(body.body.startsWith('The check "Nightly backup" is DOWN.'))
    assert.ok(body.body.includes('\nLast Ping Body:\nbackup done\n'))
    assert.ok(
      body.formatted_body.startsWith(
        '🔴 The check <b>Nightly backup</b> is <b>DOWN</b>. Reason: success signal did not arrive on time, grace time passed.<br><br><b>Project:</b> Alices Project<br>',
      ),
    )
  })

  test('Matrix retries a 5xx with the same transaction id', async () => {
    const s = scene()
    s.cap.script(502, 200)
    await s.channel('matrix', '!room:example.org')
    assert.deepEqual(await s.goDown(), ['retrying'])
    s.ctx.clock.advance(10_000)
    const { deliverDueNotifications } = await import('../../src/alerts/index.js')
    assert.deepEqual(await deliverDueNotifications(s.ctx, { workerId: 'w' }), ['sent'])
    assert.equal(s.cap.requests[0].url, s.cap.requests[1].url)
  })
})

describeEachDatabase('Matrix without settings', (dialect) => {
  const scene = useChannelScene(dialect, () => ({ ZULIP_ENABLED: 'False' }))

  test('Matrix without a homeserver and Zulip switched off fail saying so', async () => {
    const s = scene()
    const mx = await s.channel('matrix', '!room:example.org')
    const z = await s.channel('zulip', { bot_email: 'b@x.org', api_key: 'k', to: 'ops' })
    assert.deepEqual(await s.goDown(), ['failed', 'failed'])
    assert.equal((await s.channelRow(mx.id)).last_error, 'Matrix notifications are not enabled.')
    assert.equal((await s.channelRow(z.id)).last_error, 'Zulip notifications are not enabled.')
  })
})
