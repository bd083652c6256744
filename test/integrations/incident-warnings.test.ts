import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { deliverDueNotifications } from '../../src/alerts/deliver-notifications.js'
import { handleLateWarnings } from '../../src/alerts/late-warnings.js'
import { processWarnings } from '../../src/alerts/process-warnings.js'
import { queueWarning, type WarningKind } from '../../src/alerts/warnings.js'
import { incidentKinds, integrationFor, takesWarnings } from '../../src/integrations/index.js'
import { newUuid } from '../../src/tokens.js'
import { type ApiHarness, assertError, call, createApiHarness } from '../api/api-harness.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ChannelScene, jsonBody, useChannelScene, WORKER } from './channel-harness.js'

/** Every kind that opens an incident on down and closes it only on up. */
const INCIDENT_KINDS = ['opsgenie', 'pagertree', 'pd', 'spike', 'victorops']

/** A channel of each incident kind pointed at the capture server, as stored values. */
function incidentValue(kind: string, capUrl: string): unknown {
  const values: Record<string, unknown> = {
    pd: 'abcdef0123456789abcdef0123456789',
    opsgenie: { key: 'og-key-1234', region: 'us' },
    victorops: `${capUrl}/victorops`,
    pagertree: `${capUrl}/pagertree`,
    spike: `${capUrl}/spike`,
  }
  return values[kind]
}

/** API-input config of each incident kind. */
const API_CONFIG: Record<string, unknown> = {
  pd: { service_key: 'abcdef0123456789' },
  opsgenie: { key: 'og-key-1234', region: 'us' },
  victorops: { url: 'https://alert.victorops.com/integrations/generic/1/alert/k/r' },
  pagertree: { url: 'https://api.pagertree.com/integration/int_abc' },
  spike: { url: 'https://api.spike.sh/api/v1/alerts/xyz' },
}

const WARNING_KINDS: WarningKind[] = [
  'late',
  'unusual_duration',
  'new_source',
  'two_sources',
  'too_often',
]

test('the incident kinds are exactly the services that open incidents', () => {
  assert.deepEqual(incidentKinds().sort(), INCIDENT_KINDS)
  for (const kind of INCIDENT_KINDS) {
    assert.equal(integrationFor(kind)?.opensIncidents, true, kind)
    assert.equal(takesWarnings(kind), false, kind)
  }
  for (const kind of ['email', 'webhook', 'slack', 'ntfy']) assert.equal(takesWarnings(kind), true)
})

/** Channels of every incident kind and a webhook, all with notify_late set (as the API allowed before). */
async function channelsWithNotifyLate(s: ChannelScene) {
  const ids: number[] = []
  for (const kind of INCIDENT_KINDS)
    ids.push((await s.channel(kind, incidentValue(kind, s.cap.url))).id)
  const hook = await s.channel('webhook', { url_down: `${s.cap.url}/hook`, method_down: 'POST' })
  ids.push(hook.id)
  await s.ctx.db.kysely
    .updateTable('channels')
    .set({ notify_late: 1 })
    .where('id', 'in', ids)
    .execute()
}

async function deliverWarnings(s: ChannelScene) {
  await processWarnings(s.ctx, s.ctx.clock.now())
  return deliverDueNotifications(s.ctx, { workerId: WORKER, limit: 100 })
}

