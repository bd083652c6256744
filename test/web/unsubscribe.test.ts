/**
 * Unsubscribe links (spec §1.4 make_token, §2.10 report headers, §5.2 alert email headers), end
 * to end on real parts: an alert and a report go out through the outbox to a real SMTP server
 * with `List-Unsubscribe` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` and a visible
 * link; the link read from the received mail is then fetched (GET: a form, nothing changes) and
 * posted the way a mail provider's one-click button does (no session, no CSRF token, no cookie,
 * form-urlencoded or multipart), through ALLOWED_HOSTS. Forged links are 400 pages that change
 * nothing, and the routes work with mail unconfigured (INV-4).
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { startWorker } from '../../src/alerts/index.js'
import { goingDownAfter } from '../../src/checks/status.js'
import type { Check, Project, User } from '../../src/db/index.js'
import { sendDueMail } from '../../src/mail/index.js'
import {
  channelUnsubscribeLink,
  channelUnsubscribeSignedAt,
  reportsUnsubscribeLink,
  timestampSign,
  timestampUnsign,
} from '../../src/mail/unsubscribe-links.js'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'
import { type ReceivedMail, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js'
import { receiveMonthlyReport, receiveNag } from '../helpers/user-mail.js'

const HOUR = 3_600_000
const SITE = 'https://vigil.example.org'
const HOST = 'vigil.example.org'

/** A raw header of a received mail, unfolded (mailparser turns List-* headers into objects). */
function rawHeader(mail: ReceivedMail, name: string): string | undefined {
  const line = mail.parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line
  return line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim()
}

