/**
 * Status pages through the web: members create, edit and delete them and post notes; read-only
 * members and strangers cannot; the public page, its JSON and its Atom feed show public names
 * only, private pages need their token, misses are rate-limited and output is cached.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { MemberRole } from '../../src/db/index.js'
import { buildCheck, buildUser } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { csrfFrom, type FormClient } from './form-client.js'
import { PASSWORD, useMonitoringTest } from './monitoring-harness.js'

const HOUR = 3_600_000

describeEachDatabase('status pages', (dialect) => {
  const t = useMonitoringTest(dialect)
  const base = () => `/projects/${t().project.code}/status-pages/`

  /** Posts a form with repeated fields (`check` may be several). */
  async function postForm(
    client: FormClient,
    pageUrl: string,
    action: string,
    fields: [string, string][],
  ) {
    const page = await client.get(pageUrl)
    assert.equal(page.statusCode, 200, `GET ${pageUrl}`)
    const body = new URLSearchParams([['csrf', csrfFrom(page.body)], ...fields])
    return t().app.inject({
      method: 'POST',
      url: action,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      cookies: Object.fromEntries(client.cookies),
      payload: body.toString(),
    })
  }

  async function addMember(email: string, role: MemberRole) {
    const { ctx, project, alice } = t()
    const user = await buildUser(ctx, email, PASSWORD)
    await ctx.db.kysely
      .insertInto('members')
      .values({ project_id: project.id, user_id: user.id, role, created: 0, invited_by: alice.id })
      .execute()
  }

  /** A public page "acme" listing `nightly` as "Nightly backup" and the checks tagged `web`. */
  async function createAcme(fields: [string, string][] = []) {
    const { ctx, project } = t()
    const nightly = await buildCheck(ctx, project, {
      name: 'nightly',
      status: 'up',
      last_ping: ctx.clock.now(),
    })
    const site = await buildCheck(ctx, project, {
      name: 'site-probe',
      tags: 'web prod',
      status: 'down',
    })
    await buildCheck(ctx, project, { name: 'internal-secret-job', tags: 'internal' })
    await t().logIn()
    const visibility = fields.find(([name]) => name === 'visibility')?.[1] ?? 'public'
    const r = await postForm(t().browser, `${base()}new`, `${base()}new`, [
      ['title', 'Acme services'],
      ['slug', 'acme'],
      ['description', 'Jobs that keep Acme running.'],
      ['visibility', visibility],
      ['tags', 'web'],
      ['check', nightly.code],
      [`public_name_${nightly.code}`, 'Nightly backup'],
      ...fields.filter(([name]) => name !== 'visibility'),
    ])
    const page = await ctx.db.kysely.selectFrom('status_pages').selectAll().executeTakeFirst()
    return { r, nightly, site, page }
  }

  function pageRows() {
    return t().ctx.db.kysely.selectFrom('status_pages').selectAll().execute()
  }

  test('a member creates a public page: it lists the chosen check by its public name and the tag checks', async () => {
    const { r, nightly, site, page } = await createAcme()
    assert.ok(page)
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, `${base()}${page.code}/?done=created`)
    assert.match(
      (await t().browser.get(String(r.headers.location))).body,
      /The status page was created/,
    )
    assert.equal(page.token_hash, null)
    const list = await t().browser.get(base())
    assert.match(list.body, /Acme services/)
    assert.match(list.body, /href="\/status\/acme"/)
    assert.match(list.body, /aria-current="page">Status pages</)
    const pub = await t().app.inject({ method: 'GET', url: '/status/acme' })
    assert.equal(pub.statusCode, 200)
    assert.match(pub.headers['content-type'] as string, /text\/html/)
    assert.match(pub.headers['cache-control'] as string, /^public, max-age=15$/)
    assert.match(pub.body, /Nightly backup/)
    assert.match(pub.body, /site-probe/)
    assert.match(pub.body, /Some systems are down/)
    assert.match(pub.body, /<svg class="uptime-strip"/)
    // Both checks are new today: 89 days without data, then today up (nightly) or down.
    assert.equal(
      (pub.body.match(/<path d="M0 0h355v20h-355z" class="day-nodata"/g) ?? []).length,
      2,
    )
    assert.match(pub.body, /<path d="M356 0h3v20h-3z" class="day-up"/)
    assert.match(
      pub.body,
      /<rect x="356" y="0" width="3" height="20" class="day-down"><title>2026-01-15: down/,
    )
    for (const hidden of [nightly.code, site.code, 'internal-secret-job', 'hc-ping', '<script'])
      assert.ok(!pub.body.includes(hidden), `the public page must not show ${hidden}`)
  })

  test('bad input is refused with a message and creates nothing; slugs are unique across projects', async () => {
    const { ctx, bobsProject } = t()
    await t().logIn()
    let r = await postForm(t().browser, `${base()}new`, `${base()}new`, [
      ['title', 'X'],
      ['slug', 'Not A Slug!'],
    ])
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /lower-case letters, digits and hyphens/)
    r = await postForm(t().browser, `${base()}new`, `${base()}new`, [
      ['title', ''],
      ['slug', 'ok'],
    ])
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /title needs 1 to 100/)
    assert.deepEqual(await pageRows(), [])
    await ctx.db.kysely
      .insertInto('status_pages')
      .values({
        code: crypto.randomUUID(),
        project_id: bobsProject.id,
        slug: 'taken',
        title: 'Bob',
        created: 0,
        updated: 0,
      })
      .execute()
    r = await postForm(t().browser, `${base()}new`, `${base()}new`, [
      ['title', 'Mine'],
      ['slug', 'taken'],
    ])
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /Another status page has this address/)
    assert.equal((await pageRows()).length, 1)
  })

  test('a check of another project cannot be put on a page', async () => {
    const { ctx, bobsProject } = t()
    const bobs = await buildCheck(ctx, bobsProject, { name: 'bobs-job' })
    await t().logIn()
    const r = await postForm(t().browser, `${base()}new`, `${base()}new`, [
      ['title', 'T'],
      ['slug', 'mixed'],
      ['check', bobs.code],
      [`public_name_${bobs.code}`, 'Stolen'],
    ])
    assert.equal(r.statusCode, 303)
    assert.deepEqual(await ctx.db.kysely.selectFrom('status_page_checks').selectAll().execute(), [])
    const pub = await t().app.inject({ method: 'GET', url: '/status/mixed' })
    assert.doesNotMatch(pub.body, /Stolen|bobs-job/)
  })

  test('editing renames and moves the page at once; deleting removes it', async () => {
    const { page } = await createAcme()
    assert.ok(page)
    const edit = `${base()}${page.code}/`
    assert.equal((await t().app.inject({ method: 'GET', url: '/status/acme' })).statusCode, 200)
    let r = await postForm(t().browser, edit, edit, [
      ['title', 'Acme status'],
      ['slug', 'acme-status'],
      ['visibility', 'public'],
    ])
    assert.equal(r.statusCode, 303)
    assert.match((await t().browser.get(edit + '?done=saved')).body, /The status page was saved/)
    assert.equal((await t().app.inject({ method: 'GET', url: '/status/acme' })).statusCode, 404)
    const moved = await t().app.inject({ method: 'GET', url: '/status/acme-status' })
    assert.match(moved.body, /Acme status/)
    assert.doesNotMatch(moved.body, /Nightly backup/, 'no check was chosen this time')
    r = await postForm(t().browser, edit, `${edit}delete`, [])
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, base())
    assert.deepEqual(await pageRows(), [])
    assert.equal(
      (await t().app.inject({ method: 'GET', url: '/status/acme-status' })).statusCode,
      404,
    )
  })

  test('a read-only member may look but not create, edit, delete or post notes', async () => {
    const { page } = await createAcme()
    assert.ok(page)
    const before = JSON.stringify(await pageRows())
    await addMember('carol@example.org', 'r')
    await t().browser.post('/logout', { csrf: csrfFrom((await t().browser.get(base())).body) })
    await t().logIn('carol@example.org')
    const list = await t().browser.get(base())
    assert.equal(list.statusCode, 200)
    assert.doesNotMatch(list.body, /New status page/)
    const edit = `${base()}${page.code}/`
    const view = await t().browser.get(edit)
    assert.equal(view.statusCode, 200)
    assert.match(view.body, /<fieldset disabled>/)
    assert.doesNotMatch(view.body, /Delete status page|Post note/)
    assert.equal((await t().browser.get(`${base()}new`)).statusCode, 403)
    for (const action of [
      'new',
      `${page.code}/`,
      `${page.code}/delete`,
      `${page.code}/token`,
      `${page.code}/notes`,
    ]) {
      const r = await postForm(t().browser, edit, `${base()}${action}`, [
        ['title', 'Hacked'],
        ['slug', 'hacked'],
        ['state', 'resolved'],
        ['body', 'x'],
      ])
      assert.equal(r.statusCode, 403, action)
      assert.match(r.body, /read-only access/)
    }
    assert.equal(JSON.stringify(await pageRows()), before)
    assert.deepEqual(
      await t().ctx.db.kysely.selectFrom('status_page_notes').selectAll().execute(),
      [],
    )
  })

  test('a stranger gets 404 from the management pages, and a page of another project is not found', async () => {
    const { page } = await createAcme()
    assert.ok(page)
    const { bobsProject } = t()
    await t().browser.post('/logout', { csrf: csrfFrom((await t().browser.get(base())).body) })
    await t().logIn('bob@example.org')
    for (const url of [base(), `${base()}new`, `${base()}${page.code}/`])
      assert.equal((await t().browser.get(url)).statusCode, 404, url)
    // Bob's own project, Alice's page code: not his.
    const own = `/projects/${bobsProject.code}/status-pages/`
    assert.equal((await t().browser.get(`${own}${page.code}/`)).statusCode, 404)
    const r = await postForm(t().browser, own, `${own}${page.code}/delete`, [])
    assert.equal(r.statusCode, 404)
    assert.equal((await pageRows()).length, 1)
  })

  test('malformed page addresses and codes are simply not found (a NUL byte reached PostgreSQL)', async () => {
    await createAcme()
    for (const slug of ['%00', 'a%00b', 'ACME', '-acme', 'a'.repeat(65)])
      for (const tail of ['', '/status.json', '/feed.atom']) {
        const url = `/status/${slug}${tail}`
        assert.equal((await t().app.inject({ method: 'GET', url })).statusCode, 404, url)
      }
    for (const code of ['%00', 'not-a-code', `${crypto.randomUUID()}%00`])
      assert.equal((await t().browser.get(`${base()}${code}/`)).statusCode, 404, code)
  })

  test('a private page opens only with its token, which is shown once and stored hashed', async () => {
    const { r, page } = await createAcme([['visibility', 'private']])
    assert.ok(page?.token_hash)
    const token = /\/status\/acme\?token=([A-Za-z0-9_-]{43})"/.exec(r.body)?.[1]
    assert.ok(token, 'the new link is shown')
    assert.ok(!JSON.stringify(page).includes(token), 'only a hash is stored')
    const again = await t().browser.get(`${base()}${page.code}/`)
    assert.ok(!again.body.includes(token), 'shown only once')
    const get = (url: string) => t().app.inject({ method: 'GET', url })
    for (const url of [
      '/status/acme',
      `/status/acme?token=${token.slice(0, -1)}x`,
      '/status/acme/status.json',
      `/status/acme/feed.atom?token=${token.toUpperCase()}`,
    ])
      assert.equal((await get(url)).statusCode, 404, url)
    const ok = await get(`/status/acme?token=${token}`)
    assert.equal(ok.statusCode, 200)
    assert.equal(ok.headers['cache-control'], 'private, no-store')
    assert.equal(ok.headers['x-robots-tag'], 'noindex')
    assert.ok(ok.body.includes(`/status/acme/status.json?token=${token}`))
    assert.equal((await get(`/status/acme/status.json?token=${token}`)).statusCode, 200)
    assert.equal((await get(`/status/acme/feed.atom?token=${token}`)).statusCode, 200)
    // A new link replaces the old one at once.
    const renewed = await postForm(
      t().browser,
      `${base()}${page.code}/`,
      `${base()}${page.code}/token`,
      [],
    )
    const next = /\/status\/acme\?token=([A-Za-z0-9_-]{43})"/.exec(renewed.body)?.[1]
    assert.ok(next && next !== token)
    assert.equal((await get(`/status/acme?token=${token}`)).statusCode, 404)
    assert.equal((await get(`/status/acme?token=${next}`)).statusCode, 200)
  })

  test('misses are rate-limited per address with Retry-After', async () => {
    const get = (url: string) => t().app.inject({ method: 'GET', url, remoteAddress: '192.0.2.7' })
    for (let i = 0; i < 30; i++) assert.equal((await get(`/status/guess-${i}`)).statusCode, 404)
    const limited = await get('/status/guess-x')
    assert.equal(limited.statusCode, 429)
    assert.ok(Number(limited.headers['retry-after']) > 0)
    const other = await t().app.inject({
      method: 'GET',
      url: '/status/guess-y',
      remoteAddress: '192.0.2.8',
    })
    assert.equal(other.statusCode, 404)
  })

  test('the JSON lists states, a 90-day strip, uptime, incidents from flips and notes', async () => {
    const { ctx } = t()
    const { page, site } = await createAcme()
    assert.ok(page)
    const now = ctx.clock.now()
    await ctx.db.kysely
      .insertInto('flips')
      .values([
        {
          check_id: site.id,
          created: now - 5 * HOUR,
          processed: now,
          old_status: 'up',
          new_status: 'down',
          reason: 'timeout',
        },
      ])
      .execute()
    const edit = `${base()}${page.code}/`
    let r = await postForm(t().browser, edit, `${edit}notes`, [
      ['title', 'Probe <flaky> & slow'],
      ['state', 'investigating'],
      ['body', 'Looking into it.'],
    ])
    assert.equal(r.statusCode, 303)
    const note = await ctx.db.kysely
      .selectFrom('status_page_notes')
      .selectAll()
      .executeTakeFirstOrThrow()
    ctx.clock.advance(60_000)
    r = await postForm(t().browser, edit, `${edit}notes/${note.id}`, [
      ['state', 'resolved'],
      ['body', 'Fixed.'],
    ])
    assert.equal(r.statusCode, 303)
    r = await postForm(t().browser, edit, `${edit}notes/${note.id}`, [
      ['state', 'bogus'],
      ['body', 'x'],
    ])
    assert.equal(r.statusCode, 400)
    r = await postForm(t().browser, edit, `${edit}notes/99999`, [
      ['state', 'resolved'],
      ['body', 'x'],
    ])
    assert.equal(r.statusCode, 404)
    const json = await t().app.inject({ method: 'GET', url: '/status/acme/status.json' })
    assert.equal(json.statusCode, 200)
    assert.match(json.headers['content-type'] as string, /^application\/json/)
    const body = JSON.parse(json.body)
    assert.equal(body.title, 'Acme services')
    assert.equal(body.status, 'outage')
    assert.deepEqual(
      body.checks.map((c: { name: string; status: string }) => [c.name, c.status]),
      [
        ['Nightly backup', 'up'],
        ['site-probe', 'down'],
      ],
    )
    assert.equal(body.checks[0].days.length, 90)
    assert.deepEqual(body.checks[0].days[89], { date: '2026-01-15', status: 'up', downtime_s: 0 })
    assert.equal(body.checks[1].days[89].status, 'down')
    assert.equal(body.checks[1].days[89].downtime_s, 5 * 3600 + 60)
    assert.deepEqual(body.incidents, [
      {
        name: 'site-probe',
        started: '2026-01-15T07:00:00Z',
        started_before_window: false,
        ended: null,
      },
    ])
    assert.equal(body.notes[0].title, 'Probe <flaky> & slow')
    assert.equal(body.notes[0].state, 'resolved')
    assert.deepEqual(
      body.notes[0].updates.map((u: { state: string; text: string }) => [u.state, u.text]),
      [
        ['investigating', 'Looking into it.'],
        ['resolved', 'Fixed.'],
      ],
    )
    assert.ok(!json.body.includes(site.code))
    // Deleting the note takes its updates with it, and the page shows it at once.
    r = await postForm(t().browser, edit, `${edit}notes/${note.id}/delete`, [])
    assert.equal(r.statusCode, 303)
    assert.deepEqual(
      await ctx.db.kysely.selectFrom('status_page_note_updates').selectAll().execute(),
      [],
    )
    const after = await t().app.inject({ method: 'GET', url: '/status/acme/status.json' })
    assert.deepEqual(JSON.parse(after.body).notes, [])
  })

  test('the Atom feed has an entry per note and per incident, escaped', async () => {
    const { ctx } = t()
    const { page, site } = await createAcme()
    assert.ok(page)
    const now = ctx.clock.now()
    await ctx.db.kysely
      .insertInto('flips')
      .values([
        {
          check_id: site.id,
          created: now - 3 * HOUR,
          processed: now,
          old_status: 'up',
          new_status: 'down',
          reason: '',
        },
      ])
      .execute()
    const edit = `${base()}${page.code}/`
    await postForm(t().browser, edit, `${edit}notes`, [
      ['title', 'Probe <flaky> & "slow"'],
      ['state', 'identified'],
      ['body', 'A & B'],
    ])
    const r = await t().app.inject({ method: 'GET', url: '/status/acme/feed.atom' })
    assert.equal(r.statusCode, 200)
    assert.match(r.headers['content-type'] as string, /^application\/atom\+xml/)
    assert.match(
      r.body,
      /^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/,
    )
    assert.equal((r.body.match(/<entry>/g) ?? []).length, 2)
    assert.match(
      r.body,
      /<title>Probe &lt;flaky&gt; &amp; &quot;slow&quot; \(Identified\)<\/title>/,
    )
    assert.match(r.body, /<title>site-probe is down<\/title>/)
    assert.match(
      r.body,
      /<link rel="self" type="application\/atom\+xml" href="http:\/\/[^"]+\/status\/acme\/feed.atom"\/>/,
    )
    assert.match(r.body, /<updated>2026-01-15T12:00:00Z<\/updated>/)
    const text = r.body.replace(/<[^>]+>/g, '')
    assert.doesNotMatch(
      text,
      /[<>]|&(?!amp;|lt;|gt;|quot;|apos;)/,
      'no unescaped markup characters',
    )
    assert.ok(!r.body.includes(site.code))
  })

  test('output is cached for 15 seconds, and a change through the pages shows at once', async () => {
    const { ctx } = t()
    const { page, site } = await createAcme()
    assert.ok(page)
    const get = () => t().app.inject({ method: 'GET', url: '/status/acme/status.json' })
    const first = JSON.parse((await get()).body)
    assert.equal(first.checks[1].status, 'down')
    // The worker (another process) changes a check: the cached output stands until it expires.
    await ctx.db.kysely
      .updateTable('checks')
      .set({ status: 'up', last_ping: ctx.clock.now() })
      .where('id', '=', site.id)
      .execute()
    ctx.clock.advance(14_000)
    assert.equal(JSON.parse((await get()).body).checks[1].status, 'down')
    ctx.clock.advance(1_000)
    assert.equal(JSON.parse((await get()).body).checks[1].status, 'up')
    const edit = `${base()}${page.code}/`
    await postForm(t().browser, edit, edit, [
      ['title', 'Renamed'],
      ['slug', 'acme'],
      ['tags', 'web'],
    ])
    assert.equal(JSON.parse((await get()).body).title, 'Renamed')
  })
})
