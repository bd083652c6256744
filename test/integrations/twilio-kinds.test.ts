import assert from 'node:assert/strict'
import { test } from 'node:test'
import { deliverDueNotifications, queueWarning } from '../../src/alerts/index.js'
import { processWarnings } from '../../src/alerts/process-warnings.js'
import { buildApp } from '../../src/app.js'
import type { Env } from '../../src/config/index.js'
import { buildChannel } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ChannelScene, useChannelScene, WORKER } from './channel-harness.js'

function form(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body))
}

/** The StatusCallback of the n-th notification (Healthchecks' Notification.status_url). */
async function statusUrl(s: { notifications(): Promise<Array<{ code: string }>> }, n = 0) {
  const code = (await s.notifications())[n].code
  return `http://localhost:8000/api/v3/notifications/${code}/status`
}

/** A WhatsApp channel that takes warnings, and a late warning about the scene's check delivered. */
async function whatsappWarning(s: ChannelScene) {
  const value = { value: '+15551234567', up: true, down: true }
  const ch = await buildChannel(s.ctx, s.project, 'whatsapp', value, [s.check], {
    notify_late: true,
  })
  const now = s.ctx.clock.now()
  const detail = 'last ping 2026-01-15T10:00:00+00:00; goes down at 2026-01-15T11:05:00+00:00'
  await queueWarning(s.ctx.db.kysely, { checkId: s.check.id, kind: 'late', detail }, now)
  await processWarnings(s.ctx, now)
  const outcomes = await deliverDueNotifications(s.ctx, { workerId: WORKER, limit: 100 })
  return { ch, outcomes }
}

/** Twilio with SMS, calls and WhatsApp switched on, its API at the capture server; `extra` wins. */
function twilioEnv(url: string, extra: Env = {}): Env {
  return {
    TWILIO_ACCOUNT: 'AC123',
    TWILIO_AUTH: 'tw-secret',
    TWILIO_FROM: '+15550000000',
    TWILIO_API_URL: `${url}/tw`,
    TWILIO_USE_WHATSAPP: 'True',
    TWILIO_MESSAGING_SERVICE_SID: 'MG123',
    WHATSAPP_DOWN_CONTENT_SID: 'HXdown',
    WHATSAPP_UP_CONTENT_SID: 'HXup',
    ...extra,
  }
}

const BASIC = `Basic ${Buffer.from('AC123:tw-secret').toString('base64')}`

describeEachDatabase('SMS, phone call and WhatsApp (Twilio)', (dialect) => {
  const scene = useChannelScene(dialect, (url) =>
    twilioEnv(url, { TWILIO_MESSAGING_SERVICE_SID: '' }),
  )

  async function owner(s: ReturnType<typeof scene>) {
    return s.ctx.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('id', '=', s.project.owner_id)
      .executeTakeFirstOrThrow()
  }

  test('SMS posts To, From and Body with Basic auth, and counts against sms_limit', async () => {
    const s = scene()
    await s.channel('sms', { value: '+15551234567', up: true, down: true })
    await s.goDown()
    await s.comeUp()
    const [down, up] = s.cap.requests
    assert.equal(down.url, '/tw/2010-04-01/Accounts/AC123/Messages.json')
    assert.equal(down.headers.authorization, BASIC)
    assert.deepEqual(form(down.body), {
      To: '+15551234567',
      Body: 'Vigil: The check "Nightly backup" is DOWN (success signal did not arrive on time, grace time passed).',
      From: '+15550000000',
      StatusCallback: await statusUrl(s),
    })
    assert.equal(form(up.body).StatusCallback, await statusUrl(s, 1))
    assert.equal(form(up.body).Body, 'Vigil: The check "Nightly backup" is now UP.')
    const u = await owner(s)
    assert.equal(u.sms_sent, 2)
    assert.equal(u.last_sms_date, s.ctx.clock.now())
  })

  test("Twilio's report to the StatusCallback URL marks an undelivered SMS as failed", async () => {
    const s = scene()
    const ch = await s.channel('sms', '+15551234567')
    assert.deepEqual(await s.goDown(), ['sent'])
    const callback = new URL(form(s.cap.requests[0].body).StatusCallback)
    const app = await buildApp(s.ctx)
    try {
      const r = await app.inject({
        method: 'POST',
        url: callback.pathname,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'MessageSid=SM1&MessageStatus=undelivered&ErrorCode=30003',
      })
      assert.equal(r.statusCode, 200)
    } finally {
      await app.close()
    }
    const [n] = await s.notifications()
    assert.equal(n.error, 'Delivery failed (status=undelivered).')
    assert.equal((await s.channelRow(ch.id)).last_error, 'Delivery failed (status=undelivered).')
  })

  test('SMS defaults to down only', async () => {
    const s = scene()
    await s.channel('sms', '+15551234567')
    assert.deepEqual(await s.goDown(), ['sent'])
    assert.deepEqual(await s.comeUp(), [])
  })

  test('SMS over the monthly limit is not sent, fails once and mails the owner', async () => {
    const s = scene()
    await s.ctx.db.kysely
      .updateTable('users')
      .set({ sms_limit: 1, sms_sent: 1, last_sms_date: s.ctx.clock.now() - 86_400_000 })
      .execute()
    const ch = await s.channel('sms', '+15551234567')
    assert.deepEqual(await s.goDown(), ['failed'])
    assert.equal(s.cap.requests.length, 0)
    assert.equal((await s.channelRow(ch.id)).last_error, 'Monthly SMS limit exceeded')
    const mail = await s.ctx.db.kysely.selectFrom('mail_outbox').selectAll().execute()
    assert.equal(mail.length, 1)
    assert.equal(mail[0].to_addr, 'alice@example.org')
    assert.equal(mail[0].subject, 'Monthly SMS limit reached')
  })

  test('the SMS counter starts again in a new month', async () => {
    const s = scene()
    await s.ctx.db.kysely
      .updateTable('users')
      .set({ sms_limit: 1, sms_sent: 1, last_sms_date: Date.parse('2025-12-31T23:00:00Z') })
      .execute()
    await s.channel('sms', '+15551234567')
    assert.deepEqual(await s.goDown(), ['sent'])
    assert.equal((await owner(s)).sms_sent, 1)
  })

  test('Twilio error 21211 (invalid number) is permanent and disables the channel', async () => {
    const s = scene()
    s.cap.script({ status: 400, body: '{"code":21211,"message":"Invalid To Phone Number"}' })
    const ch = await s.channel('sms', '+15551234567')
    assert.deepEqual(await s.goDown(), ['failed'])
    const row = await s.channelRow(ch.id)
    assert.equal(row.disabled, 1)
    assert.equal(row.last_error, 'Invalid phone number')
  })

  test('a phone call posts TwiML to Calls.json, down only, counting calls', async () => {
    const s = scene()
    await s.channel('call', { value: '+15551234567' })
    assert.deepEqual(await s.goDown(), ['sent'])
    assert.deepEqual(await s.comeUp(), [])
    const [req] = s.cap.requests
    assert.equal(req.url, '/tw/2010-04-01/Accounts/AC123/Calls.json')
    assert.deepEqual(form(req.body), {
      From: '+15550000000',
      To: '+15551234567',
      Twiml:
        '<Response><Say>Hello! A message from Vigil: The monitoring check &quot;Nightly backup&quot; is down.</Say></Response>',
      StatusCallback: await statusUrl(s),
    })
    assert.equal((await owner(s)).calls_sent, 1)
  })

  test('a phone call over call_limit fails with "Monthly phone call limit exceeded"', async () => {
    const s = scene()
    await s.ctx.db.kysely.updateTable('users').set({ call_limit: 0 }).execute()
    const ch = await s.channel('call', { value: '+15551234567' })
    assert.deepEqual(await s.goDown(), ['failed'])
    assert.equal((await s.channelRow(ch.id)).last_error, 'Monthly phone call limit exceeded')
  })
})

