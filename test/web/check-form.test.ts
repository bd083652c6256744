import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { checkForm, useCheckFormTest } from './check-form-harness.js'
import { csrfFrom } from './form-client.js'

const MINUTE = 60_000

/** The shared form with tags and a description, plus `fields`. */
const form = (fields: Record<string, string> = {}) =>
  checkForm({ tags: 'prod  backups ', desc: 'Dumps the database', ...fields })

describeEachDatabase('web add and edit a check', (dialect) => {
  const { t, addUrl, checksOf } = useCheckFormTest(dialect)

  test('the add form labels every field and previews the default schedule', async () => {
    await t().logIn()
    const r = await t().browser.get(addUrl())
    assert.equal(r.statusCode, 200)
    for (const id of [
      'name',
      'slug',
      'tags',
      'desc',
      'timeout_value',
      'grace_value',
      'schedule',
      'tz',
      'methods',
    ]) {
      assert.match(r.body, new RegExp(`<label for="${id}">`), id)
      assert.match(r.body, new RegExp(`id="${id}"`), id)
    }
    assert.match(r.body, /Next expected pings/)
    assert.match(r.body, /16 Jan 2026, 12:00:00 UTC/)
  })

  test('adding a check saves it with every project channel and opens its details', async () => {
    const { ctx, project } = t()
    const webhook = await buildChannel(ctx, project, 'webhook', {
      url_down: 'https://example.org/',
    })
    await t().logIn()
    const r = await t().submit(addUrl(), addUrl(), form())
    assert.equal(r.statusCode, 303)
    const [check] = await checksOf()
    assert.equal(r.headers.location, `/checks/${check.code}/details/`)
    assert.equal(check.name, 'Nightly backup')
    assert.equal(check.slug, 'nightly-backup')
    assert.equal(check.tags, 'prod backups')
    assert.equal(check.kind, 'simple')
    assert.equal(check.timeout, 86_400)
    assert.equal(check.grace, 3600)
    assert.equal(check.status, 'new')
    const links = await ctx.db.kysely
      .selectFrom('check_channels')
      .select('channel_id')
      .where('check_id', '=', check.id)
      .execute()
    assert.equal(links.length, 2, 'the owner email channel and the webhook')
    assert.ok(links.some((l) => l.channel_id === webhook.id))
  })

  test('adding a cron check stores the expression, zone and advanced rules', async () => {
    await t().logIn()
    const r = await t().submit(
      addUrl(),
      addUrl(),
      form({
        kind: 'cron',
        schedule: '30 2 * * 1-5',
        tz: 'Europe/Berlin',
        methods: 'POST',
        success_kw: 'OK',
        filter_body: '1',
        manual_resume: '1',
      }),
    )
    assert.equal(r.statusCode, 303)
    const [check] = await checksOf()
    assert.equal(check.kind, 'cron')
    assert.equal(check.schedule, '30 2 * * 1-5')
    assert.equal(check.tz, 'Europe/Berlin')
    assert.equal(check.methods, 'POST')
    assert.equal(check.success_kw, 'OK')
    assert.equal(check.filter_body, 1)
    assert.equal(check.manual_resume, 1)
  })

  test('an invalid cron expression is explained next to the field and nothing is saved', async () => {
    await t().logIn()
    for (const [fields, message] of [
      [{ kind: 'cron', schedule: '61 * * * *' }, /not a valid cron expression/],
      [{ kind: 'cron', schedule: '* * *' }, /exactly five fields/],
      [{ kind: 'cron', schedule: '0 5 * * *', tz: 'Mars/Olympus' }, /Choose a time zone/],
      [{ kind: 'oncalendar', schedule: 'Mon..Fri 25:00' }, /not a valid OnCalendar expression/],
      [{ timeout_value: '0.5', timeout_unit: 'minutes' }, /at least 1 minute/],
      [{ grace_value: 'soon' }, /grace time as a number/],
      [{ slug: 'Not A Slug' }, /lowercase letters/],
      [{ name: 'x'.repeat(101) }, /name is too long/],
    ] as const) {
      const r = await t().submit(addUrl(), addUrl(), form(fields as Record<string, string>))
      assert.equal(r.statusCode, 400, JSON.stringify(fields))
      assert.match(r.body, message)
      assert.match(r.body, /aria-invalid="true"/)
    }
    assert.equal((await checksOf()).length, 0)
  })

  test('preview without JavaScript shows the next runs in the check zone and the viewer zone, across DST', async () => {
    const { ctx } = t()
    ctx.clock.set('2026-03-25T12:00:00Z')
    await t().logIn()
    const r = await t().submit(
      addUrl(),
      addUrl(),
      form({ kind: 'cron', schedule: '30 9 * * *', tz: 'Europe/Berlin', action: 'preview' }),
    )
    assert.equal(r.statusCode, 200)
    assert.equal((await checksOf()).length, 0, 'a preview saves nothing')
    assert.match(r.body, /In Europe\/Berlin/)
    assert.match(r.body, /28 Mar 2026, 09:30:00 CET<\/td><td>28 Mar 2026, 08:30:00 UTC/)
    assert.match(r.body, /29 Mar 2026, 09:30:00 CEST<\/td><td>29 Mar 2026, 07:30:00 UTC/)
    assert.match(r.body, /value="30 9 \* \* \*"|>30 9 \* \* \*</)
  })

  test('schedule-preview.json answers runs or a clear error', async () => {
    await t().logIn()
    let r = await t().browser.get(
      '/checks/schedule-preview.json?kind=cron&schedule=0%205%20*%20*%20*&tz=Asia%2FTokyo',
    )
    assert.equal(r.statusCode, 200)
    let data = r.json()
    assert.equal(data.ok, true)
    assert.equal(data.runs.length, 5)
    assert.equal(data.runs[0].checkZone, '16 Jan 2026, 05:00:00 GMT+9')
    assert.equal(data.runs[0].viewerZone, '15 Jan 2026, 20:00:00 UTC')
    r = await t().browser.get('/checks/schedule-preview.json?kind=cron&schedule=nope&tz=UTC')
    data = r.json()
    assert.equal(data.ok, false)
    assert.match(data.error, /five fields/)
  })

  test('schedule-preview.json refuses anonymous visitors', async () => {
    const r = await t().browser.get('/checks/schedule-preview.json?kind=cron&schedule=*&tz=UTC')
    assert.equal(r.statusCode, 403)
  })

  test('editing saves the changes and keeps the channels', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'old', slug: 'old' })
    await t().logIn()
    const edit = `/checks/${check.code}/edit`
    const page = await t().browser.get(edit)
    assert.match(page.body, /value="old"/)
    const r = await t().browser.post(edit, {
      csrf: csrfFrom(page.body),
      ...form({
        name: 'new name',
        slug: 'new-slug',
        kind: 'oncalendar',
        schedule: 'Mon..Fri 08:00',
        tz: 'Europe/Riga',
      }),
    })
    assert.equal(r.statusCode, 303)
    const saved = await ctx.db.kysely
      .selectFrom('checks')
      .selectAll()
      .where('id', '=', check.id)
      .executeTakeFirstOrThrow()
    assert.equal(saved.name, 'new name')
    assert.equal(saved.slug, 'new-slug')
    assert.equal(saved.kind, 'oncalendar')
    assert.equal(saved.schedule, 'Mon..Fri 08:00')
    assert.equal(saved.tz, 'Europe/Riga')
  })

  test('a schedule change that makes an up check overdue flips it down silently', async () => {
    const { ctx, project } = t()
    const now = ctx.clock.now()
    const check = await buildCheck(ctx, project, {
      status: 'up',
      last_ping: now - 30 * MINUTE,
      timeout: 3600,
      grace: 600,
      alert_after: now + 40 * MINUTE,
    })
    await t().logIn()
    const r = await t().submit(
      `/checks/${check.code}/edit`,
      `/checks/${check.code}/edit`,
      form({
        timeout_value: '10',
        timeout_unit: 'minutes',
        grace_value: '5',
        grace_unit: 'minutes',
      }),
    )
    assert.equal(r.statusCode, 303)
    const saved = await ctx.db.kysely
      .selectFrom('checks')
      .selectAll()
      .where('id', '=', check.id)
      .executeTakeFirstOrThrow()
    assert.equal(saved.status, 'down')
    assert.equal(saved.alert_after, null)
    const flips = await ctx.db.kysely
      .selectFrom('flips')
      .selectAll()
      .where('check_id', '=', check.id)
      .execute()
    assert.equal(flips.length, 1)
    assert.equal(flips[0].new_status, 'down')
    assert.equal(flips[0].processed, now, 'processed: the worker sends no alert')
  })

  test('a name change leaves an overdue up check to the worker', async () => {
    const { ctx, project } = t()
    const now = ctx.clock.now()
    const check = await buildCheck(ctx, project, {
      name: 'a',
      status: 'up',
      last_ping: now - 2 * 3_600_000,
      timeout: 3600,
      grace: 600,
      alert_after: now - 50 * MINUTE,
    })
    await t().logIn()
    await t().submit(
      `/checks/${check.code}/edit`,
      `/checks/${check.code}/edit`,
      form({
        name: 'b',
        timeout_value: '1',
        timeout_unit: 'hours',
        grace_value: '10',
        grace_unit: 'minutes',
      }),
    )
    const saved = await ctx.db.kysely
      .selectFrom('checks')
      .selectAll()
      .where('id', '=', check.id)
      .executeTakeFirstOrThrow()
    assert.equal(saved.name, 'b')
    assert.equal(saved.status, 'up')
  })

  test('pause and resume go through the management use cases', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { status: 'up', last_ping: ctx.clock.now() })
    await t().logIn()
    const details = `/checks/${check.code}/details/`
    let r = await t().submit(details, `/checks/${check.code}/pause/`, {})
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, details)
    let saved = await ctx.db.kysely
      .selectFrom('checks')
      .selectAll()
      .where('id', '=', check.id)
      .executeTakeFirstOrThrow()
    assert.equal(saved.status, 'paused')
    r = await t().submit(details, `/checks/${check.code}/resume/`, {})
    assert.equal(r.statusCode, 303)
    saved = await ctx.db.kysely
      .selectFrom('checks')
      .selectAll()
      .where('id', '=', check.id)
      .executeTakeFirstOrThrow()
    assert.equal(saved.status, 'new')
    r = await t().submit(details, `/checks/${check.code}/resume/`, {})
    assert.equal(r.statusCode, 400, 'resuming a check that is not paused')
  })

  test('delete asks for confirmation, then removes the check', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'doomed' })
    await t().logIn()
    const confirm = await t().browser.get(`/checks/${check.code}/remove/`)
    assert.equal(confirm.statusCode, 200)
    assert.match(confirm.body, /Delete “doomed”\?/)
    assert.equal((await checksOf()).length, 1, 'the confirmation page deletes nothing')
    const r = await t().browser.post(`/checks/${check.code}/remove/`, {
      csrf: csrfFrom(confirm.body),
    })
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, `/projects/${project.code}/checks/`)
    assert.equal((await checksOf()).length, 0)
  })

  test('every action refuses a missing CSRF token', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'kept' })
    await t().logIn()
    for (const action of [
      addUrl(),
      `/checks/${check.code}/edit`,
      `/checks/${check.code}/pause/`,
      `/checks/${check.code}/remove/`,
    ]) {
      const r = await t().browser.post(action, form())
      assert.equal(r.statusCode, 403, action)
    }
    const rows = await checksOf()
    assert.equal(rows.length, 1)
    assert.equal(rows[0].status, 'new')
  })

  test('another user’s project and check are not found, for pages and actions alike', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'alices' })
    await t().logIn('bob@example.org')
    const bobsPage = await t().browser.get(`/projects/${t().bobsProject.code}/checks/add`)
    const csrf = csrfFrom(bobsPage.body)
    for (const path of [addUrl(), `/checks/${check.code}/edit`, `/checks/${check.code}/remove/`]) {
      assert.equal((await t().browser.get(path)).statusCode, 404, `GET ${path}`)
    }
    for (const path of [
      addUrl(),
      `/checks/${check.code}/edit`,
      `/checks/${check.code}/pause/`,
      `/checks/${check.code}/resume/`,
      `/checks/${check.code}/remove/`,
    ]) {
      assert.equal(
        (await t().browser.post(path, { csrf, ...form() })).statusCode,
        404,
        `POST ${path}`,
      )
    }
    const rows = await checksOf()
    assert.equal(rows.length, 1)
    assert.equal(rows[0].name, 'alices')
    assert.equal(rows[0].status, 'new')
  })

  test('hostile and Unicode input is stored as typed and shown escaped', async () => {
    const { ctx } = t()
    await t().logIn()
    const name = '<script>alert("x")</script> Ünïcødé ✓ 𝄞'
    const r = await t().submit(
      addUrl(),
      addUrl(),
      form({ name, tags: '<b>bold</b>', desc: '"><img src=x>' }),
    )
    assert.equal(r.statusCode, 303)
    const [check] = await checksOf()
    assert.equal(check.name, name)
    const details = await t().browser.get(`/checks/${check.code}/details/`)
    assert.equal(details.statusCode, 200)
    assert.doesNotMatch(details.body, /<script>alert|<b>bold|<img src=x>/)
    const edit = await t().browser.get(`/checks/${check.code}/edit`)
    assert.ok(edit.body.includes('value="&lt;script>alert(&quot;x&quot;)&lt;/script> Ünïcødé ✓ 𝄞"'))
    const nul = await t().submit(addUrl(), addUrl(), form({ name: 'a\u0000b' }))
    assert.equal(nul.statusCode, 400)
    void ctx
  })
})