/** The link of `List-Unsubscribe: <link>`, checked against the one-click header. */
function unsubscribeLinkOf(mail: ReceivedMail): string {
  const header = rawHeader(mail, 'List-Unsubscribe')
  assert.ok(header, 'List-Unsubscribe header')
  const m = /^<(https:\/\/[^>]+)>$/.exec(header)
  assert.ok(m, `List-Unsubscribe is one <https link>: ${header}`)
  assert.equal(rawHeader(mail, 'List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click')
  return m[1]
}

function pathOf(link: string): string {
  const url = new URL(link)
  assert.equal(url.origin, SITE)
  return url.pathname
}

test('unsubscribe: tokens equal those of Django TimestampSigner and make_token (Healthchecks links verify)', () => {
  // Made with Django 5 (django.core.signing.TimestampSigner, SECRET_KEY='k', time 1772323200).
  const now = 1_772_323_200_000
  assert.equal(
    timestampSign('42', 'reports', 'k', now),
    '42:1vwUE4:cRBGADnKv7QbZfDko3Y4JOiFdmIq2HkYK--rj23alxg',
  )
  const code = '0c7f4a5e-2b1d-4a3e-9f00-1a2b3c4d5e6f'
  const django =
    '808311d2a87aaf50c76558ee5058404c4f38d1036e2433e63c5346b31b77c925:1vwUE4:hIbHVqQxftdexCNmux0k_kLonwdvuuJ8sqs302G1g9k'
  assert.equal(
    channelUnsubscribeLink(SITE, code, 'k', now),
    `${SITE}/integrations/${code}/unsub/${django}/`,
  )
  assert.equal(channelUnsubscribeSignedAt(code, django, 'k'), now)
})

test('unsubscribe: links are Django TimestampSigner values that verify and reject tampering', () => {
  const now = Date.parse('2026-03-01T00:00:00Z')
  const signed = timestampSign('42', 'reports', 'k', now)
  assert.match(signed, /^42:[0-9A-Za-z]+:[A-Za-z0-9_-]{43}$/)
  assert.deepEqual(timestampUnsign(signed, 'reports', 'k'), { value: '42', signedAt: now })
  assert.equal(timestampUnsign(signed, 'alerts', 'k'), null, 'another salt')
  assert.equal(timestampUnsign(signed, 'reports', 'other key'), null)
  assert.equal(timestampUnsign(signed.replace(/^42/, '43'), 'reports', 'k'), null)
  assert.equal(timestampUnsign('42', 'reports', 'k'), null)
  const link = channelUnsubscribeLink(SITE, '0c7f4a5e-2b1d-4a3e-9f00-1a2b3c4d5e6f', 'k', now)
  assert.match(
    link,
    /^https:\/\/vigil\.example\.org\/integrations\/0c7f4a5e-2b1d-4a3e-9f00-1a2b3c4d5e6f\/unsub\/[0-9a-f]{64}:[0-9A-Za-z]+:[A-Za-z0-9_-]{43}\/$/,
  )
  assert.match(
    reportsUnsubscribeLink(SITE, 7, 'k', now),
    /^https:\/\/vigil\.example\.org\/accounts\/unsubscribe_reports\/7:[0-9A-Za-z]+:[A-Za-z0-9_-]{43}\/$/,
  )
})

describeEachDatabase('unsubscribe: links in mails', (dialect) => {
  let sink: SmtpSink
  let ctx: TestContext
  let app: FastifyInstance
  let owner: User
  let project: Project
  let check: Check
  before(async () => {
    sink = await startSmtpSink()
  })
  after(() => sink.close())
  beforeEach(async () => {
    sink.messages.length = 0
    ctx = await createTestContext(dialect, {
      ...sink.env,
      SITE_ROOT: SITE,
      DEFAULT_FROM_EMAIL: 'alerts@example.org',
    })
    app = await testApp(ctx)
    const built = await buildProject(ctx, 'alice@example.org', 'Backups')
    owner = built.owner
    project = built.project
    const lastPing = ctx.clock.now() - 2 * HOUR
    const fields = { status: 'up' as const, timeout: 3600, grace: 600, last_ping: lastPing }
    check = await buildCheck(ctx, project, {
      ...fields,
      name: 'nightly',
      created: lastPing - 90 * 86_400_000,
      alert_after: goingDownAfter({
        kind: 'simple',
        schedule: '',
        tz: 'UTC',
        last_start: null,
        ...fields,
      }),
    })
  })
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  const emailChannel = () =>
    ctx.db.kysely
      .selectFrom('channels')
      .selectAll()
      .where('project_id', '=', project.id)
      .where('kind', '=', 'email')
      .executeTakeFirstOrThrow()
  const readUser = () =>
    ctx.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('id', '=', owner.id)
      .executeTakeFirstOrThrow()
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { host: HOST } })
  /** A mail provider's RFC 8058 one-click POST: no cookie, no CSRF field, its own body. */
  const oneClick = (url: string, multipart = false) =>
    multipart
      ? app.inject({
          method: 'POST',
          url,
          headers: { host: HOST, 'content-type': 'multipart/form-data; boundary=b0' },
          payload:
            '--b0\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--b0--\r\n',
        })
      : app.inject({
          method: 'POST',
          url,
          headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'List-Unsubscribe=One-Click',
        })

  async function runWorker(): Promise<void> {
    const worker = startWorker(ctx, { workerId: 'w-unsub' })
    try {
      for (let i = 0; i < 3; i++) {
        await worker.tick()
        await worker.drain()
      }
    } finally {
      await worker.stop()
    }
  }

  /** The owner's email channel alerts about the check; the worker sends "DOWN | nightly". */
  async function sendAlert(): Promise<ReceivedMail> {
    const channel = await emailChannel()
    await ctx.db.kysely
      .insertInto('check_channels')
      .values({ check_id: check.id, channel_id: channel.id })
      .execute()
    await runWorker()
    const [down] = await sink.waitFor(1)
    assert.equal(down.subject, 'DOWN | nightly')
    return down
  }

  test('unsubscribe: an alert email carries List-Unsubscribe, List-Unsubscribe-Post and a visible link', async () => {
    const down = await sendAlert()
    const link = unsubscribeLinkOf(down)
    const channel = await emailChannel()
    assert.match(pathOf(link), new RegExp(`^/integrations/${channel.code}/unsub/[^/]+/$`))
    assert.ok(down.text.includes(`Unsubscribe: ${link}`), down.text)
    assert.ok(down.html.includes(`<a href="${link}">Unsubscribe</a>`), down.html)
  })

  test('unsubscribe: GET on the alert link shows a confirmation form and changes nothing', async () => {
    const link = unsubscribeLinkOf(await sendAlert())
    for (let i = 0; i < 2; i++) {
      const r = await get(pathOf(link))
      assert.equal(r.statusCode, 200)
      assert.match(r.body, /Unsubscribe from these alert emails\?/)
      assert.match(r.body, /<form method="post">/)
      assert.match(r.body, /<button type="submit">Unsubscribe<\/button>/)
    }
    assert.equal((await emailChannel()).disabled, 0)
  })

  test('unsubscribe: a link older than 5 minutes gets the auto-submitting form (still no change on GET)', async () => {
    const link = unsubscribeLinkOf(await sendAlert())
    const fresh = await get(pathOf(link))
    assert.doesNotMatch(fresh.body, /data-autosubmit|autosubmit\./)
    ctx.clock.advance(6 * 60_000)
    const old = await get(pathOf(link))
    assert.equal(old.statusCode, 200)
    assert.match(old.body, /<form method="post" data-autosubmit>/)
    const script = /<script src="(\/static\/autosubmit\.[0-9a-f]{12}\.js)"/.exec(old.body)
    assert.ok(script, old.body)
    const js = await app.inject({ method: 'GET', url: script[1], headers: { host: HOST } })
    assert.equal(js.statusCode, 200)
    assert.match(js.body, /form\[data-autosubmit\]/)
    assert.equal((await emailChannel()).disabled, 0)
  })

  test('unsubscribe: one-click POST without a CSRF token disables the channel, later alerts skip it', async () => {
    const link = unsubscribeLinkOf(await sendAlert())
    const r = await oneClick(pathOf(link))
    assert.equal(r.statusCode, 200, r.body)
    assert.match(r.body, /You will no longer receive alerts at a•••@example\.org\./)
    assert.equal((await emailChannel()).disabled, 1)
    // Again (a second click, or the provider retrying): still fine.
    assert.equal((await oneClick(pathOf(link), true)).statusCode, 200)

    // The check comes back up: the flip is processed but the disabled channel gets nothing.
    const ping = await app.inject({ method: 'GET', url: `/ping/${check.code}` })
    assert.equal(ping.statusCode, 200)
    await runWorker()
    await sendDueMail(ctx)
    const flips = await ctx.db.kysely.selectFrom('flips').selectAll().orderBy('id').execute()
    assert.deepEqual(
      flips.map((f) => f.new_status),
      ['down', 'up'],
    )
    assert.ok(flips[1].processed !== null, 'the up flip was handled')
    const n = await ctx.db.kysely.selectFrom('notifications').selectAll().execute()
    assert.deepEqual(
      n.map((x) => x.check_status),
      ['down'],
    )
    assert.equal(sink.messages.length, 1)
  })

  test('unsubscribe: one-click POST works as multipart/form-data and from a logged-out browser form', async () => {
    const link = unsubscribeLinkOf(await sendAlert())
    const r = await oneClick(pathOf(link), true)
    assert.equal(r.statusCode, 200, r.body)
    assert.equal((await emailChannel()).disabled, 1)
  })

  test('unsubscribe: a forged or altered alert link is a 400 page and changes nothing', async () => {
    const link = unsubscribeLinkOf(await sendAlert())
    const path = pathOf(link)
    const channel = await emailChannel()
    const flipped = path.replace(/(.)\/$/, (_, c) => `${c === 'A' ? 'B' : 'A'}/`)
    const otherChannel = path.replace(channel.code, '00000000-0000-4000-8000-000000000000')
    const otherKey = pathOf(
      channelUnsubscribeLink(SITE, channel.code, 'not-the-secret-key', ctx.clock.now()),
    )
    const reportsToken = pathOf(reportsUnsubscribeLink(SITE, owner.id, ctx.config.secretKey, 0))
      .split('/')
      .at(-2)
    const wrongSalt = `/integrations/${channel.code}/unsub/${reportsToken}/`
    const cases = [flipped, otherChannel, otherKey, wrongSalt, `/integrations/not-a-uuid/unsub/x/`]
    for (const bad of cases) {
      for (const r of [await get(bad), await oneClick(bad)]) {
        assert.equal(r.statusCode, 400, `${bad}: ${r.statusCode}`)
        assert.match(r.body, /This unsubscribe link is not valid/)
      }
    }
    // An overlong token stops at the router: 414, never a 500.
    const long = `/integrations/${channel.code}/unsub/${'a'.repeat(2000)}/`
    for (const r of [await get(long), await oneClick(long)]) assert.equal(r.statusCode, 414)
    assert.equal((await emailChannel()).disabled, 0)
  })

  const sendMonthlyReport = () =>
    receiveMonthlyReport(ctx, sink, { checkId: check.id, userId: owner.id })

  test('unsubscribe: a report mail carries the headers and link; GET changes nothing, POST turns reports and nags off', async () => {
    const report = await sendMonthlyReport()
    const link = unsubscribeLinkOf(report)
    assert.match(pathOf(link), new RegExp(`^/accounts/unsubscribe_reports/${owner.id}:[^/]+/$`))
    assert.ok(report.text.includes(`Unsubscribe from reports and reminders: ${link}`), report.text)
    assert.ok(report.html.includes(`href="${link}"`), report.html)

    const g = await get(pathOf(link))
    assert.equal(g.statusCode, 200)
    assert.match(g.body, /Unsubscribe from email reports and &quot;still down&quot; reminders\?/)
    assert.equal((await readUser()).reports, 'monthly')

    const r = await oneClick(pathOf(link), true)
    assert.equal(r.statusCode, 200, r.body)
    assert.match(r.body, /You will no longer receive email reports/)
    const u = await readUser()
    assert.deepEqual(
      [u.reports, u.next_report_date, u.nag_period, u.next_nag_date],
      ['off', null, 0, null],
    )
  })

  test('unsubscribe: a nag ("still down" reminder) carries the same one-click link', async () => {
    const nag = await receiveNag(ctx, sink, {
      checkId: check.id,
      userId: owner.id,
      reports: 'weekly',
    })
    const link = unsubscribeLinkOf(nag)
    assert.ok(nag.text.includes(link))
    assert.equal((await oneClick(pathOf(link))).statusCode, 200)
    const u = await readUser()
    assert.deepEqual([u.reports, u.nag_period, u.next_nag_date], ['off', 0, null])
  })

  test('unsubscribe: a forged reports link is a 400 page and changes nothing', async () => {
    const link = unsubscribeLinkOf(await sendMonthlyReport())
    const path = pathOf(link)
    const otherUser = path.replace(`/${owner.id}:`, `/${owner.id + 1}:`)
    const otherKey = pathOf(reportsUnsubscribeLink(SITE, owner.id, 'not-the-secret', 0))
    for (const bad of [otherUser, otherKey, '/accounts/unsubscribe_reports/1/']) {
      for (const r of [await get(bad), await oneClick(bad)]) {
        assert.equal(r.statusCode, 400, bad)
        assert.match(r.body, /This unsubscribe link is not valid/)
      }
    }
    assert.equal((await readUser()).reports, 'monthly')
  })

  test('unsubscribe: a Host outside ALLOWED_HOSTS is still refused', async () => {
    const link = unsubscribeLinkOf(await sendAlert())
    const r = await app.inject({
      method: 'POST',
      url: pathOf(link),
      headers: { host: 'evil.example.net', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    })
    assert.equal(r.statusCode, 400)
    assert.equal((await emailChannel()).disabled, 0)
  })
})

