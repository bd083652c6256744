import assert from 'node:assert/strict'
import { test } from 'node:test'
import { integrationFor, supportedKinds } from '../../src/integrations/index.js'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { csrfFrom } from './form-client.js'
import { useMonitoringTest } from './monitoring-harness.js'

const SLACK_URL = 'https://hooks.slack.com/services/T000/B000/secret-slack-1234'

function suite(dialect: Parameters<typeof useMonitoringTest>[0], env: Record<string, string>) {
  const t = useMonitoringTest(dialect, env)
  const add = (kind: string) => `/projects/${t().project.code}/integrations/add/${kind}/`
  const channelsOf = (kind: string) =>
    t()
      .ctx.db.kysely.selectFrom('channels')
      .selectAll()
      .where('project_id', '=', t().project.id)
      .where('kind', '=', kind)
      .execute()
  const parsed = (kind: string, input: unknown) => {
    const r = integrationFor(kind)!.parseConfig(input)
    assert.ok(r.ok)
    return r.value
  }
  return { t, add, channelsOf, parsed }
}

describeEachDatabase('web integrations: every kind', (dialect) => {
  const { t, add, channelsOf, parsed } = suite(dialect, { TELEGRAM_TOKEN: 'bot-token-1' })

  test('every registered kind’s add page answers 200', async () => {
    await t().logIn()
    for (const kind of supportedKinds()) {
      let r = await t().browser.get(add(kind))
      if (kind === 'email' || kind === 'webhook') {
        assert.equal(r.statusCode, 302, kind)
        r = await t().browser.get(String(r.headers.location))
      }
      assert.equal(r.statusCode, 200, kind)
    }
  })

  test('the integrations page offers every kind', async () => {
    await t().logIn()
    const r = await t().browser.get(`/projects/${t().project.code}/integrations/`)
    for (const kind of supportedKinds().filter((k) => k !== 'email' && k !== 'webhook'))
      assert.ok(r.body.includes(`href="${add(kind)}"`), kind)
  })

  test('adding a Slack channel stores parseConfig’s value and serves every check', async () => {
    const { ctx, project } = t()
    await buildCheck(ctx, project)
    await buildCheck(ctx, project)
    await t().logIn()
    const r = await t().submit(add('slack'), add('slack'), {
      url: SLACK_URL,
      channel_name: 'Ops room',
    })
    assert.equal(r.statusCode, 303)
    assert.equal(r.headers.location, `/projects/${project.code}/integrations/?done=added`)
    const [channel] = await channelsOf('slack')
    assert.equal(channel.value, parsed('slack', { url: SLACK_URL }))
    assert.equal(channel.name, 'Ops room')
    const links = await ctx.db.kysely
      .selectFrom('check_channels')
      .selectAll()
      .where('channel_id', '=', channel.id)
      .execute()
    assert.equal(links.length, 2)
  })

  test('adding ntfy, PagerDuty, Opsgenie and Telegram stores parseConfig’s values', async () => {
    await t().logIn()
    const cases: Array<[string, Record<string, string>, unknown]> = [
      [
        'ntfy',
        { topic: 'backups', url: '', priority: '5', priority_up: '1', token: 'tk_123' },
        { topic: 'backups', priority: 5, priority_up: 1, token: 'tk_123' },
      ],
      ['pd', { service_key: 'abcdef0123456789' }, { service_key: 'abcdef0123456789' }],
      ['opsgenie', { key: 'og-key-1', region: 'eu' }, { key: 'og-key-1', region: 'eu' }],
      [
        'telegram',
        { id: '-100123', name: 'Ops', type: 'group', thread_id: '7' },
        { id: -100123, name: 'Ops', type: 'group', thread_id: 7 },
      ],
    ]
    for (const [kind, fields, input] of cases) {
      const r = await t().submit(add(kind), add(kind), fields)
      assert.equal(r.statusCode, 303, kind)
      const [channel] = await channelsOf(kind)
      assert.equal(channel.value, parsed(kind, input), kind)
    }
  })

  test('a bad field is refused with its message beside it and nothing is stored', async () => {
    await t().logIn()
    let r = await t().submit(add('slack'), add('slack'), { url: 'ftp://example.org/x' })
    assert.equal(r.statusCode, 400)
    assert.match(
      r.body,
      /id="f-url-error" role="alert">Slack webhook URL must start with http:\/\/ or https:\/\//,
    )
    r = await t().submit(add('ntfy'), add('ntfy'), { topic: 'no spaces', priority: '3' })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /id="f-topic-error" role="alert">Topic may contain only letters/)
    r = await t().submit(add('telegram'), add('telegram'), { id: 'abc' })
    assert.equal(r.statusCode, 400)
    assert.match(r.body, /Chat id must be a Telegram chat id/)
    assert.equal((await channelsOf('slack')).length, 0)
    assert.equal((await channelsOf('ntfy')).length, 0)
    assert.equal((await channelsOf('telegram')).length, 0)
  })

  test('hostile input comes back escaped', async () => {
    await t().logIn()
    const r = await t().submit(add('ntfy'), add('ntfy'), {
      topic: '"><script>x</script>',
      channel_name: '<script>y</script>',
    })
    assert.equal(r.statusCode, 400)
    assert.doesNotMatch(r.body, /<script>[xy]/)
    assert.ok(r.body.includes('&lt;script>y&lt;/script>'))
    assert.ok(r.body.includes('value="&quot;>&lt;script>x&lt;/script>"'))
  })

  test('editing keeps a secret left blank and saves the other fields', async () => {
    const { ctx, project } = t()
    const channel = await buildChannel(ctx, project, 'ntfy', {
      topic: 'old',
      token: 'tk_secret_9876',
    })
    await t().logIn()
    const edit = `/integrations/${channel.code}/edit/`
    const form = await t().browser.get(edit)
    assert.equal(form.statusCode, 200)
    assert.match(form.body, /value="old"/)
    assert.doesNotMatch(form.body, /tk_secret/)
    const r = await t().submit(edit, edit, {
      topic: 'new',
      url: 'https://ntfy.example.org',
      priority: '4',
      priority_up: '3',
      token: '',
      channel_name: 'Renamed',
    })
    assert.equal(r.statusCode, 303)
    const [saved] = await channelsOf('ntfy')
    assert.equal(saved.name, 'Renamed')
    assert.equal(
      saved.value,
      parsed('ntfy', {
        topic: 'new',
        url: 'https://ntfy.example.org',
        priority: 4,
        token: 'tk_secret_9876',
      }),
    )
  })

  test('editing a Slack channel does not show its URL and keeps it when left blank', async () => {
    const { ctx, project } = t()
    const channel = await buildChannel(ctx, project, 'slack', SLACK_URL)
    await t().logIn()
    const edit = `/integrations/${channel.code}/edit/`
    const form = await t().browser.get(edit)
    assert.doesNotMatch(form.body, /secret-slack/)
    const r = await t().submit(edit, edit, { url: '', channel_name: 'Kept' })
    assert.equal(r.statusCode, 303)
    const [saved] = await channelsOf('slack')
    assert.equal(saved.value, SLACK_URL)
    assert.equal(saved.name, 'Kept')
  })

  test('another user’s channel is not found; a read-only member gets 403', async () => {
    const { ctx, project, bob } = t()
    const channel = await buildChannel(ctx, project, 'pd', 'abcdef0123456789')
    await t().logIn('bob@example.org')
    const edit = `/integrations/${channel.code}/edit/`
    assert.equal((await t().browser.get(edit)).statusCode, 404)
    const csrf = csrfFrom(
      (await t().browser.get(add('pd').replace(project.code, t().bobsProject.code))).body,
    )
    assert.equal((await t().browser.post(edit, { csrf, service_key: 'x' })).statusCode, 404)
    assert.equal((await t().browser.get(add('pd'))).statusCode, 404)
    await ctx.db.kysely
      .insertInto('members')
      .values({
        project_id: project.id,
        user_id: bob.id,
        role: 'r',
        created: ctx.clock.now(),
        invited_by: null,
      })
      .execute()
    assert.equal((await t().browser.get(edit)).statusCode, 403)
    assert.equal((await t().browser.post(edit, { csrf, service_key: 'x' })).statusCode, 403)
    assert.equal((await t().browser.get(add('pd'))).statusCode, 403)
    const [stored] = await channelsOf('pd')
    assert.equal(stored.value, 'abcdef0123456789')
  })

  test('a form posted without the CSRF token is refused with 403', async () => {
    const { ctx, project } = t()
    const channel = await buildChannel(ctx, project, 'pd', 'abcdef0123456789')
    await t().logIn()
    const r = await t().browser.post(add('pd'), { service_key: 'abcdef0123456789' })
    assert.equal(r.statusCode, 403)
    const e = await t().browser.post(`/integrations/${channel.code}/edit/`, { service_key: 'zzz' })
    assert.equal(e.statusCode, 403)
    assert.equal((await channelsOf('pd')).length, 1)
  })

  test('an unknown kind is not found', async () => {
    await t().logIn()
    assert.equal((await t().browser.get(add('carrier-pigeon'))).statusCode, 404)
  })
})

describeEachDatabase('web integrations: a kind this instance cannot send', (dialect) => {
  const { t, add, channelsOf } = suite(dialect, {})

  test('without TELEGRAM_TOKEN the add page explains why instead of a form', async () => {
    await t().logIn()
    const r = await t().browser.get(add('telegram'))
    assert.equal(r.statusCode, 200)
    assert.match(r.body, /Telegram notifications are not enabled\./)
    assert.doesNotMatch(r.body, /name="id"/)
    const list = await t().browser.get(`/projects/${t().project.code}/integrations/`)
    assert.match(list.body, /Add Telegram<\/a><small> – Telegram notifications are not enabled/)
    const csrf = csrfFrom(list.body)
    const posted = await t().browser.post(add('telegram'), { csrf, id: '42' })
    assert.equal(posted.statusCode, 400)
    assert.match(posted.body, /Telegram notifications are not enabled\./)
    assert.equal((await channelsOf('telegram')).length, 0)
  })
})