describeEachDatabase('WhatsApp (Twilio)', (dialect) => {
  const scene = useChannelScene(dialect, (url) => twilioEnv(url))

  test('WhatsApp sends From and To with whatsapp: prefixes and the content template with the check name as variable 1', async () => {
    const s = scene()
    await s.channel('whatsapp', { value: '+15551234567', up: true, down: true })
    await s.goDown()
    await s.comeUp()
    const [down, up] = s.cap.requests
    assert.equal(down.url, '/tw/2010-04-01/Accounts/AC123/Messages.json')
    assert.equal(down.headers.authorization, BASIC)
    assert.deepEqual(form(down.body), {
      To: 'whatsapp:+15551234567',
      From: 'whatsapp:+15550000000',
      MessagingServiceSid: 'MG123',
      ContentSid: 'HXdown',
      ContentVariables: '{"1":"Nightly backup"}',
      StatusCallback: await statusUrl(s),
    })
    assert.equal(form(up.body).ContentSid, 'HXup')
  })

  test('a warning is not sent with the down template: without WHATSAPP_WARNING_CONTENT_SID it fails, nothing posted', async () => {
    const s = scene()
    const { ch, outcomes } = await whatsappWarning(s)
    assert.deepEqual(outcomes, ['failed'])
    assert.equal(
      (await s.channelRow(ch.id)).last_error,
      'No WhatsApp template for warnings: WHATSAPP_WARNING_CONTENT_SID is not set.',
    )
    assert.equal(s.cap.requests.length, 0)
  })

  test('SMS with a messaging service sends MessagingServiceSid instead of From', async () => {
    const s = scene()
    await s.channel('sms', '+15551234567')
    await s.goDown()
    const f = form(s.cap.requests[0].body)
    assert.equal(f.MessagingServiceSid, 'MG123')
    assert.equal(f.From, undefined)
  })
})

describeEachDatabase('WhatsApp (Twilio) without TWILIO_FROM', (dialect) => {
  const scene = useChannelScene(dialect, (url) => twilioEnv(url, { TWILIO_FROM: undefined }))

  test('WhatsApp needs TWILIO_FROM as Healthchecks does: not enabled, nothing posted', async () => {
    const s = scene()
    const ch = await s.channel('whatsapp', { value: '+15551234567', up: true, down: true })
    assert.deepEqual(await s.goDown(), ['failed'])
    assert.equal((await s.channelRow(ch.id)).last_error, 'WhatsApp notifications are not enabled.')
    assert.equal(s.cap.requests.length, 0)
  })
})

describeEachDatabase('WhatsApp (Twilio) with a warning template', (dialect) => {
  const scene = useChannelScene(dialect, (url) =>
    twilioEnv(url, { WHATSAPP_WARNING_CONTENT_SID: 'HXwarn' }),
  )

  test('a warning is sent with the warning template, the check name as 1 and the word as 2', async () => {
    const s = scene()
    const { outcomes } = await whatsappWarning(s)
    assert.deepEqual(outcomes, ['sent'])
    const f = form(s.cap.requests[0].body)
    assert.equal(f.ContentSid, 'HXwarn')
    assert.equal(f.ContentVariables, '{"1":"Nightly backup","2":"LATE"}')
  })

  test('down and up keep their own templates', async () => {
    const s = scene()
    await s.channel('whatsapp', { value: '+15551234567', up: true, down: true })
    await s.goDown()
    await s.comeUp()
    assert.deepEqual(
      s.cap.requests.map((r) => form(r.body).ContentSid),
      ['HXdown', 'HXup'],
    )
  })
})
