import assert from 'node:assert/strict'
import { test } from 'node:test'
import { deliverDueNotifications } from '../../src/alerts/index.js'
import { uniqueKey } from '../../src/checks/json.js'
import { PUSHOVER_RATE, pushoverBucket } from '../../src/integrations/pushover.js'
import { authorizeBucket } from '../../src/ratelimit/index.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { jsonBody, useChannelScene, WORKER } from './channel-harness.js'

const FACTS_HTML = [
  '<b>Project:</b> Alices Project',
  '<b>Tags:</b> prod, db',
  '<b>Period:</b> 1 hour',
  '<b>Total Pings:</b> 7',
  '<b>Last Ping:</b> Success, 2026-01-15 10:00:00 UTC',
]
const DOWN_HTML =
  '🔴 The check <b>Nightly backup</b> is <b>DOWN</b>. Reason: success signal did not arrive on time, grace time passed.'
const UP_HTML = '🟢 The check <b>Nightly backup</b> is now <b>UP</b>.'

function form(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body))
}

describeEachDatabase('Pushover, Telegram and Pushbullet', (dialect) => {
  const scene = useChannelScene(dialect, (url) => ({
    PUSHOVER_API_TOKEN: 'po-app-token',
    PUSHOVER_API_URL: `${url}/po`,
    PUSHOVER_EMERGENCY_RETRY_DELAY: '60',
    PUSHOVER_EMERGENCY_EXPIRATION: '3600',
    TELEGRAM_TOKEN: '123:tg-secret',
    TELEGRAM_API_URL: `${url}/tg`,
    PUSHBULLET_API_URL: `${url}/pb`,
  }))

  test('Pushover posts an HTML form with priority, tags and link', async () => {
    const s = scene()
    await s.channel('po', 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG|1|-1')
    await s.goDown()
    await s.comeUp()
    const [down, up] = s.cap.requests
    assert.equal(down.method, 'POST')
    assert.equal(down.url, '/po/1/messages.json')
    assert.equal(down.headers['content-type'], 'application/x-www-form-urlencoded')
    const link = {
      url: `http://localhost:8000/checks/${s.check.code}/details/`,
      url_title: 'View on Vigil',
    }
    assert.deepEqual(form(down.body), {
      token: 'po-app-token',
      user: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG',
      message: [DOWN_HTML, '', ...FACTS_HTML].join('\n'),
      title: 'Nightly backup is DOWN',
      html: '1',
      priority: '1',
      tags: uniqueKey(s.check.code),
      ...link,
    })
    assert.deepEqual(form(up.body), {
      token: 'po-app-token',
      user: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG',
      message: [UP_HTML, '', ...FACTS_HTML].join('\n'),
      title: 'Nightly backup is UP',
      html: '1',
      priority: '-1',
      tags: uniqueKey(s.check.code),
      ...link,
    })
  })

  test('Pushover emergency adds retry and expire, and the up first cancels by tag', async () => {
    const s = scene()
    await s.channel('po', 'ukey123|2|0')
    await s.goDown()
    await s.comeUp()
    assert.deepEqual(
      s.cap.requests.map((r) => r.url),
      [
        '/po/1/messages.json',
        `/po/1/receipts/cancel_by_tag/${uniqueKey(s.check.code)}.json`,
        '/po/1/messages.json',
      ],
    )
    const down = form(s.cap.requests[0].body)
    assert.equal(down.priority, '2')
    assert.equal(down.retry, '60')
    assert.equal(down.expire, '3600')
    assert.deepEqual(form(s.cap.requests[1].body), { token: 'po-app-token' })
    const up = form(s.cap.requests[2].body)
    assert.equal(up.priority, '0')
    assert.equal(up.retry, undefined)
  })

  test('Pushover priority -3 for up sends nothing on up', async () => {
    const s = scene()
    await s.channel('po', 'ukey123|0|-3')
    assert.deepEqual(await s.goDown(), ['sent'])
    assert.deepEqual(await s.comeUp(), [])
  })

  test('Pushover "user: invalid" is permanent and disables the channel', async () => {
    const s = scene()
    s.cap.script({
      status: 400,
      body: '{"user":"invalid","errors":["user identifier is invalid"]}',
    })
    const ch = await s.channel('po', 'badkey|0')
    assert.deepEqual(await s.goDown(), ['failed'])
    const row = await s.channelRow(ch.id)
    assert.equal(row.disabled, 1)
    assert.equal(row.last_error, 'Invalid Pushover user key')
  })

  test('Pushover allows 6 messages a minute per user key, then retries later', async () => {
    const s = scene()
    const key = pushoverBucket('ukey123', s.ctx.config.secretKey)
    for (let i = 0; i < 6; i++)
      assert.equal(await authorizeBucket(s.ctx.db, key, PUSHOVER_RATE, s.ctx.clock.now()), true)
    await s.channel('po', 'ukey123|0')
    assert.deepEqual(await s.goDown(), ['retrying'])
    assert.equal(s.cap.requests.length, 0)
    s.ctx.clock.advance(10_000)
    assert.deepEqual(await deliverDueNotifications(s.ctx, { workerId: WORKER }), ['sent'])
  })

  test('Telegram sends sendMessage JSON with parse_mode html to the bot URL', async () => {
    const s = scene()
    await s.channel('telegram', { id: -1001, type: 'group', name: 'Ops', thread_id: 7 })
    await s.goDown()
    const [req] = s.cap.requests
    assert.equal(req.method, 'POST')
    assert.equal(req.url, '/tg/bot123:tg-secret/sendMessage')
    assert.equal(req.headers['content-type'], 'application/json')
    assert.deepEqual(jsonBody(req), {
      chat_id: -1001,
      message_thread_id: 7,
      parse_mode: 'html',
      text: [
        DOWN_HTML,
        '',
        ...FACTS_HTML,
        '',
        '<b>Last Ping Body:</b>',
        '<pre>backup done</pre>',
        '',
        `<a href="http://localhost:8000/checks/${s.check.code}/details/">View on Vigil</a>`,
      ].join('\n'),
    })
  })

  test('Telegram follows migrate_to_chat_id once and saves the new chat id', async () => {
    const s = scene()
    s.cap.script(
      {
        status: 400,
        body: '{"ok":false,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1009}}',
      },
      200,
    )
    const ch = await s.channel('telegram', { id: -1001, type: 'group', name: 'Ops' })
    assert.deepEqual(await s.goDown(), ['sent'])
    assert.equal(s.cap.requests.length, 2)
    assert.equal((jsonBody(s.cap.requests[1]) as { chat_id: number }).chat_id, -1009)
    assert.equal(JSON.parse((await s.channelRow(ch.id)).value).id, -1009)
  })

  test('Telegram stops after one migration even if asked again', async () => {
    const s = scene()
    s.cap.script({
      status: 400,
      body: '{"ok":false,"description":"x","parameters":{"migrate_to_chat_id":-1009}}',
    })
    await s.channel('telegram', { id: -1001 })
    assert.deepEqual(await s.goDown(), ['retrying'])
    assert.equal(s.cap.requests.length, 2)
  })

  test('Telegram "chat not found" is permanent and disables the channel', async () => {
    const s = scene()
    s.cap.script({ status: 400, body: '{"ok":false,"description":"Bad Request: chat not found"}' })
    const ch = await s.channel('telegram', { id: 42 })
    assert.deepEqual(await s.goDown(), ['failed'])
    const row = await s.channelRow(ch.id)
    assert.equal(row.disabled, 1)
    assert.equal(row.last_error, 'Bad Request: chat not found')
  })

  test('Telegram quotes other descriptions and retries them', async () => {
    const s = scene()
    s.cap.script({
      status: 429,
      body: '{"ok":false,"description":"Too Many Requests: retry after 5"}',
    })
    const ch = await s.channel('telegram', { id: 42 })
    assert.deepEqual(await s.goDown(), ['retrying'])
    assert.equal((await s.channelRow(ch.id)).last_error, 'Too Many Requests: retry after 5')
  })

  test('Telegram allows 6 messages a minute per chat', async () => {
    const s = scene()
    for (let i = 0; i < 6; i++)
      await authorizeBucket(s.ctx.db, 'tg-42', { capacity: 6, refillMs: 60_000 }, s.ctx.clock.now())
    await s.channel('telegram', { id: 42 })
    assert.deepEqual(await s.goDown(), ['retrying'])
    assert.equal(s.cap.requests.length, 0)
  })

  test('Pushbullet posts a note with the Access-Token header', async () => {
    const s = scene()
    await s.channel('pushbullet', 'o.pbtoken')
    await s.goDown()
    const [req] = s.cap.requests
    assert.equal(req.url, '/pb/v2/pushes')
    assert.equal(req.headers['access-token'], 'o.pbtoken')
    const body = jsonBody(req) as Record<string, string>
    assert.equal(body.type, 'note')
    assert.equal(body.title, 'Nightly backup is DOWN')
    assert.equal(
      body.body,
      [
        'The check "Nightly backup" is DOWN. Reason: success signal did not arrive on time, grace time passed.',
        '',
        'Project: Alices Project',
        'Tags: prod, db',
        'Period: 1 hour',
        'Total Pings: 7',
        'Last Ping: Success, 2026-01-15 10:00:00 UTC',
        '',
        `Details: http://localhost:8000/checks/${s.check.code}/details/`,
      ].join('\n'),
    )
  })

  test('Pushbullet 401 (token revoked) disables the channel', async () => {
    const s = scene()
    s.cap.script(401)
    const ch = await s.channel('pushbullet', 'o.revoked')
    assert.deepEqual(await s.goDown(), ['failed'])
    assert.equal((await s.channelRow(ch.id)).disabled, 1)
  })
})

describeEachDatabase('Pushover and Telegram switched off', (dialect) => {
  const scene = useChannelScene(dialect)

  test('without PUSHOVER_API_TOKEN or TELEGRAM_TOKEN the notification fails saying so', async () => {
    const s = scene()
    const po = await s.channel('po', 'ukey|0')
    const tg = await s.channel('telegram', { id: 1 })
    assert.deepEqual(await s.goDown(), ['failed', 'failed'])
    assert.equal((await s.channelRow(po.id)).last_error, 'Pushover notifications are not enabled.')
    assert.equal((await s.channelRow(tg.id)).last_error, 'Telegram notifications are not enabled.')
  })
})
