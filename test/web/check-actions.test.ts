import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { MemberRole, Project, User } from '../../src/db/index.js'
import { buildChannel, buildCheck, buildProject } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { csrfFrom } from './form-client.js'
import { useMonitoringTest } from './monitoring-harness.js'

describeEachDatabase('web check actions: clear events, copy, transfer', (dialect) => {
  const t = useMonitoringTest(dialect)

  async function addMember(project: Project, user: User, role: MemberRole) {
    await t()
      .ctx.db.kysely.insertInto('members')
      .values({
        project_id: project.id,
        user_id: user.id,
        role,
        created: t().ctx.clock.now(),
        invited_by: null,
      })
      .execute()
  }

  async function ping(code: string, suffix = '') {
    const r = await t().app.inject({ method: 'GET', url: `/ping/${code}${suffix}` })
    assert.equal(r.statusCode, 200)
  }

  async function count(table: 'pings' | 'flips' | 'notifications', checkId: number) {
    const row = await t()
      .ctx.db.kysely.selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('check_id', '=', checkId)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async function getCheck(code: string) {
    return t()
      .ctx.db.kysely.selectFrom('checks')
      .selectAll()
      .where('code', '=', code)
      .executeTakeFirst()
  }

  async function channelIdsOf(checkId: number) {
    const rows = await t()
      .ctx.db.kysely.selectFrom('check_channels')
      .select('channel_id')
      .where('check_id', '=', checkId)
      .orderBy('channel_id')
      .execute()
    return rows.map((r) => r.channel_id)
  }

  async function checkWithHistory() {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'nightly', slug: 'nightly' })
    const channel = await buildChannel(ctx, project, 'webhook', { url_down: 'https://x.test/' }, [
      check,
    ])
    await ping(check.code, '/start')
    ctx.clock.advance(1000)
    await ping(check.code, '/fail')
    const flip = await ctx.db.kysely
      .selectFrom('flips')
      .select('id')
      .where('check_id', '=', check.id)
      .executeTakeFirstOrThrow()
    await ctx.db.kysely
      .insertInto('notifications')
      .values({
        code: '22222222-2222-4222-8222-222222222222',
        check_id: check.id,
        channel_id: channel.id,
        flip_id: flip.id,
        check_status: 'down',
        created: ctx.clock.now(),
        status: 'sent',
        next_attempt_at: 0,
        claimed_by: null,
        claimed_at: null,
        sent_at: ctx.clock.now(),
      })
      .execute()
    return check
  }

  test('clear events asks first, then deletes pings, flips and notifications and keeps the check', async () => {
    const check = await checkWithHistory()
    await t().logIn()
    const details = await t().browser.get(`/checks/${check.code}/details/`)
    assert.match(details.body, /href="\/checks\/[0-9a-f-]+\/clear_events\/">Clear events…/)
    const confirm = await t().browser.get(`/checks/${check.code}/clear_events/`)
    assert.equal(confirm.statusCode, 200)
    assert.match(confirm.body, /Clear the events of “nightly”\?/)
    const r = await t().browser.post(`/checks/${check.code}/clear_events/`, {
      csrf: csrfFrom(confirm.body),
    })
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, `/checks/${check.code}/details/?cleared=1`)
    assert.equal(await count('pings', check.id), 0)
    assert.equal(await count('flips', check.id), 0)
    assert.equal(await count('notifications', check.id), 0)
    const after = await getCheck(check.code)
    assert.ok(after)
    assert.equal(after.status, 'new')
    assert.equal(after.last_ping, null)
    assert.equal(after.last_start, null)
    assert.equal(after.alert_after, null)
    assert.equal(after.n_pings, 2, 'n_pings keeps counting')
    const page = await t().browser.get(r.headers.location as string)
    assert.match(page.body, /The events were cleared/)
    assert.match(page.body, /No events yet\./)
    // The next ping gets the next number, not #1 again.
    await ping(check.code)
    const again = await t().browser.get(`/checks/${check.code}/details/`)
    assert.match(again.body, />#3<\/a> OK/)
  })

  test('clear events without the CSRF token is refused and deletes nothing', async () => {
    const check = await checkWithHistory()
    await t().logIn()
    const r = await t().browser.post(`/checks/${check.code}/clear_events/`, {})
    assert.equal(r.statusCode, 403)
    assert.equal(await count('pings', check.id), 2)
  })

  test('a read-only member may not clear, copy or transfer; a stranger gets 404', async () => {
    const { ctx, project, bob } = t()
    const check = await checkWithHistory()
    await addMember(project, bob, 'r')
    await t().logIn('bob@example.org')
    const details = await t().browser.get(`/checks/${check.code}/details/`)
    assert.equal(details.statusCode, 200)
    assert.doesNotMatch(details.body, /Danger zone/)
    const csrf = csrfFrom(details.body)
    for (const path of ['clear_events', 'transfer']) {
      const r = await t().browser.get(`/checks/${check.code}/${path}/`)
      assert.equal(r.statusCode, 403, path)
    }
    for (const path of ['clear_events', 'copy', 'transfer']) {
      const r = await t().browser.post(`/checks/${check.code}/${path}/`, {
        csrf,
        project: t().bobsProject.code,
      })
      assert.equal(r.statusCode, 403, path)
    }
    assert.equal(await count('pings', check.id), 2)
    await ctx.db.kysely.deleteFrom('members').execute()
    for (const path of ['clear_events', 'copy', 'transfer']) {
      const r = await t().browser.post(`/checks/${check.code}/${path}/`, { csrf })
      assert.equal(r.statusCode, 404, path)
    }
  })

  test('copy creates “name (copy)” with the slug, schedule, tags and channels, and no history', async () => {
    const { ctx, project } = t()
    const check = await checkWithHistory()
    await ctx.db.kysely
      .updateTable('checks')
      .set({
        tags: 'prod db',
        desc: 'the <b>nightly</b> one',
        kind: 'cron',
        schedule: '5 4 * * *',
        tz: 'Europe/Riga',
        grace: 1200,
      })
      .where('id', '=', check.id)
      .execute()
    await t().logIn()
    const r = await t().submit(`/checks/${check.code}/details/`, `/checks/${check.code}/copy/`, {})
    assert.equal(r.statusCode, 303)
    const m = /^\/checks\/([0-9a-f-]{36})\/details\/\?copied=1$/.exec(r.headers.location as string)
    assert.ok(m, r.headers.location as string)
    assert.notEqual(m[1], check.code)
    const copy = await getCheck(m[1])
    assert.ok(copy)
    assert.equal(copy.project_id, project.id)
    assert.equal(copy.name, 'nightly (copy)')
    assert.equal(copy.slug, 'nightly-copy')
    assert.equal(copy.tags, 'prod db')
    assert.equal(copy.desc, 'the <b>nightly</b> one')
    assert.deepEqual(
      [copy.kind, copy.schedule, copy.tz, copy.grace],
      ['cron', '5 4 * * *', 'Europe/Riga', 1200],
    )
    assert.equal(copy.status, 'new')
    assert.equal(copy.n_pings, 0)
    assert.deepEqual(await channelIdsOf(copy.id), await channelIdsOf(check.id))
    assert.equal(await count('pings', copy.id), 0)
    const page = await t().browser.get(r.headers.location as string)
    assert.match(page.body, /This is the new copy of the check/)
    assert.match(page.body, /<h1>nightly \(copy\)<\/h1>/)
  })

  test('copy shortens a long name to fit 100 characters and drops a slug that would not fit', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'n'.repeat(100), slug: 's'.repeat(97) })
    await t().logIn()
    const r = await t().submit(`/checks/${check.code}/details/`, `/checks/${check.code}/copy/`, {})
    assert.equal(r.statusCode, 303)
    const code = /\/checks\/([0-9a-f-]{36})\//.exec(r.headers.location as string)?.[1] ?? ''
    const copy = await getCheck(code)
    assert.equal(copy?.name, `${'n'.repeat(90)}... (copy)`)
    assert.equal(copy?.slug, '')
  })

  test('copy over the check limit answers 400 and creates nothing', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'one' })
    await ctx.db.kysely
      .updateTable('projects')
      .set({ check_limit: 1 })
      .where('id', '=', project.id)
      .execute()
    await t().logIn()
    const r = await t().submit(`/checks/${check.code}/details/`, `/checks/${check.code}/copy/`, {})
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /check limit/)
    const all = await ctx.db.kysely.selectFrom('checks').select('id').execute()
    assert.equal(all.length, 1)
  })

  test('transfer lists the other read-write projects and moves the check with the target’s channels', async () => {
    const { ctx, alice, bobsProject } = t()
    const check = await checkWithHistory()
    await addMember(bobsProject, alice, 'w')
    const { project: readOnly } = await buildProject(ctx, 'carol@example.org', 'Carols Project')
    await addMember(readOnly, alice, 'r')
    const bobsChannel = await buildChannel(ctx, bobsProject, 'webhook', {
      url_down: 'https://b.test/',
    })
    await t().logIn()
    const page = await t().browser.get(`/checks/${check.code}/transfer/`)
    assert.equal(page.statusCode, 200)
    assert.match(
      page.body,
      /<input type="radio" name="project" value="[0-9a-f-]+" required checked\/?> Bobs Project/,
    )
    assert.doesNotMatch(page.body, /Carols Project/, 'read-only projects are not offered')
    assert.doesNotMatch(page.body, /name="project" value="[^"]+"[^>]*> Backups/)
    const r = await t().browser.post(`/checks/${check.code}/transfer/`, {
      csrf: csrfFrom(page.body),
      project: bobsProject.code,
    })
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, `/checks/${check.code}/details/?transferred=1`)
    const moved = await getCheck(check.code)
    assert.equal(moved?.project_id, bobsProject.id)
    const bobsChannels = await ctx.db.kysely
      .selectFrom('channels')
      .select('id')
      .where('project_id', '=', bobsProject.id)
      .orderBy('id')
      .execute()
    assert.ok(bobsChannels.some((c) => c.id === bobsChannel.id))
    assert.deepEqual(
      await channelIdsOf(check.id),
      bobsChannels.map((c) => c.id),
    )
    assert.equal(await count('pings', check.id), 2, 'history moves with the check')
    // Bob, the owner of the target project, now sees it.
    t().browser.cookies.clear()
    await t().logIn('bob@example.org')
    const bobs = await t().browser.get(`/checks/${check.code}/details/`)
    assert.equal(bobs.statusCode, 200)
  })

  test('transfer refuses a missing, unknown, read-only or full target, and the same project', async () => {
    const { ctx, project, alice, bobsProject } = t()
    const check = await buildCheck(ctx, project, { name: 'job' })
    await t().logIn()
    const post = async (fields: Record<string, string>) =>
      t().submit(`/checks/${check.code}/details/`, `/checks/${check.code}/transfer/`, fields)
    assert.equal((await post({})).statusCode, 400)
    assert.equal((await post({ project: 'not-a-uuid' })).statusCode, 400)
    assert.equal((await post({ project: bobsProject.code })).statusCode, 404, 'not a member')
    await addMember(bobsProject, alice, 'r')
    assert.equal((await post({ project: bobsProject.code })).statusCode, 403, 'read-only')
    await ctx.db.kysely.updateTable('members').set({ role: 'w' }).execute()
    await ctx.db.kysely
      .updateTable('projects')
      .set({ check_limit: 0 })
      .where('id', '=', bobsProject.id)
      .execute()
    const full = await post({ project: bobsProject.code })
    assert.equal(full.statusCode, 400)
    assert.match(full.body, /check limit/)
    assert.equal((await post({ project: project.code })).statusCode, 400, 'same project')
    assert.equal((await getCheck(check.code))?.project_id, project.id)
  })

  test('transfer with no other writable project says so', async () => {
    const { ctx, project } = t()
    const check = await buildCheck(ctx, project, { name: 'job' })
    await t().logIn()
    const page = await t().browser.get(`/checks/${check.code}/transfer/`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /You have no other project in which you can change checks\./)
  })
})
