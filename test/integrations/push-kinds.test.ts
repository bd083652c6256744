import assert from 'node:assert/strict'
import { test } from 'node:test'
import { deliverDueNotifications } from '../../src/alerts/index.js'
import { NTFY_RATE, ntfyBucket, parseNtfyValue } from '../../src/integrations/ntfy.js'
import { authorizeBucket } from '../../src/ratelimit/index.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { jsonBody, useChannelScene, WORKER } from './channel-harness.js'

function markdown(status: 'down' | 'up', code: string, extra: string[] = []) {
  return [
    status === 'down'
      ? 'The check "Nightly backup" is DOWN. Reason: success signal did not arrive on time, grace time passed.'
      : 'The check "Nightly backup" is UP.',
    '',
    '**Project:** Alices Project',
    '**Tags:** prod, db',
    '**Period:** 1 hour',
    '**Total Pings:** 7',
    '**Last Ping:** Success, 2026-01-15 10:00:00 UTC',
    '',
    `[View details](http://localhost:8000/checks/${code}/details/)`,
    ...extra,
  ].join('\n')
}

describeEachDatabase('ntfy and Gotify', (dialect) => {
  const scene = useChannelScene(dialect, () => ({ INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True' }))

  test('ntfy publishes JSON with priority, Markdown, tags and a view action', async () => {
    const s = scene()
    await s.channel('ntfy', {
      topic: 'backups',
      url: `${s.cap.url}`,
      priority: 5,
      priority_up: 2,
      token: 'tk_secret',
    })
    await s.goDown()
    await s.comeUp()
    const publish = (status: 'down' | 'up', priority: number) => ({
      topic: 'backups',
      priority,
      title: `Nightly backup is ${status.toUpperCase()}`,
      message: markdown(status, s.check.code),
      markdown: true,
      tags: [status === 'down' ? 'red_circle' : 'green_circle'],
      actions: [
        {
          action: 'view',
          label: 'View on Vigil',
          url: `http://localhost:8000/checks/${s.check.code}/details/`,
        },
      ],
    })
    const [down, up] = s.cap.requests
    assert.equal(down.method, 'POST')
    assert.equal(down.url, '/')
    assert.equal(down.headers.authorization, 'Bearer tk_secret')
    assert.equal(down.headers['content-type'], 'application/json')
    assert.deepEqual(jsonBody(down), publish('down', 5))
    assert.deepEqual(jsonBody(up), publish('up', 2))
  })

  test('ntfy lists the other down checks of the project', async () => {
    const s = scene()
    await buildCheck(s.ctx, s.project, { name: 'Mail relay', status: 'down' })
    await buildCheck(s.ctx, s.project, { name: 'Web', status: 'up' })
    await s.channel('ntfy', { topic: 'backups', url: s.cap.url })
    await s.goDown()
    const body = jsonBody(s.cap.requests[0]) as { message: string; priority: number }
    assert.equal(body.priority, 3)
    assert.equal(
      body.message,
      markdown('down', s.check.code, ['', 'The following check is also down:', '• Mail relay']),
    )
    assert.equal(s.cap.requests[0].headers.authorization, undefined)
  })

  test('ntfy priority 0 for up queues nothing for the up flip', async () => {
    const s = scene()
    await s.channel('ntfy', { topic: 'backups', url: s.cap.url, priority: 4, priority_up: 0 })
    assert.deepEqual(await s.goDown(), ['sent'])
    assert.deepEqual(await s.comeUp(), [])
    assert.equal((await s.notifications()).length, 1)
  })

  test('ntfy over its rate limit is retried later, not dropped', async () => {
    const s = scene()
    const ch = await s.channel('ntfy', { topic: 'busy', url: s.cap.url })
    const key = ntfyBucket(parseNtfyValue(ch.value), s.ctx.config.secretKey)
    for (let i = 0; i < 6; i++) {
      assert.equal(await authorizeBucket(s.ctx.db, key, NTFY_RATE, s.ctx.clock.now()), true)
    }
    assert.deepEqual(await s.goDown(), ['retrying'])
    const [n] = await s.notifications()
    assert.equal(n.error, 'Rate limit exceeded')
    assert.equal(s.cap.requests.length, 0)
    // 10 s refill one sixth of the bucket: exactly the retried message.
    s.ctx.clock.advance(10_000)
    assert.deepEqual(await deliverDueNotifications(s.ctx, { workerId: WORKER }), ['sent'])
    assert.equal(s.cap.requests.length, 1)
  })

  test('Gotify posts to <server>/message with the app token', async () => {
    const s = scene()
    await s.channel('gotify', {
      url: `${s.cap.url}/gotify/`,
      token: 'AppToken.123',
      priority: 9,
      priority_up: 2,
    })
    await s.goDown()
    await s.comeUp()
    const message = (status: 'down' | 'up', priority: number) => ({
      title: `Nightly backup is ${status.toUpperCase()}`,
      message: markdown(status, s.check.code),
      extras: { 'client::display': { contentType: 'text/markdown' } },
      priority,
    })
    assert.equal(s.cap.requests[0].url, '/gotify/message?token=AppToken.123')
    assert.deepEqual(jsonBody(s.cap.requests[0]), message('down', 9))
    assert.deepEqual(jsonBody(s.cap.requests[1]), message('up', 2))
  })
})
