import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, test } from 'node:test'
import { bounceKind, readBounceReport } from '../../src/api/bounce-report.js'
import type { Channel, Check, Notification } from '../../src/db/index.js'
import { signBounceId, unsignBounceId } from '../../src/mail/index.js'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, createApiHarness } from './api-harness.js'

const SECRET = 'test-secret-key-0123456789'
const HOUR = 3_600_000

/** A bounce mail as MTAs send it: multipart/report with a message/delivery-status part. */
function dsn(to: string, status: string | null, diagnostic: string | null): string {
  const recipient = [
    'Final-Recipient: rfc822; alice@example.org',
    'Action: failed',
    ...(status === null ? [] : [`Status: ${status}`]),
    ...(diagnostic === null ? [] : [`Diagnostic-Code: smtp; ${diagnostic}`]),
  ]
  return [
    'From: MAILER-DAEMON@mx.example.net',
    `To: ${to}`,
    'Subject: Undelivered Mail Returned to Sender',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    '',
    '--B',
    'Content-Type: text/plain',
    '',
    'I am sorry to have to inform you that your message could not be delivered.',
    '',
    '--B',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    '',
    ...recipient,
    '--B--',
    '',
  ].join('\r\n')
}

describe('bounce ids and bounce mail', () => {
  test('a bounce id is signed as Healthchecks signs it (fixed vector)', () => {
    // Computed with Python's hmac as Django's salted_hmac + ShortHexTimestampSigner do.
    assert.equal(signBounceId('n.123', 'abc', 1_600_000_000_000), 'n.123.5f5e1000.cc3e6e4727e74b42')
    assert.equal(
      unsignBounceId('n.123.5f5e1000.cc3e6e4727e74b42', 'abc', 1_600_000_000_000, HOUR),
      'n.123',
    )
  })

  test('a tampered, re-keyed, expired or malformed bounce id does not verify', () => {
    const now = 1_600_000_000_000
    const id = signBounceId('n.123', 'abc', now)
    assert.equal(unsignBounceId(id.replace('n.123', 'n.124'), 'abc', now, HOUR), null)
    assert.equal(unsignBounceId(id, 'other-key', now, HOUR), null)
    assert.equal(unsignBounceId(id, 'abc', now + HOUR, HOUR), 'n.123')
    assert.equal(unsignBounceId(id, 'abc', now + HOUR + 1000, HOUR), null)
    assert.equal(unsignBounceId('', 'abc', now, HOUR), null)
    assert.equal(unsignBounceId('nodots', 'abc', now, HOUR), null)
  })

  test('the DSN block with Status and Action is found, smtp; prefix dropped', () => {
    assert.deepEqual(
      readBounceReport(dsn('n.x.1.2@bounces.example.org', '5.1.1', '550 no such user')),
      {
        toLocal: 'n.x.1.2',
        status: '5.1.1',
        diagnostic: '550 no such user',
      },
    )
    for (const to of ['<n.x.1.2@bounces.example.org>', '"Vigil" <n.x.1.2@bounces.example.org>'])
      assert.equal(readBounceReport(dsn(to, '5.1.1', 'x')).toLocal, 'n.x.1.2', to)
    assert.deepEqual(readBounceReport('To: a@b\n\nhello'), {
      toLocal: 'a',
      status: '',
      diagnostic: '',
    })
  })

  test('5.x.x is permanent, 4.x.x and 5.4.4 transient, anything else neither', () => {
    assert.equal(bounceKind('5.1.1'), 'permanent')
    assert.equal(bounceKind('4.2.2'), 'transient')
    assert.equal(bounceKind('5.4.4'), 'transient')
    assert.equal(bounceKind('2.0.0'), 'other')
    assert.equal(bounceKind(''), 'other')
  })
})

