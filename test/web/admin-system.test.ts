import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { runDoctor } from '../../src/doctor/findings.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { closedPort, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js'
import { csrfFrom } from './form-client.js'
import { useMonitoringTest } from './monitoring-harness.js'

const makeSuperuser = async (t: ReturnType<ReturnType<typeof useMonitoringTest>>) =>
  t.ctx.db.kysely
    .updateTable('users')
    .set({ is_superuser: 1 })
    .where('id', '=', t.alice.id)
    .execute()

/** The status cell of one check's row on the admin page. */
function rowStatus(html: string, id: string): string | null {
  const m = new RegExp(`<tr data-check="${id.replace('.', '\\.')}" data-status="([^"]+)"`).exec(
    html,
  )
  return m ? m[1] : null
}

describeEachDatabase('admin system page', (dialect) => {
  // DEBUG on a public SITE_ROOT (SEC-004, error), half of Twilio (SMS-001, warn); no worker runs.
  const t = useMonitoringTest(dialect, {
    SITE_ROOT: 'https://vigil.example.com',
    DEBUG: 'True',
    TWILIO_ACCOUNT: 'AC123',
  })

  test('T-33 a non-superuser gets 404 for /admin/system and its JSON; a superuser sees every failing ID', async () => {
    await t().logIn()
    assert.equal((await t().browser.get('/admin/system')).statusCode, 404)
    assert.equal((await t().browser.get('/admin/system.json')).statusCode, 404)
    const page = await t().browser.get('/projects/')
    assert.equal(
      (await t().browser.post('/admin/system/rerun', { csrf: csrfFrom(page.body) })).statusCode,
      404,
    )
    await makeSuperuser(t())
    const r = await t().browser.get('/admin/system')
    assert.equal(r.statusCode, 200)
    const failing = (await runDoctor(t().ctx, { network: false })).filter(
      (f) => f.severity !== 'ok',
    )
    const ids = new Set(failing.map((f) => f.id))
    for (const id of ['SEC-004', 'SMS-001', 'vigil.E003']) assert.ok(ids.has(id), `${id} fails`)
    for (const id of ids) {
      const status = rowStatus(r.body, id)
      assert.ok(status && status !== 'ok', `${id} is in the table as failing (got ${status})`)
    }
    assert.equal(rowStatus(r.body, 'SEC-001'), 'ok')
    assert.equal(rowStatus(r.body, 'MAIL-005'), 'not applicable')
  })

  test('DOC-3 superusers get the Admin link and the problems banner on every page, others neither', async () => {
    await t().logIn()
    let r = await t().browser.get('/projects/')
    assert.doesNotMatch(r.body, /href="\/admin\/system"/)
    assert.doesNotMatch(r.body, /Configuration problems/)
    await makeSuperuser(t())
    const problems = (await runDoctor(t().ctx, { network: false })).filter((f) =>
      ['error', 'fatal'].includes(f.severity),
    ).length
    for (const url of ['/projects/', '/account/security']) {
      r = await t().browser.get(url)
      assert.equal(r.statusCode, 200)
      assert.match(r.body, /<a href="\/admin\/system">Admin<\/a>/)
      assert.ok(
        r.body.includes(
          `Configuration problems: ${problems}. <a href="/admin/system">View details</a>`,
        ),
        `banner on ${url}`,
      )
    }
  })

  test('DOC-3 /admin/system.json gives every check with its status and last run', async () => {
    await makeSuperuser(t())
    await t().logIn()
    const r = await t().browser.get('/admin/system.json')
    assert.equal(r.statusCode, 200)
    const body = r.json() as {
      problems: number
      checks: { check: string; status: string; last_run: string | null; findings: unknown[] }[]
    }
    const sec4 = body.checks.find((c) => c.check === 'SEC-004')
    assert.equal(sec4?.status, 'error')
    assert.equal(sec4?.last_run, new Date(t().ctx.clock.now()).toISOString())
    assert.equal(body.checks.find((c) => c.check === 'SEC-002')?.status, 'warn')
    assert.ok(body.problems >= 2)
    assert.ok(body.checks.some((c) => c.check === 'MAIL-007'))
  })

  test('DOC-3 a POST without the CSRF token is refused', async () => {
    await makeSuperuser(t())
    await t().logIn()
    const r = await t().browser.post('/admin/system/rerun', {})
    assert.equal(r.statusCode, 403)
  })

  test('SEC-FUZZ an address with a NUL character signs nobody out: 200 "no user", not a 500', async () => {
    await makeSuperuser(t())
    await t().logIn()
    const r = await t().submit('/admin/system', '/admin/system/sessions/revoke', {
      email: 'alice@example.org\u0000',
    })
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /No user has the email address alice@example.org/)
    assert.equal((await t().browser.get('/projects/')).statusCode, 200, 'still signed in')
  })

  test('SE-7 the admin page signs one user out (audited), then everyone', async () => {
    const { ctx, bob } = t()
    await makeSuperuser(t())
    await t().logIn('bob@example.org')
    const bobCookies = new Map(t().browser.cookies)
    t().browser.cookies.clear()
    await t().logIn()
    let r = await t().submit('/admin/system', '/admin/system/sessions/revoke', {
      email: 'bob@example.org',
    })
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /1 session\(s\) of bob@example.org signed out/)
    const events = await ctx.db.kysely
      .selectFrom('security_events')
      .selectAll()
      .where('type', '=', 'session.revoked')
      .where('subject_user_id', '=', bob.id)
      .execute()
    assert.equal(events.length, 1)
    assert.equal(events[0].actor_user_id, t().alice.id)
    const bobNow = await t().app.inject({
      method: 'GET',
      url: '/projects/',
      cookies: Object.fromEntries(bobCookies),
    })
    assert.equal(bobNow.statusCode, 303)
    r = await t().submit('/admin/system', '/admin/system/sessions/revoke', {
      email: 'nobody@example.org',
    })
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /No user has the email address nobody@example.org/)
    r = await t().submit('/admin/system', '/admin/system/sessions/revoke', { all: '1' })
    assert.equal(r.statusCode, 303)
    const left = await ctx.db.kysely
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    assert.equal(Number(left.n), 0)
    assert.equal((await t().browser.get('/admin/system')).statusCode, 303)
  })

  test('DOC-3 Send test email to me with mail unconfigured answers 200 and says so', async () => {
    await makeSuperuser(t())
    await t().logIn()
    const r = await t().submit('/admin/system', '/admin/system/test-email', {})
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /Test email to alice@example.org: not sent — Email is not configured/)
  })
})