describeEachDatabase('unsubscribe: with mail unconfigured (INV-4)', (dialect) => {
  let ctx: TestContext
  let app: FastifyInstance
  beforeEach(async () => {
    ctx = await createTestContext(dialect, { SITE_ROOT: SITE })
    app = await testApp(ctx)
  })
  afterEach(async () => {
    await releaseApp(app)
    await ctx.drop()
  })

  test('unsubscribe: both links show their form and unsubscribe without a mail server or session', async () => {
    const { owner, project } = await buildProject(ctx, 'bob@example.org', 'Bobs')
    const channel = await ctx.db.kysely
      .selectFrom('channels')
      .selectAll()
      .where('project_id', '=', project.id)
      .executeTakeFirstOrThrow()
    const now = ctx.clock.now()
    const alerts = pathOf(channelUnsubscribeLink(SITE, channel.code, ctx.config.secretKey, now))
    const reports = pathOf(reportsUnsubscribeLink(SITE, owner.id, ctx.config.secretKey, now))
    for (const url of [alerts, reports]) {
      const g = await app.inject({ method: 'GET', url, headers: { host: HOST } })
      assert.equal(g.statusCode, 200, url)
      const p = await app.inject({ method: 'POST', url, headers: { host: HOST } })
      assert.equal(p.statusCode, 200, `${url}: ${p.body}`)
      assert.match(p.body, /You will no longer receive/)
    }
    const after = await ctx.db.kysely
      .selectFrom('channels')
      .select('disabled')
      .where('id', '=', channel.id)
      .executeTakeFirstOrThrow()
    assert.equal(after.disabled, 1)
    const u = await ctx.db.kysely
      .selectFrom('users')
      .select(['reports', 'nag_period'])
      .where('id', '=', owner.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual([u.reports, u.nag_period], ['off', 0])

    // A deleted channel's old link: a calm answer, not an error.
    await ctx.db.kysely.deleteFrom('check_channels').where('channel_id', '=', channel.id).execute()
    await ctx.db.kysely.deleteFrom('channels').where('id', '=', channel.id).execute()
    const gone = await app.inject({ method: 'POST', url: alerts, headers: { host: HOST } })
    assert.equal(gone.statusCode, 200)
    assert.match(gone.body, /no longer exists/)
  })
})
