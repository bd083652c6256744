/**
 * Ping by email (issue 13 §2, Healthchecks' smtpd): real SMTP to the server on a loopback port,
 * then the ping rows and the management API. Recipients are refused at RCPT, keyword filters
 * classify the message, the size cap holds, and 250 comes after the ping is committed.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import nodemailer from 'nodemailer'
import type { Env } from '../../src/config/index.js'
import type { Check } from '../../src/db/index.js'
import { type Smtpd, startSmtpd } from '../../src/pings/index.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { createPingHarness, onlyPing, type PingHarness, readPings } from './ping-harness.js'
import { openSmtpDialog } from './smtpd-client.js'

const DOMAIN = 'ping.example.org'

describeEachDatabase('ping by email', (dialect) => {
  let h: PingHarness
  let smtpd: Smtpd
  let check: Check

  async function start(env: Env = {}): Promise<void> {
    h = await createPingHarness(dialect, { PING_EMAIL_DOMAIN: DOMAIN, ...env })
    smtpd = await startSmtpd(h.ctx, { host: '127.0.0.1', port: 0 })
    check = await buildCheck(h.ctx, h.alice.project, { name: 'backup', slug: 'backup' })
  }
  beforeEach(() => start())
  afterEach(async () => {
    await smtpd.close()
    await h.close()
  })

  /** Sends one message with nodemailer; resolves with the server's answer or rejects with it. */
  function send(to: string | string[], mail: { subject?: string; text?: string; html?: string }) {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtpd.port,
      secure: false,
      ignoreTLS: true,
    })
    return transport.sendMail({ from: 'cron@example.org', to, ...mail })
  }

  const address = () => `${check.code}@${DOMAIN}`

  test('mail to <uuid>@PING_EMAIL_DOMAIN is recorded as an email ping after the commit', async () => {
    const info = await send(address(), { subject: 'Backup done', text: 'all good' })
    assert.match(info.response, /^250/)
    // sendMail resolved on the 250: the row must already be there.
    const ping = await onlyPing(h.ctx)
    assert.equal(ping.check_id, check.id)
    assert.equal(ping.kind, 'success')
    assert.equal(ping.scheme, 'email')
    assert.equal(ping.method, '')
    assert.equal(ping.ua, 'Email from cron@example.org')
    assert.match(String(ping.remote_addr), /^(::ffff:)?127\.0\.0\.1$/)
    assert.match(String(ping.body), /Subject: Backup done/)
    assert.match(String(ping.body), /all good/)
    const after = await h.ctx.db.kysely
      .selectFrom('checks')
      .selectAll()
      .where('id', '=', check.id)
      .executeTakeFirstOrThrow()
    assert.equal(after.status, 'up')
    assert.equal(after.n_pings, 1)
  })

  test('mail to <ping-key>+<slug>@PING_EMAIL_DOMAIN pings the slug check', async () => {
    await send(`${h.alice.project.ping_key}+backup@${DOMAIN}`, { subject: 'hi', text: 'x' })
    const ping = await onlyPing(h.ctx)
    assert.equal(ping.check_id, check.id)
    assert.equal(ping.scheme, 'email')
  })

  test('an upper-cased UUID and domain still reach the check', async () => {
    await send(`${check.code.toUpperCase()}@${DOMAIN.toUpperCase()}`, { text: 'x' })
    assert.equal((await onlyPing(h.ctx)).check_id, check.id)
  })

  test('the ping shows in the management API with scheme email', async () => {
    await send(address(), { subject: 'hello', text: 'body' })
    const r = await h.app.inject({
      method: 'GET',
      url: `/api/v3/checks/${check.code}/pings/`,
      headers: { 'x-api-key': h.alice.apiKey },
    })
    assert.equal(r.statusCode, 200)
    const [ping] = r.json().pings
    assert.equal(ping.scheme, 'email')
    assert.equal(ping.type, 'success')
    assert.equal(ping.method, '')
    assert.equal(ping.ua, 'Email from cron@example.org')
  })

  test('RCPT answers 550 for another domain, an unknown check and a malformed mailbox', async () => {
    const c = await openSmtpDialog(smtpd.port)
    try {
      assert.match(c.greeting, /^220/)
      assert.match(await c.send('EHLO client.example.org'), /^250/)
      assert.match(await c.send('MAIL FROM:<cron@example.org>'), /^250/)
      assert.equal(
        await c.send(`RCPT TO:<${check.code}@elsewhere.example.org>`),
        '550 5.1.1 Recipient rejected',
      )
      assert.equal(await c.send('RCPT TO:<postmaster@example.com>'), '550 5.1.1 Recipient rejected')
      assert.equal(
        await c.send(`RCPT TO:<${crypto.randomUUID()}@${DOMAIN}>`),
        '550 5.1.1 No such check',
      )
      assert.equal(
        await c.send(`RCPT TO:<${h.alice.project.ping_key}+nope@${DOMAIN}>`),
        '550 5.1.1 No such check',
      )
      assert.equal(await c.send(`RCPT TO:<hello@${DOMAIN}>`), '550 5.1.1 Invalid mailbox')
      // No accepted recipient: DATA is refused, nothing is recorded.
      assert.match(await c.send('DATA'), /^503/)
    } finally {
      c.close()
    }
    assert.equal((await readPings(h.ctx)).length, 0)
  })

  test('nodemailer sees the refusal of an unknown check', async () => {
    await assert.rejects(send(`${crypto.randomUUID()}@${DOMAIN}`, { text: 'x' }), (e: Error) => {
      assert.match(e.message, /550 5\.1\.1 No such check/)
      return true
    })
    assert.equal((await readPings(h.ctx)).length, 0)
  })

  test('an ambiguous slug is refused at RCPT', async () => {
    await buildCheck(h.ctx, h.alice.project, { name: 'backup 2', slug: 'backup' })
    await assert.rejects(
      send(`${h.alice.project.ping_key}+backup@${DOMAIN}`, { text: 'x' }),
      /550 5\.1\.1 Ambiguous slug/,
    )
  })

  test('a message to a good and a bad recipient pings only the good one', async () => {
    const info = await send([address(), `${crypto.randomUUID()}@${DOMAIN}`], { text: 'x' })
    assert.equal(info.accepted.length, 1)
    assert.equal(info.rejected.length, 1)
    assert.equal((await onlyPing(h.ctx)).check_id, check.id)
  })

  test('two recipients of one message each get a ping', async () => {
    const other = await buildCheck(h.ctx, h.alice.project, { name: 'other' })
    await send([address(), `${other.code}@${DOMAIN}`], { text: 'x' })
    const pings = await readPings(h.ctx)
    assert.deepEqual(pings.map((p) => p.check_id).sort(), [check.id, other.id].sort())
  })

  test('the stored body is cut to PING_BODY_LIMIT', async () => {
    await smtpd.close()
    await h.close()
    await start({ PING_BODY_LIMIT: '100' })
    await send(address(), { text: 'y'.repeat(5000) })
    assert.equal((await onlyPing(h.ctx)).body?.length, 100)
  })

  test('a message over SMTPD_MAX_MESSAGE_SIZE is refused with 552 and not recorded', async () => {
    await smtpd.close()
    await h.close()
    await start({ SMTPD_MAX_MESSAGE_SIZE: '2048' })
    // nodemailer announces the size, so MAIL FROM already refuses it.
    await assert.rejects(send(address(), { text: 'z'.repeat(5000) }), /552/)
    // A client that does not announce it is refused after DATA.
    const c = await openSmtpDialog(smtpd.port)
    try {
      assert.match(await c.send('EHLO client.example.org'), /SIZE 2048/)
      await c.send('MAIL FROM:<cron@example.org>')
      assert.match(await c.send(`RCPT TO:<${address()}>`), /^250/)
      assert.match(await c.send('DATA'), /^354/)
      assert.match(await c.data(`Subject: big\n\n${'z'.repeat(5000)}`), /^552/)
    } finally {
      c.close()
    }
    assert.equal((await readPings(h.ctx)).length, 0)
  })

  test('more connections than SMTPD_MAX_CONNECTIONS are turned away with 421', async () => {
    await smtpd.close()
    await h.close()
    await start({ SMTPD_MAX_CONNECTIONS: '1' })
    const first = await openSmtpDialog(smtpd.port)
    try {
      assert.match(first.greeting, /^220/)
      const second = await openSmtpDialog(smtpd.port)
      second.close()
      assert.match(second.greeting, /^421/)
    } finally {
      first.close()
    }
  })

  test('no AUTH and no relaying: EHLO offers neither AUTH nor STARTTLS', async () => {
    const c = await openSmtpDialog(smtpd.port)
    try {
      const ehlo = await c.send('EHLO client.example.org')
      assert.doesNotMatch(ehlo, /AUTH|STARTTLS/)
    } finally {
      c.close()
    }
  })

  async function pingKind(
    fields: Partial<Check>,
    mail: { subject?: string; text?: string; html?: string },
  ) {
    await h.ctx.db.kysely.updateTable('checks').set(fields).where('id', '=', check.id).execute()
    await h.ctx.db.kysely.deleteFrom('pings').execute()
    await send(address(), mail)
    return (await onlyPing(h.ctx)).kind
  }

  const KW = { success_kw: 'SUCCESS', failure_kw: 'FAIL, ERROR', start_kw: 'START' }

  test('with no filter every message is a success, keywords or not', async () => {
    assert.equal(await pingKind(KW, { subject: 'FAIL', text: 'ERROR' }), 'success')
  })

  test('filter_subject classifies by the subject only', async () => {
    const f = { ...KW, filter_subject: 1 }
    assert.equal(await pingKind(f, { subject: 'Backup SUCCESS', text: 'x' }), 'success')
    assert.equal(await pingKind(f, { subject: 'Backup FAIL', text: 'x' }), 'fail')
    assert.equal(await pingKind(f, { subject: 'Backup START', text: 'x' }), 'start')
    // Failure beats success.
    assert.equal(await pingKind(f, { subject: 'SUCCESS with ERROR', text: 'x' }), 'fail')
    // The body is not read: no keyword in the subject → ignored.
    assert.equal(await pingKind(f, { subject: 'Backup', text: 'FAIL' }), 'ign')
    // Case-sensitive, as Healthchecks.
    assert.equal(await pingKind(f, { subject: 'backup fail', text: 'x' }), 'ign')
  })

  test('filter_body classifies by the text and HTML parts', async () => {
    const f = { ...KW, filter_body: 1 }
    assert.equal(await pingKind(f, { subject: 'FAIL', text: 'it was a SUCCESS' }), 'success')
    assert.equal(await pingKind(f, { subject: 'x', text: 'an ERROR here' }), 'fail')
    assert.equal(await pingKind(f, { subject: 'x', html: '<p>job <b>START</b>ed</p>' }), 'start')
    assert.equal(await pingKind(f, { subject: 'x', text: 'fine', html: '<div>FAIL</div>' }), 'fail')
    assert.equal(await pingKind(f, { subject: 'SUCCESS', text: 'nothing' }), 'ign')
  })

  test('filter_subject and filter_body together read both', async () => {
    const f = { ...KW, filter_subject: 1, filter_body: 1 }
    assert.equal(await pingKind(f, { subject: 'SUCCESS', text: 'nothing' }), 'success')
    assert.equal(await pingKind(f, { subject: 'SUCCESS', text: 'FAIL' }), 'fail')
  })

  test('filter_default_fail makes an unmatched message a failure', async () => {
    const f = { ...KW, filter_subject: 1, filter_default_fail: 1 }
    assert.equal(await pingKind(f, { subject: 'nothing', text: 'x' }), 'fail')
  })

  test('HTTP-only rules (methods = POST, filter_http_body) do not apply to email', async () => {
    const f = { ...KW, methods: 'POST', filter_http_body: 1 }
    assert.equal(await pingKind(f, { subject: 'nothing', text: 'ERROR' }), 'success')
  })

  if (dialect === 'sqlite') {
    test('a write the database refuses answers 451 (retry later), then the retry is recorded', async () => {
      const c = await openSmtpDialog(smtpd.port)
      try {
        await c.send('EHLO client.example.org')
        await c.send('MAIL FROM:<cron@example.org>')
        assert.match(await c.send(`RCPT TO:<${address()}>`), /^250/)
        assert.match(await c.send('DATA'), /^354/)
        h.ctx.db.sqlite!.pragma('query_only = ON')
        assert.equal(
          await c.data('Subject: x\n\nbody'),
          '451 4.3.0 Ping not recorded, try again later',
        )
        h.ctx.db.sqlite!.pragma('query_only = OFF')
        assert.equal((await readPings(h.ctx)).length, 0)
        // The sender's retry on the same connection goes through.
        await c.send('MAIL FROM:<cron@example.org>')
        assert.match(await c.send(`RCPT TO:<${address()}>`), /^250/)
        assert.match(await c.send('DATA'), /^354/)
        assert.match(await c.data('Subject: x\n\nbody'), /^250/)
      } finally {
        c.close()
      }
      assert.equal((await readPings(h.ctx)).length, 1)
    })
  }
})