describeEachDatabase('admin system page with SMTP', (dialect) => {
  let sink: SmtpSink
  before(async () => {
    sink = await startSmtpSink()
  })
  after(async () => {
    await sink.close()
  })
  const t = useMonitoringTest(dialect, {
    get EMAIL_HOST() {
      return sink.env.EMAIL_HOST
    },
    get EMAIL_PORT() {
      return sink.env.EMAIL_PORT
    },
    EMAIL_USE_TLS: 'False',
    EMAIL_TIMEOUT: '2',
    DEFAULT_FROM_EMAIL: 'vigil@vigil.example.net',
  })

  test('DOC-3 Send test email to me delivers to the admin and shows the SMTP transcript', async () => {
    await makeSuperuser(t())
    await t().logIn()
    const r = await t().submit('/admin/system', '/admin/system/test-email', {})
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /Test email to alice@example.org: sent/)
    assert.match(r.body, /C: MAIL FROM:&lt;vigil@vigil.example.net>/)
    const [mail] = await sink.waitFor(1)
    assert.deepEqual(mail.envelopeTo, ['alice@example.org'])
  })

  test('DOC-3 Re-run checks probes SMTP and the table shows the result with its time', async () => {
    await makeSuperuser(t())
    await t().logIn()
    let page = await t().browser.get('/admin/system')
    assert.equal(rowStatus(page.body, 'MAIL-005'), 'not run')
    const r = await t().submit('/admin/system', '/admin/system/rerun', {})
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, '/admin/system?rerun=done')
    page = await t().browser.get('/admin/system?rerun=done')
    assert.match(page.body, /Checks re-run, including the SMTP probe/)
    assert.equal(rowStatus(page.body, 'MAIL-005'), 'ok')
  })
})

