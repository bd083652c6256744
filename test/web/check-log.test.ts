import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Check, PingKind } from '../../src/db/index.js'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { useMonitoringTest } from './monitoring-harness.js'

const HOUR = 3_600_000

describeEachDatabase('web full event log and live refresh', (dialect) => {
  const t = useMonitoringTest(dialect)

  /** Pings #1… with the given kinds, one an hour, the last one an hour before now. */
  async function addPings(check: Check, kinds: PingKind[], ua = 'curl/8') {
    const { ctx } = t()
    const now = ctx.clock.now()
    await ctx.db.kysely
      .insertInto('pings')
      .values(
        kinds.map((kind, i) => ({
          check_id: check.id,
          n: i + 1,
          created: now - (kinds.length - i) * HOUR,
          kind,
          scheme: 'https',
          remote_addr: '10.0.0.9',
          method: 'POST',
          ua,
          body: Buffer.from(`body ${i + 1}`),
          exitstatus: null,
          rid: null,
        })),
      )
      .execute()
    await ctx.db.kysely
      .updateTable('checks')
      .set({ n_pings: kinds.length })
      .where('id', '=', check.id)
      .execute()
  }

  async function addFlipAndNotification(check: Check, at: number) {
    const { ctx, project } = t()
    const flip = await ctx.db.kysely
      .insertInto('flips')
      .values({
        check_id: check.id,
        created: at,
        processed: at,
        old_status: 'up',
        new_status: 'down',
        reason: 'timeout',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const channel = await buildChannel(ctx, project, 'webhook', { url_down: 'https://x.test/' })
    await ctx.db.kysely
      .insertInto('notifications')
      .values({
        code: '33333333-3333-4333-8333-333333333333',
        check_id: check.id,
        channel_id: channel.id,
        flip_id: flip.id,
        check_status: 'down',
        created: at + 1,
        status: 'sent',
        next_attempt_at: 0,
        claimed_by: null,
        claimed_at: null,
        sent_at: at + 1,
      })
      .execute()
  }

  const rowsOf = (html: string) =>
    html.slice(html.indexOf('<tbody'), html.indexOf('</tbody>')).split('<tr').slice(1)

  test('the log shows pings of every kind and status changes, not notifications, by default', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'job' })
    await addPings(check, ['start', 'success', 'fail', 'log', 'ign'])
    await addFlipAndNotification(check, ctx.clock.now() - 30 * 60_000)
    await t().logIn()
    const r = await t().browser.get(`/checks/${check.code}/log/`)
    assert.equal(r.statusCode, 200)
    const rows = rowsOf(r.body)
    assert.equal(rows.length, 6)
    assert.match(rows[0], /Status changed from <strong>up<\/strong> to <strong>down<\/strong>/)
    assert.match(rows[1], />#5<\/a> Ignored/)
    assert.match(rows[5], />#1<\/a> Started/)
    assert.doesNotMatch(r.body, /notification via/)
    assert.match(r.body, /<h2 id="events">6 events<\/h2>/)
    for (const k of ['success', 'fail', 'start', 'log', 'ign', 'flip']) {
      assert.match(r.body, new RegExp(`name="kind" value="${k}" checked`), k)
    }
    assert.doesNotMatch(r.body, /name="kind" value="notification" checked/)
    assert.match(
      r.body,
      /<label class="inline">From <input type="date" name="from" value\/><\/label>/,
    )
  })

  test('kind checkboxes narrow the log to those kinds', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project)
    await addPings(check, ['start', 'success', 'fail', 'success'])
    await addFlipAndNotification(check, ctx.clock.now() - 30 * 60_000)
    await t().logIn()
    const only = async (query: string) =>
      rowsOf((await t().browser.get(`/checks/${check.code}/log/?filtered=1&${query}`)).body)
    const fails = await only('kind=fail')
    assert.equal(fails.length, 1)
    assert.match(fails[0], />#3<\/a> Failure/)
    const notes = await only('kind=notification')
    assert.equal(notes.length, 1)
    assert.match(notes[0], /Sent a “down” notification via webhook \(webhook\): sent/)
    assert.equal((await only('kind=success&kind=flip')).length, 3)
    assert.equal((await only('')).length, 0, 'nothing ticked shows nothing')
  })

  test('the date range keeps events from the start of “from” to the end of “to” in the viewer’s zone', async () => {
    const { ctx, project, alice } = t()
    const check = await buildCheck(ctx, project)
    const now = ctx.clock.now() // 2026-01-15 12:00 UTC
    const at = (iso: string) => Date.parse(iso)
    const times = [
      at('2026-01-12T22:30:00Z'), // 13 Jan 00:30 in Riga (UTC+2)
      at('2026-01-13T21:59:00Z'), // 13 Jan 23:59 in Riga
      at('2026-01-13T22:00:00Z'), // 14 Jan 00:00 in Riga
    ]
    await ctx.db.kysely
      .insertInto('pings')
      .values(
        times.map((created, i) => ({
          check_id: check.id,
          n: i + 1,
          created,
          kind: 'success' as const,
          scheme: 'http',
          remote_addr: null,
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
      .set({ n_pings: 3 })
      .where('id', '=', check.id)
      .execute()
    await ctx.db.kysely
      .updateTable('users')
      .set({ tz: 'Europe/Riga' })
      .where('id', '=', alice.id)
      .execute()
    assert.ok(now > times[2])
    await t().logIn()
    const r = await t().browser.get(`/checks/${check.code}/log/?from=2026-01-13&to=2026-01-13`)
    assert.equal(r.statusCode, 200)
    const rows = rowsOf(r.body)
    assert.deepEqual(
      rows.map((row) => />#(\d+)<\/a>/.exec(row)?.[1]),
      ['2', '1'],
    )
    assert.match(r.body, /Dates \(in Europe\/Riga\)/)
    assert.match(r.body, /name="from" value="2026-01-13"/)
    const from = rowsOf((await t().browser.get(`/checks/${check.code}/log/?from=2026-01-14`)).body)
    assert.deepEqual(
      from.map((row) => />#(\d+)<\/a>/.exec(row)?.[1]),
      ['3'],
    )
  })

  test('bad filters answer 400 with the reason', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project)
    await t().logIn()
    for (const [query, reason] of [
      ['kind=bogus', /Unknown event kind “bogus”/],
      ['kind=%3Cscript%3E', /Unknown event kind “&lt;script>”/],
      ['from=yesterday', /“From” must be a date/],
      ['to=2026-02-30', /“To” must be a date/],
      ['from=2026-01-14&to=2026-01-13', /“From” must not be after “To”/],
    ] as const) {
      const r = await t().browser.get(`/checks/${check.code}/log/?${query}`)
      assert.equal(r.statusCode, 400, query)
      assert.match(r.body, reason)
    }
  })

  test('the log pages by 100 and its pager keeps the filters', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project)
    await ctx.db.kysely
      .updateTable('projects')
      .set({ ping_log_limit: 1000 })
      .where('id', '=', project.id)
      .execute()
    await addPings(
      check,
      Array.from({ length: 250 }, (_, i) => (i % 2 === 0 ? 'success' : 'log')),
    )
    await t().logIn()
    const first = await t().browser.get(`/checks/${check.code}/log/?filtered=1&kind=success`)
    assert.match(first.body, /125 events/)
    assert.match(first.body, /Page 1 of 2/)
    assert.match(first.body, /href="\?filtered=1&amp;kind=success&amp;page=2">Older events/)
    const second = await t().browser.get(
      `/checks/${check.code}/log/?filtered=1&kind=success&page=2`,
    )
    const rows = rowsOf(second.body)
    assert.equal(rows.length, 25)
    assert.match(rows[24], />#1<\/a> OK/)
    assert.match(second.body, /Page 2 of 2/)
  })

  test('the log escapes what pings carry', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: '<i>job</i>' })
    await addPings(check, ['success'], '<script>alert(1)</script>')
    await ctx.db.kysely
      .updateTable('pings')
      .set({ body: Buffer.from('<img src=x onerror=alert(2)>') })
      .execute()
    await t().logIn()
    const r = await t().browser.get(`/checks/${check.code}/log/`)
    assert.equal(r.statusCode, 200)
    assert.doesNotMatch(r.body, /<script>alert|<img src=x|<i>job/)
    assert.match(r.body, /&lt;script>alert\(1\)&lt;\/script>/)
    assert.match(r.body, /&lt;img src=x onerror=alert\(2\)>/)
  })

  test('/checks/<uuid>/log redirects to the log page with its query; strangers get 404', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project)
    await t().logIn()
    const r = await t().browser.get(`/checks/${check.code}/log?kind=fail&filtered=1`)
    assert.equal(r.statusCode, 301)
    assert.equal(r.headers.location, `/checks/${check.code}/log/?kind=fail&filtered=1`)
    t().browser.cookies.clear()
    await t().logIn('bob@example.org')
    for (const path of [
      `/checks/${check.code}/log/`,
      '/checks/not-a-uuid/log/',
      `/checks/${check.code}/events.json?after=0-0-0`,
    ]) {
      assert.equal((await t().browser.get(path)).statusCode, 404, path)
    }
  })

  test('events.json returns only the events after the cursor, as rows, and a new cursor', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project)
    await addPings(check, ['success', 'success'])
    await t().logIn()
    const details = await t().browser.get(`/checks/${check.code}/details/`)
    const live = /data-events-url="([^"]+)" data-cursor="([^"]+)"/.exec(details.body)
    assert.ok(live, 'the details page names its live endpoint and cursor')
    const url = live[1].replaceAll('&amp;', '&')
    const cursor = live[2]
    const idle = await t().browser.get(`${url}&after=${cursor}`)
    assert.equal(idle.statusCode, 200)
    assert.deepEqual(idle.json(), { rows: [], cursor })

    const r = await t().app.inject({
      method: 'POST',
      url: `/ping/${check.code}/fail`,
      payload: '<b>oops</b>',
      headers: { 'content-type': 'text/plain', 'user-agent': 'agent <x>' },
    })
    assert.equal(r.statusCode, 200)
    const fresh = await t().browser.get(`${url}&after=${cursor}`)
    const data = fresh.json()
    assert.equal(data.rows.length, 2, 'the ping and the flip it caused')
    // Newest first; at the same instant the ping is listed above the flip it caused.
    assert.equal(data.rows[0].class, 'event-ping ping-fail')
    assert.equal(data.rows[1].class, 'event-flip')
    assert.deepEqual(data.rows[0].cells[1].parts, [
      { href: `/checks/${check.code}/pings/3/`, text: '#3' },
      ' Failure',
    ])
    assert.deepEqual(data.rows[0].cells[4].parts, ['agent <x>'])
    assert.deepEqual(data.rows[0].cells[5].parts, ['<b>oops</b>'])
    assert.notEqual(data.cursor, cursor)
    const after = await t().browser.get(`${url}&after=${data.cursor}`)
    assert.deepEqual(after.json().rows, [])
  })

  test('events.json applies the kind filter and refuses bad input', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project)
    await t().logIn()
    const r = await t().app.inject({ method: 'GET', url: `/ping/${check.code}/fail` })
    assert.equal(r.statusCode, 200)
    const onlyFlips = await t().browser.get(
      `/checks/${check.code}/events.json?filtered=1&kind=flip&after=0-0-0`,
    )
    assert.deepEqual(
      onlyFlips.json().rows.map((row: { class: string }) => row.class),
      ['event-flip'],
    )
    const far = '999999999999999-999999999999999-999999999999999'
    const beyond = await t().browser.get(`/checks/${check.code}/events.json?after=${far}`)
    assert.deepEqual(beyond.json(), { rows: [], cursor: far })
    for (const q of [
      '',
      'after=abc',
      'after=1-2',
      'after=1234567890123456-0-0',
      'after=0-0-0&kind=nope',
    ]) {
      const bad = await t().browser.get(`/checks/${check.code}/events.json?${q}`)
      assert.equal(bad.statusCode, 400, q)
      assert.equal(typeof bad.json().error, 'string')
    }
    t().browser.cookies.clear()
    const anonymous = await t().browser.get(`/checks/${check.code}/events.json?after=0-0-0`)
    assert.equal(anonymous.statusCode, 403)
  })
})
