import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { PING_ENDPOINT, useMonitoringTest } from './monitoring-harness.js'

const MINUTE = 60_000
const HOUR = 3_600_000

/** The table rows of a dashboard page, header excluded. */
function rows(html: string): string[] {
  const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'))
  return body.split('<tr').slice(1)
}

describeEachDatabase('web checks dashboard', (dialect) => {
  const t = useMonitoringTest(dialect)
  const url = () => `/projects/${t().project.code}/checks/`

  test('the dashboard sends anonymous visitors to the login page', async () => {
    await buildCheck(t().ctx, t().project, { name: 'nightly' })
    const r = await t().browser.get(url())
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, `/login?next=${encodeURIComponent(url())}`)
    assert.doesNotMatch(r.body, /nightly/)
  })

  test('a project without checks shows a working curl line that creates one', async () => {
    await t().logIn()
    const r = await t().browser.get(url())
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /No checks yet/)
    assert.ok(
      r.body.includes(
        `curl -fsS -m 10 --retry 5 -o /dev/null ${PING_ENDPOINT}${t().project.ping_key}/nightly-backup?create=1`,
      ),
    )
    assert.ok(r.body.includes(`href="/projects/${t().project.code}/checks/add"`))
  })

  test('checks are listed with name, tags, status icon and word, last ping, schedule and integrations', async () => {
    const { ctx, project } = t()
    const now = ctx.clock.now()
    const fresh = await buildCheck(ctx, project, {
      name: 'fresh',
      tags: 'prod db',
      status: 'up',
      last_ping: now - 3 * MINUTE,
      timeout: 3600,
      grace: 600,
    })
    await buildCheck(ctx, project, {
      name: 'cron job',
      kind: 'cron',
      schedule: '0 5 * * *',
      tz: 'Europe/Riga',
    })
    await buildChannel(ctx, project, 'webhook', { url_down: 'https://example.org/' }, [fresh])
    await t().logIn()
    const r = await t().browser.get(url())
    assert.equal(r.statusCode, 200)
    const [first, second] = rows(r.body)
    assert.match(first, /fresh/)
    assert.match(first, /class="tag"[^>]*>prod</)
    assert.match(first, /status-up[\s\S]*✓[\s\S]*>up</)
    assert.match(first, /title="15 Jan 2026, 11:57:00 UTC">3 minutes ago/)
    assert.match(first, /every 1 hour, grace 10 minutes/)
    assert.match(first, /col-integrations">1</)
    assert.match(second, /status-new[\s\S]*○[\s\S]*>new</)
    assert.match(second, /0 5 \* \* \* \(Europe\/Riga\), grace 1 hour/)
    assert.match(second, /class="last-ping muted">never/)
  })

  test('times are shown in the user’s time zone', async () => {
    const { ctx, project, alice } = t()
    await ctx.db.kysely
      .updateTable('users')
      .set({ tz: 'Asia/Tokyo' })
      .where('id', '=', alice.id)
      .execute()
    await buildCheck(ctx, project, { status: 'up', last_ping: ctx.clock.now() - HOUR })
    await t().logIn()
    const r = await t().browser.get(url())
    assert.match(r.body, /title="15 Jan 2026, 20:00:00 GMT\+9">1 hour ago/)
  })

  test('the tag filter keeps checks carrying every chosen tag', async () => {
    const { ctx, project } = t()
    await buildCheck(ctx, project, { name: 'alpha', tags: 'prod db' })
    await buildCheck(ctx, project, { name: 'beta', tags: 'prod' })
    await buildCheck(ctx, project, { name: 'gamma', tags: 'staging db' })
    await t().logIn()
    let r = await t().browser.get(`${url()}?tag=prod`)
    assert.deepEqual(
      rows(r.body).map((row) => /check-name[^>]*>([^<]*)</.exec(row)?.[1]),
      ['alpha', 'beta'],
    )
    r = await t().browser.get(`${url()}?tag=prod&tag=db`)
    assert.deepEqual(
      rows(r.body).map((row) => /check-name[^>]*>([^<]*)</.exec(row)?.[1]),
      ['alpha'],
    )
    assert.match(r.body, /Showing 1 of 3 checks/)
  })

  test('the text search looks at name, slug and uuid, ignoring case', async () => {
    const { ctx, project } = t()
    await buildCheck(ctx, project, { name: 'Nightly Backup' })
    const bySlug = await buildCheck(ctx, project, { name: 'other', slug: 'db-dump' })
    await t().logIn()
    let r = await t().browser.get(`${url()}?search=backup`)
    assert.equal(rows(r.body).length, 1)
    assert.match(rows(r.body)[0], /Nightly Backup/)
    r = await t().browser.get(`${url()}?search=DB-DUMP`)
    assert.equal(rows(r.body).length, 1)
    r = await t().browser.get(`${url()}?search=${bySlug.code.slice(0, 8)}`)
    assert.match(rows(r.body)[0], /other/)
    r = await t().browser.get(`${url()}?search=nothing-like-this`)
    assert.match(r.body, /No checks match these filters/)
  })

  test('sorting by name is natural and down checks always come first', async () => {
    const { ctx, project } = t()
    const now = ctx.clock.now()
    await buildCheck(ctx, project, { name: 'job 10' })
    await buildCheck(ctx, project, { name: 'job 9' })
    await buildCheck(ctx, project, { name: 'job 2' })
    await buildCheck(ctx, project, {
      name: 'zulu',
      status: 'up',
      last_ping: now - 3 * HOUR,
      timeout: 3600,
      grace: 60,
    })
    await t().logIn()
    const names = async (query: string) =>
      rows((await t().browser.get(`${url()}${query}`)).body).map(
        (row) => /check-name[^>]*>([^<]*)</.exec(row)?.[1],
      )
    assert.deepEqual(await names('?sort=name'), ['zulu', 'job 2', 'job 9', 'job 10'])
    assert.deepEqual(await names('?sort=-name'), ['zulu', 'job 10', 'job 9', 'job 2'])
    assert.deepEqual(await names('?sort=-last_ping'), ['zulu', 'job 10', 'job 9', 'job 2'])
  })

  test('compact mode is a query flag that the filter form keeps', async () => {
    await buildCheck(t().ctx, t().project, { name: 'a' })
    await t().logIn()
    const r = await t().browser.get(`${url()}?compact=1&sort=name`)
    assert.match(r.body, /<table class="checks compact"/)
    assert.match(r.body, /<input type="hidden" name="compact" value="1"/)
    assert.match(r.body, /<input type="hidden" name="sort" value="name"/)
  })

  test('status.json reports every check with its live status and the down count', async () => {
    const { ctx, project } = t()
    const now = ctx.clock.now()
    const late = await buildCheck(ctx, project, {
      status: 'up',
      last_ping: now - 65 * MINUTE,
      timeout: 3600,
      grace: 600,
    })
    await buildCheck(ctx, project, { status: 'down' })
    await t().logIn()
    const r = await t().browser.get(`${url()}status.json`)
    assert.equal(r.statusCode, 200)
    const data = r.json()
    assert.deepEqual(data.counts, { up: 0, late: 1, down: 1 })
    assert.equal(data.title, '1 down – Backups – Vigil')
    assert.deepEqual(data.checks[0], {
      code: late.code,
      status: 'grace',
      icon: '!',
      label: 'late',
      lastPing: '1 hour ago',
      lastPingTitle: '15 Jan 2026, 10:55:00 UTC',
    })
  })

  test('status.json refuses anonymous visitors and other users’ projects', async () => {
    let r = await t().browser.get(`${url()}status.json`)
    assert.equal(r.statusCode, 403)
    await t().logIn('bob@example.org')
    r = await t().browser.get(`${url()}status.json`)
    assert.equal(r.statusCode, 404)
  })

  test('another user’s project, an unknown uuid and a malformed one are not found', async () => {
    await buildCheck(t().ctx, t().project, { name: 'alices secret job' })
    await t().logIn('bob@example.org')
    for (const path of [
      url(),
      '/projects/00000000-0000-4000-8000-000000000000/checks/',
      '/projects/not-a-uuid/checks/',
      '/projects/%00/checks/',
    ]) {
      const r = await t().browser.get(path)
      assert.equal(r.statusCode, 404, path)
      assert.doesNotMatch(r.body, /alices secret job/)
    }
  })

  test('hostile names, tags and very long queries come back escaped, never as a 500', async () => {
    const { ctx, project } = t()
    await buildCheck(ctx, project, {
      name: '<script>alert(1)</script> ☃ 𝄞',
      tags: '"><b>x</b>',
      desc: '<img src=x>',
    })
    await t().logIn()
    let r = await t().browser.get(url())
    assert.equal(r.statusCode, 200)
    assert.ok(r.body.includes('&lt;script>alert(1)&lt;/script> ☃ 𝄞'))
    assert.doesNotMatch(r.body, /<script>alert|<b>x<\/b>|<img src=x>/)
    r = await t().browser.get(`${url()}?search=${'%3Cscript%3E'.repeat(500)}&tag=%00&sort=%27`)
    assert.equal(r.statusCode, 200)
    assert.doesNotMatch(r.body, /<script>/)
  })
})