describeEachDatabase('API: delivery reports', (dialect) => {
  let h: ApiHarness
  let check: Check
  let channel: Channel
  beforeEach(async () => {
    h = await createApiHarness(dialect)
    check = await buildCheck(h.ctx, h.alice.project, { status: 'down' })
    channel = await buildChannel(h.ctx, h.alice.project, 'sms', { value: '+15551234567' }, [check])
  })
  afterEach(() => h.close())

  async function notification(ageMs = 60_000): Promise<Notification> {
    const created = h.ctx.clock.now() - ageMs
    return h.ctx.db.kysely
      .insertInto('notifications')
      .values({
        code: crypto.randomUUID(),
        check_id: check.id,
        channel_id: channel.id,
        flip_id: null,
        check_status: 'down',
        created,
        status: 'sent',
        error: '',
        next_attempt_at: created,
        claimed_by: null,
        claimed_at: null,
        sent_at: created,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
  }

  const readNotification = (id: number) =>
    h.ctx.db.kysely
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  const readChannel = () =>
    h.ctx.db.kysely
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', channel.id)
      .executeTakeFirstOrThrow()

  const report = (
    code: string,
    form: Record<string, string>,
    version = 3,
    method: 'POST' | 'GET' = 'POST',
  ) =>
    h.app.inject({
      method,
      url: `/api/v${version}/notifications/${code}/status`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: method === 'POST' ? new URLSearchParams(form).toString() : undefined,
    })

  test('Twilio MessageStatus=failed sets the notification error and the channel last_error', async () => {
    const n = await notification()
    const r = await report(n.code, { MessageSid: 'SM1', MessageStatus: 'failed' })
    assert.equal(r.statusCode, 200)
    assert.equal(r.body, '')
    const saved = await readNotification(n.id)
    assert.equal(saved.error, 'Delivery failed (status=failed).')
    assert.equal(saved.status, 'failed')
    assert.equal((await readChannel()).last_error, 'Delivery failed (status=failed).')
    assert.equal((await readChannel()).disabled, 0)
  })

  test('MessageStatus=undelivered and CallStatus=failed are failures too, under v1 and v2', async () => {
    const a = await notification()
    assert.equal((await report(a.code, { MessageStatus: 'undelivered' }, 1)).statusCode, 200)
    assert.equal((await readNotification(a.id)).error, 'Delivery failed (status=undelivered).')
    const b = await notification()
    assert.equal((await report(b.code, { CallStatus: 'failed' }, 2)).statusCode, 200)
    assert.equal((await readNotification(b.id)).error, 'Delivery failed (status=failed).')
  })

  test('delivered, sent and busy reports change nothing', async () => {
    const n = await notification()
    const reports: Record<string, string>[] = [
      { MessageStatus: 'delivered' },
      { MessageStatus: 'sent' },
      { CallStatus: 'busy' },
      {},
    ]
    for (const form of reports) {
      assert.equal((await report(n.code, form)).statusCode, 200)
    }
    const saved = await readNotification(n.id)
    assert.equal(saved.error, '')
    assert.equal(saved.status, 'sent')
    assert.equal((await readChannel()).last_error, '')
  })

  test('a generic error is cut to 200 characters and mark_disabled disables the channel', async () => {
    const n = await notification()
    await report(n.code, { error: 'x'.repeat(300), mark_disabled: '1' })
    assert.equal((await readNotification(n.id)).error, 'x'.repeat(200))
    const ch = await readChannel()
    assert.equal(ch.last_error, 'x'.repeat(200))
    assert.equal(ch.disabled, 1)
  })

  test('a notification older than an hour, or unknown, answers 200 and changes nothing', async () => {
    const old = await notification(HOUR + 1000)
    assert.equal((await report(old.code, { MessageStatus: 'failed' })).statusCode, 200)
    assert.equal((await readNotification(old.id)).error, '')
    assert.equal((await report(crypto.randomUUID(), { MessageStatus: 'failed' })).statusCode, 200)
    assert.equal((await readChannel()).last_error, '')
  })

  test('a malformed uuid is 404, another method 405, and no API key is asked for', async () => {
    const n = await notification()
    assert.equal((await report('not-a-uuid', { MessageStatus: 'failed' })).statusCode, 404)
    assert.equal((await report(n.code, {}, 3, 'GET')).statusCode, 405)
    assert.equal((await readNotification(n.id)).error, '')
  })

  const bounce = (body: string, version = 3) =>
    h.app.inject({ method: 'POST', url: `/api/v${version}/bounces/`, payload: body })
  const bounceTo = (value: string, ageMs = 0) =>
    `${signBounceId(value, SECRET, h.ctx.clock.now() - ageMs)}@bounces.example.org`

  test('a permanent bounce of an alert email records the diagnostic and disables the channel', async () => {
    const n = await notification()
    const r = await bounce(
      dsn(bounceTo(`n.${n.code}`), '5.1.1', '550 5.1.1 <alice@example.org>: user unknown'),
    )
    assert.equal(r.statusCode, 200)
    assert.equal(r.body, 'OK')
    const error = 'Delivery failed (550 5.1.1 <alice@example.org>: user unknown)'
    assert.equal((await readNotification(n.id)).error, error)
    assert.equal((await readNotification(n.id)).status, 'failed')
    const ch = await readChannel()
    assert.equal(ch.last_error, error)
    assert.equal(ch.disabled, 1)
  })

  test('a transient bounce (4.x.x or 5.4.4) records the error but keeps the channel on', async () => {
    for (const status of ['4.2.2', '5.4.4']) {
      const n = await notification()
      assert.equal((await bounce(dsn(bounceTo(`n.${n.code}`), status, null), 1)).body, 'OK')
      assert.equal(
        (await readNotification(n.id)).error,
        `Delivery failed (SMTP status code: ${status})`,
      )
    }
    assert.equal((await readChannel()).disabled, 0)
  })

  test('a bad, expired or missing signature is "OK (bad signature)" and changes nothing', async () => {
    const n = await notification()
    const forged = `n.${n.code}.${(h.ctx.clock.now() / 1000).toString(16)}.0000000000000000@x`
    assert.equal((await bounce(dsn(forged, '5.1.1', 'x'))).body, 'OK (bad signature)')
    assert.equal(
      (await bounce(dsn(bounceTo(`n.${n.code}`, 49 * HOUR), '5.1.1', 'x'))).body,
      'OK (bad signature)',
    )
    assert.equal((await bounce('')).body, 'OK (bad signature)')
    assert.equal((await readNotification(n.id)).error, '')
  })

  test('a mail without a DSN status is ignored, an old notification not found', async () => {
    const n = await notification()
    assert.equal((await bounce(dsn(bounceTo(`n.${n.code}`), null, 'x'))).body, 'OK (ignored)')
    assert.equal((await bounce(dsn(bounceTo(`n.${n.code}`), '2.0.0', 'x'))).body, 'OK (ignored)')
    const old = await notification(49 * HOUR)
    assert.equal(
      (await bounce(dsn(bounceTo(`n.${old.code}`), '5.1.1', 'x'))).body,
      'OK (notification not found)',
    )
    assert.equal((await readChannel()).last_error, '')
  })

  test("a permanent bounce of a report turns the user's reports and reminders off", async () => {
    const alice = h.alice.owner.id
    const setAlice = () =>
      h.ctx.db.kysely
        .updateTable('users')
        .set({ reports: 'monthly', next_report_date: 1, nag_period: 3600, next_nag_date: 2 })
        .where('id', '=', alice)
        .execute()
    const readAlice = () =>
      h.ctx.db.kysely
        .selectFrom('users')
        .select(['reports', 'next_report_date', 'nag_period', 'next_nag_date'])
        .where('id', '=', alice)
        .executeTakeFirstOrThrow()
    await setAlice()
    assert.equal((await bounce(dsn(bounceTo(`r.${alice}`), '4.2.2', 'mailbox full'))).body, 'OK')
    assert.equal((await readAlice()).reports, 'monthly')
    assert.equal((await bounce(dsn(bounceTo(`r.${alice}`), '5.1.1', 'gone'))).body, 'OK')
    assert.deepEqual(await readAlice(), {
      reports: 'off',
      next_report_date: null,
      nag_period: 0,
      next_nag_date: null,
    })
    assert.equal(
      (await bounce(dsn(bounceTo('r.999999'), '5.1.1', 'gone'))).body,
      'OK (user not found)',
    )
  })
})