describeEachDatabase('admin re-run with an unreachable SMTP server', (dialect) => {
  let port = 0
  before(async () => {
    port = await closedPort()
  })
  const t = useMonitoringTest(dialect, {
    EMAIL_HOST: '127.0.0.1',
    get EMAIL_PORT() {
      return String(port)
    },
    EMAIL_USE_TLS: 'False',
    EMAIL_TIMEOUT: '2',
  })

  test('DOC-3 Re-run checks against a closed port shows MAIL-005 and the banner counts it', async () => {
    await makeSuperuser(t())
    await t().logIn()
    const r = await t().submit('/admin/system', '/admin/system/rerun', {})
    assert.equal(r.statusCode, 303)
    const page = await t().browser.get('/admin/system')
    assert.equal(rowStatus(page.body, 'MAIL-005'), 'error')
    assert.match(page.body, /The SMTP server 127\.0\.0\.1:\d+ cannot be used/)
    assert.match(page.body, /Configuration problems: \d+\. <a href="\/admin\/system">View details/)
    const json = (await t().browser.get('/admin/system.json')).json() as {
      checks: { check: string; last_run: string | null }[]
    }
    assert.ok(json.checks.find((c) => c.check === 'MAIL-005')?.last_run)
  })
})

describeEachDatabase('request origins (SITE-003, SITE-004)', (dialect) => {
  const t = useMonitoringTest(dialect, {
    SITE_ROOT: 'https://vigil.example.com',
    TRUSTED_PROXY_CIDRS: '127.0.0.1',
    // The old name still answers (else ALLOWED_HOSTS refuses it with 400 before SITE-003 sees it).
    ALLOWED_HOSTS: 'vigil.example.com,old.example.net,localhost',
  })

  test('SITE-003 five browser requests for another origin show it; pings never count', async () => {
    await makeSuperuser(t())
    await t().logIn()
    const proxied = { host: 'vigil.example.com', 'x-forwarded-proto': 'https' }
    let page = await t().browser.get('/admin/system', proxied)
    assert.equal(rowStatus(page.body, 'SITE-003'), 'ok')
    for (let i = 0; i < 10; i++) {
      await t().app.inject({ method: 'GET', url: '/ping/x', headers: { host: 'old.example.net' } })
    }
    page = await t().browser.get('/admin/system', proxied)
    assert.equal(rowStatus(page.body, 'SITE-003'), 'ok')
    // The harness's log-in went to http://localhost (2 foreign requests): 5 more cross the line.
    for (let i = 0; i < 5; i++) {
      await t().browser.get('/login', { host: 'old.example.net', 'x-forwarded-proto': 'https' })
    }
    page = await t().browser.get('/admin/system', proxied)
    assert.equal(rowStatus(page.body, 'SITE-003'), 'warn')
    assert.match(page.body, /were made to https:\/\/old\.example\.net, not to SITE_ROOT/)
  })
})

describeEachDatabase('https SITE_ROOT without a trusted proxy', (dialect) => {
  const t = useMonitoringTest(dialect, { SITE_ROOT: 'https://vigil.example.com' })

  test('SITE-004 requests over plain http with no TRUSTED_PROXY_CIDRS are an error', async () => {
    await makeSuperuser(t())
    await t().logIn()
    for (let i = 0; i < 5; i++) await t().browser.get('/login', { host: 'vigil.example.com' })
    const page = await t().browser.get('/admin/system', { host: 'vigil.example.com' })
    assert.equal(rowStatus(page.body, 'SITE-004'), 'error')
    assert.match(page.body, /Set TRUSTED_PROXY_CIDRS so secure cookies and origin checks work/)
    assert.equal(rowStatus(page.body, 'SITE-003'), 'ok')
  })
})