describeEachDatabase('incident kinds and warnings', (dialect) => {
  const scene = useChannelScene(dialect, (url) => ({
    INTEGRATIONS_ALLOW_PRIVATE_IPS: 'True',
    PD_API_URL: `${url}/pd`,
    OPSGENIE_API_URL: `${url}/og-us`,
  }))

  test('a late warning reaches the webhook and opens no incident on any incident kind', async () => {
    const s = scene()
    await channelsWithNotifyLate(s)
    await s.ctx.db.kysely
      .updateTable('checks')
      .set({ warn_after: 120, warn_at: s.check.alert_after! - 120_000 })
      .where('id', '=', s.check.id)
      .execute()
    s.ctx.clock.set(s.check.alert_after! - 60_000)
    assert.equal(await handleLateWarnings(s.ctx, s.ctx.clock.now()), 1)
    assert.deepEqual(await deliverWarnings(s), ['sent'])
    assert.deepEqual(
      s.cap.requests.map((r) => r.url),
      ['/hook'],
    )
  })

  test('no warning kind is sent to an incident kind', async () => {
    const s = scene()
    await channelsWithNotifyLate(s)
    for (const kind of WARNING_KINDS)
      await queueWarning(
        s.ctx.db.kysely,
        { checkId: s.check.id, kind, detail: kind },
        s.ctx.clock.now(),
      )
    assert.deepEqual(
      await deliverWarnings(s),
      WARNING_KINDS.map(() => 'sent'),
    )
    assert.ok(s.cap.requests.every((r) => r.url === '/hook'))
    const kinds = await s.ctx.db.kysely
      .selectFrom('notifications')
      .innerJoin('channels', 'channels.id', 'notifications.channel_id')
      .select('channels.kind')
      .execute()
    assert.deepEqual([...new Set(kinds.map((k) => k.kind))], ['webhook'])
  })

  test('down and up still open and close the incident of every incident kind', async () => {
    const s = scene()
    await channelsWithNotifyLate(s)
    await s.goDown()
    await s.comeUp()
    const paths = s.cap.requests.map((r) => r.url.split('/')[1])
    for (const prefix of ['pd', 'og-us', 'victorops', 'pagertree', 'spike'])
      assert.equal(paths.filter((p) => p === prefix).length, 2, prefix)
    const pd = s.cap.requests.filter((r) => r.url.startsWith('/pd/')).map(jsonBody)
    assert.deepEqual(
      pd.map((b) => (b as { event_type: string }).event_type),
      ['trigger', 'resolve'],
    )
  })

  test('a warning notification queued for an incident kind fails without a request', async () => {
    const s = scene()
    const now = s.ctx.clock.now()
    for (const kind of INCIDENT_KINDS) {
      const channel = await s.channel(kind, incidentValue(kind, s.cap.url))
      const warningId = await queueWarning(
        s.ctx.db.kysely,
        { checkId: s.check.id, kind: 'late', detail: 'late' },
        now,
      )
      await s.ctx.db.kysely
        .insertInto('notifications')
        .values({
          code: newUuid(),
          check_id: s.check.id,
          channel_id: channel.id,
          flip_id: null,
          warning_id: warningId,
          check_status: 'warning',
          created: now,
          status: 'pending',
          next_attempt_at: now,
        })
        .execute()
    }
    const outcomes = await deliverDueNotifications(s.ctx, { workerId: WORKER, limit: 100 })
    assert.deepEqual(
      outcomes,
      INCIDENT_KINDS.map(() => 'failed'),
    )
    assert.equal(s.cap.requests.length, 0)
    const errors = (await s.notifications()).map((n) => n.error).sort()
    assert.deepEqual(
      errors,
      ['Opsgenie', 'PagerDuty', 'PagerTree', 'Splunk On-Call', 'Spike.sh']
        .map((l) => `Warnings are not sent to ${l}`)
        .sort(),
    )
  })
})

describeEachDatabase('incident kinds refuse notify_late in the API', (dialect) => {
  let harness: ApiHarness
  beforeEach(async () => {
    harness = await createApiHarness(dialect)
  })
  afterEach(() => harness.close())
  const h = () => harness

  for (const kind of INCIDENT_KINDS) {
    test(`${kind}: notify_late true is a 400 on create and update; false is fine`, async () => {
      const key = h().alice.apiKey
      const label = integrationFor(kind)?.label
      const problem = `json validation error: notify_late cannot be true for ${label}: warnings are not sent to incident services, since no recovery would close the incident a warning opened`
      const body = { kind, config: API_CONFIG[kind], notify_late: true }
      const refused = await call(h().app, 'POST', '/api/v3/channels/', { key, body })
      assertError(refused, 400, problem)
      const created = await call(h().app, 'POST', '/api/v3/channels/', {
        key,
        body: { ...body, notify_late: false },
      })
      assert.equal(created.statusCode, 201, created.body)
      assert.equal(created.json().notify_late, false)
      const url = `/api/v3/channels/${created.json().id}`
      const update = await call(h().app, 'POST', url, { key, body: { notify_late: true } })
      assertError(update, 400, problem)
      const row = await h()
        .ctx.db.kysely.selectFrom('channels')
        .select('notify_late')
        .where('code', '=', created.json().id)
        .executeTakeFirstOrThrow()
      assert.equal(row.notify_late, 0)
    })
  }
})
