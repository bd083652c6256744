import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { PING_ENDPOINT, useMonitoringTest } from './monitoring-harness.js'

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000

describeEachDatabase('web check details', (dialect) => {
  const t = useMonitoringTest(dialect)

  async function ping(code: string, suffix = '', body?: string) {
    const r = await t().app.inject({
      method: body === undefined ? 'GET' : 'POST',
      url: `/ping/${code}${suffix}`,
      payload: body,
      headers: {
        'user-agent': 'test-agent/1.0',
        ...(body === undefined ? {} : { 'content-type': 'text/plain' }),
      },
    })
    assert.equal(r.statusCode, 200, `ping ${suffix}: ${r.body}`)
  }

  test('details show both ping URLs, examples and the status with its reason', async () => {
    const { ctx, project } = t()
    const now = ctx.clock.now()
    const check = await buildCheck(ctx, project, {
      name: 'backup',
      slug: 'backup',
      status: 'up',
      last_ping: now - 10 * MINUTE,
      timeout: 3600,
      grace: 600,
    })
    await t().logIn()
    const r = await t().browser.get(`/checks/${check.code}/details/`)
    assert.equal(r.statusCode, 200)
    assert.ok(r.body.includes(`<code id="ping-url-uuid">${PING_ENDPOINT}${check.code}</code>`))
    assert.ok(
      r.body.includes(`<code id="ping-url-slug">${PING_ENDPOINT}${project.ping_key}/backup</code>`),
    )
    for (const example of [
      'curl -fsS',
      'wget ',
      'Invoke-RestMethod',
      'urllib.request',
      'await fetch(',
    ]) {
      assert.ok(r.body.includes(example), example)
    }
    assert.match(r.body, /data-copy="ping-url-uuid" hidden/)
    assert.match(
      r.body,
      /The next ping is expected at 15 Jan 2026, 12:50:00 UTC, with grace until 15 Jan 2026, 13:00:00 UTC\./,
    )
  })

  test('a late check says when it goes down', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, {
      status: 'up',
      last_ping: ctx.clock.now() - 65 * MINUTE,
      timeout: 3600,
      grace: 600,
    })
    await t().logIn()
    const r = await t().browser.get(`/checks/${check.code}/details/`)
    assert.match(
      r.body,
      /It is late: a ping was expected at 15 Jan 2026, 11:55:00 UTC\. The check goes down at 15 Jan 2026, 12:05:00 UTC/,
    )
  })

  test('the event log lists pings with kind, duration, source, user agent, exit status and body, then flips and notifications', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'job' })
    await ping(check.code, '/start')
    ctx.clock.advance(95_000)
    await ping(check.code, '/3', 'disk full <b>!</b>')
    const channel = await buildChannel(
      ctx,
      project,
      'webhook',
      { url_down: 'https://example.org/' },
      [check],
    )
    // The failure ping flipped the check down; a webhook notification about it failed.
    const flip = await ctx.db.kysely
      .selectFrom('flips')
      .select('id')
      .where('check_id', '=', check.id)
      .executeTakeFirstOrThrow()
    await ctx.db.kysely
      .insertInto('notifications')
      .values({
        code: '11111111-1111-4111-8111-111111111111',
        check_id: check.id,
        channel_id: channel.id,
        flip_id: flip.id,
        check_status: 'down',
        created: ctx.clock.now() + 2,
        status: 'failed',
        error: 'HTTP 500',
        next_attempt_at: 0,
        claimed_by: null,
        claimed_at: null,
        sent_at: null,
      })
      .execute()
    ctx.clock.advance(MINUTE)
    await t().logIn()
    const r = await t().browser.get(`/checks/${check.code}/details/`)
    assert.equal(r.statusCode, 200)
    const log = r.body.slice(r.body.indexOf('id="events"'))
    const rows = log.split('<tr').slice(2)
    assert.match(rows[0], /notification via[\s\S]*webhook[\s\S]*failed – HTTP 500/)
    assert.match(rows[1], /#2<\/a> Failure \(exit status 3\)/)
    assert.match(rows[1], /1 min 35 s/)
    assert.match(rows[1], /HTTP POST from 127\.0\.0\.1/)
    assert.match(rows[1], /test-agent\/1\.0/)
    assert.match(rows[1], /disk full &lt;b>!&lt;\/b>/)
    assert.match(
      rows[2],
      /Status changed from <strong>new<\/strong> to <strong>down<\/strong> \(failure reported\)/,
    )
    assert.match(rows[3], /#1<\/a> Started/)
  })

  test('the event log says why an alert gate held or suppressed a flip’s alert, escaped', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'child' })
    const now = ctx.clock.now()
    const flip = (at: number, values: Record<string, unknown>) =>
      ctx.db.kysely
        .insertInto('flips')
        .values({
          check_id: check.id,
          created: at,
          old_status: 'up',
          new_status: 'down',
          reason: 'timeout',
          processed: at,
          ...values,
        })
        .execute()
    await flip(now - 3000, { held_reason: 'snoozed until 13:00 <b>', suppressed: 1 })
    await flip(now - 2000, { held_reason: 'parent "db" is down' })
    await flip(now - 1000, { held_reason: 'maintenance window', processed: null, recheck_at: now })
    await flip(now - 500, {})
    await t().logIn()
    const r = await t().browser.get(`/checks/${check.code}/details/`)
    const log = r.body.slice(r.body.indexOf('id="events"'))
    const rows = log.split('<tr').slice(2)
    assert.match(rows[0], /\(no ping in time\)<\/td>/)
    assert.match(rows[1], /\(no ping in time\) – alert held: maintenance window/)
    assert.match(rows[2], /– alert was held: parent &quot;db&quot; is down/)
    assert.match(rows[3], /– alert suppressed: snoozed until 13:00 &lt;b>/)
  })

  test('the body viewer shows the whole body escaped and offers it as a download', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project)
    const body = `<script>alert(1)</script>\n${'line\n'.repeat(100)}`
    await ping(check.code, '', body)
    await t().logIn()
    const page = await t().browser.get(`/checks/${check.code}/pings/1/`)
    assert.equal(page.statusCode, 200)
    assert.ok(page.body.includes('&lt;script>alert(1)&lt;/script>'))
    assert.doesNotMatch(page.body, /<script>alert/)
    const download = await t().browser.get(`/checks/${check.code}/pings/1/body`)
    assert.equal(download.statusCode, 200)
    assert.equal(download.headers['content-type'], 'application/octet-stream')
    assert.equal(
      download.headers['content-disposition'],
      `attachment; filename="${check.code}-1.txt"`,
    )
    assert.equal(download.body, body)
    assert.equal((await t().browser.get(`/checks/${check.code}/pings/2/`)).statusCode, 404)
    assert.equal((await t().browser.get(`/checks/${check.code}/pings/abc/`)).statusCode, 404)
    assert.equal(
      (await t().browser.get(`/checks/${check.code}/pings/99999999999/`)).statusCode,
      404,
    )
  })

  test('the event log pages by 50, newest first', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project)
    await ctx.db.kysely
      .insertInto('pings')
      .values(
        Array.from({ length: 120 }, (_, i) => ({
          check_id: check.id,
          n: i + 1,
          created: ctx.clock.now() - (120 - i) * MINUTE,
          kind: 'success' as const,
          scheme: 'http',
          remote_addr: '10.0.0.1',
          method: 'GET',
          ua: '',
          body: null,
          exitstatus: null,
          rid: null,
        })),
      )
      .execute()
    await ctx.db.kysely
      .updateTable('checks')
      .set({ n_pings: 120 })
      .where('id', '=', check.id)
      .execute()
    await ctx.db.kysely
      .updateTable('projects')
      .set({ ping_log_limit: 1000 })
      .where('id', '=', project.id)
      .execute()
    await t().logIn()
    const first = await t().browser.get(`/checks/${check.code}/details/`)
    assert.match(first.body, /Page 1 of 3/)
    assert.match(first.body, />#120<\/a>/)
    assert.doesNotMatch(first.body, />#70<\/a>/)
    const third = await t().browser.get(`/checks/${check.code}/details/?page=3`)
    assert.match(third.body, /Page 3 of 3/)
    assert.match(third.body, />#1<\/a>/)
    assert.match(third.body, /Newer events/)
    const beyond = await t().browser.get(`/checks/${check.code}/details/?page=999999`)
    assert.match(beyond.body, /Page 3 of 3/)
  })

  test('the run-time chart and the 90-day strip are server-rendered', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, {
      status: 'up',
      created: ctx.clock.now() - 200 * DAY,
    })
    await ping(check.code, '/start')
    ctx.clock.advance(30_000)
    await ping(check.code)
    // Down for two hours three days ago.
    const downAt = ctx.clock.now() - 3 * DAY
    await ctx.db.kysely
      .insertInto('flips')
      .values([
        {
          check_id: check.id,
          created: downAt,
          processed: downAt,
          old_status: 'up',
          new_status: 'down',
          reason: 'timeout',
        },
        {
          check_id: check.id,
          created: downAt + 2 * HOUR,
          processed: downAt,
          old_status: 'down',
          new_status: 'up',
          reason: '',
        },
      ])
      .execute()
    await t().logIn()
    const r = await t().browser.get(`/checks/${check.code}/details/`)
    assert.match(
      r.body,
      /<svg class="chart"[^>]*aria-label="Run times of the last 1 runs; the longest took 30 s\."/,
    )
    assert.match(r.body, /<title>#2: 30 s<\/title>/)
    const strip = r.body.slice(
      r.body.indexOf('class="strip"'),
      r.body.indexOf('</div>', r.body.indexOf('class="strip"')),
    )
    assert.equal(strip.split('<span').length - 1, 90)
    assert.equal(strip.split('class="down"').length - 1, 1)
    assert.match(strip, /12 Jan 2026: down for 2 hours/)
    assert.match(r.body, /January 2026<\/td><td>1 downtime, 2 hours total<\/td><td>99\.73%/)
    assert.match(r.body, /December 2025<\/td><td>All good!<\/td><td>100\.00%/)
  })

  test('status.json gives the check’s live status', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { status: 'paused' })
    await t().logIn()
    const r = await t().browser.get(`/checks/${check.code}/status.json`)
    assert.equal(r.statusCode, 200)
    assert.equal(r.json().checks[0].label, 'paused')
  })

  test('another user’s check and its pings are not found', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'alices' })
    await ping(check.code, '', 'secret body')
    await t().logIn('bob@example.org')
    for (const path of [
      `/checks/${check.code}/details/`,
      `/checks/${check.code}/pings/1/`,
      `/checks/${check.code}/pings/1/body`,
      `/checks/${check.code}/status.json`,
      '/checks/not-a-uuid/details/',
    ]) {
      const r = await t().browser.get(path)
      assert.equal(r.statusCode, 404, path)
      assert.doesNotMatch(r.body, /secret body|alices/)
    }
  })
})
