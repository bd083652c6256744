import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeEach, test } from 'node:test'
import type { Check } from '../../src/db/index.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import {
  createPingHarness,
  DAY,
  HOUR,
  onlyPing,
  type PingHarness,
  readCheck,
  readFlips,
  readPings,
} from './ping-harness.js'

// Healthchecks' hc/api/tests/test_ping.py, for /ping/<uuid>[/…].
describeEachDatabase('ping by uuid', (dialect) => {
  let h: PingHarness
  let check: Check
  let url: string
  beforeEach(async () => {
    h = await createPingHarness(dialect)
    check = await buildCheck(h.ctx, h.alice.project)
    url = `/ping/${check.code}`
  })
  afterEach(() => h.close())

  const refresh = () => readCheck(h.ctx, check.id)

  test('it works', async () => {
    const r = await h.app.inject({ method: 'GET', url })
    assert.equal(r.statusCode, 200)
    assert.equal(r.body, 'OK')
    assert.equal(r.headers['access-control-allow-origin'], '*')
    assert.equal(r.headers['ping-body-limit'], '10000')
    assert.match(String(r.headers['content-type']), /^text\/plain/)
    const c = await refresh()
    assert.equal(c.status, 'up')
    assert.equal(c.last_ping, h.ctx.clock.now())
    assert.equal(c.alert_after, c.last_ping! + DAY + HOUR)
    assert.equal(c.n_pings, 1)
    const ping = await onlyPing(h.ctx)
    assert.equal(ping.scheme, 'http')
    assert.equal(ping.kind, 'success')
    assert.equal(ping.n, 1)
    assert.equal(ping.method, 'GET')
    assert.equal(ping.created, c.last_ping)
    assert.equal(ping.exitstatus, null)
    assert.equal(ping.body, null)
  })

  test('it accepts a trailing slash', async () => {
    const r = await h.app.inject({ method: 'GET', url: `${url}/` })
    assert.equal(r.statusCode, 200)
    assert.equal((await refresh()).status, 'up')
  })

  test('it never caches', async () => {
    for (const u of [url, `/ping/${randomUUID()}`]) {
      const r = await h.app.inject({ method: 'GET', url: u })
      assert.equal(
        r.headers['cache-control'],
        'max-age=0, no-cache, no-store, must-revalidate, private',
      )
      assert.ok(Date.parse(String(r.headers.expires)) < Date.now())
    }
  })

  test('it records a flip from new to up', async () => {
    await h.app.inject({ method: 'GET', url })
    const flips = await readFlips(h.ctx, check.id)
    assert.equal(flips.length, 1)
    assert.deepEqual(
      {
        old: flips[0].old_status,
        new: flips[0].new_status,
        reason: flips[0].reason,
        processed: flips[0].processed,
      },
      { old: 'new', new: 'up', reason: '', processed: null },
    )
    assert.equal(flips[0].created, h.ctx.clock.now())
  })

  test('it records no flip when the status does not change', async () => {
    await h.app.inject({ method: 'GET', url })
    h.ctx.clock.advance(60_000)
    await h.app.inject({ method: 'GET', url })
    assert.equal((await readFlips(h.ctx, check.id)).length, 1)
  })

  test('it changes status of paused check', async () => {
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ status: 'paused' })
      .where('id', '=', check.id)
      .execute()
    const r = await h.app.inject({ method: 'GET', url })
    assert.equal(r.statusCode, 200)
    assert.equal((await refresh()).status, 'up')
    const [flip] = await readFlips(h.ctx, check.id)
    assert.equal(`${flip.old_status}->${flip.new_status}`, 'paused->up')
  })

  test('it flips a down check up', async () => {
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ status: 'down' })
      .where('id', '=', check.id)
      .execute()
    await h.app.inject({ method: 'GET', url })
    const [flip] = await readFlips(h.ctx, check.id)
    assert.equal(`${flip.old_status}->${flip.new_status}:${flip.reason}`, 'down->up:')
  })

  test('it clears last_start', async () => {
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ last_start: h.ctx.clock.now() })
      .where('id', '=', check.id)
      .execute()
    await h.app.inject({ method: 'GET', url })
    assert.equal((await refresh()).last_start, null)
  })

  test('post works', async () => {
    const r = await h.app.inject({
      method: 'POST',
      url,
      payload: 'hello world',
      headers: { 'content-type': 'text/plain' },
    })
    assert.equal(r.statusCode, 200)
    const ping = await onlyPing(h.ctx)
    assert.equal(ping.method, 'POST')
    assert.deepEqual(ping.body, Buffer.from('hello world'))
  })

  test('it reads a body of any content type raw', async () => {
    const bodies: Array<[string | undefined, string]> = [
      ['application/json', '{"a": 1}'],
      ['application/x-www-form-urlencoded', 'a=1&b=2'],
      ['', 'empty type'],
      ['nonsense;;;', 'bad type'],
      [undefined, 'no type'],
    ]
    for (const [type, payload] of bodies) {
      const headers = type === undefined ? {} : { 'content-type': type }
      const r = await h.app.inject({ method: 'POST', url, payload: Buffer.from(payload), headers })
      assert.equal(r.statusCode, 200, `content type ${type}`)
    }
    const pings = await readPings(h.ctx)
    assert.deepEqual(
      pings.map((p) => p.body?.toString()),
      bodies.map(([, b]) => b),
    )
  })

  test('head works', async () => {
    const r = await h.app.inject({ method: 'HEAD', url })
    assert.equal(r.statusCode, 200)
    assert.equal(r.body, '')
    assert.equal((await onlyPing(h.ctx)).method, 'HEAD')
  })

  test('any method is recorded as a ping, OPTIONS included', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const) {
      const r = await h.app.inject({ method, url })
      assert.equal(r.statusCode, 200, method)
    }
    assert.deepEqual(
      (await readPings(h.ctx)).map((p) => p.method),
      ['PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    )
  })

  test('it handles bad uuid', async () => {
    const r = await h.app.inject({ method: 'GET', url: '/ping/not-uuid/' })
    assert.equal(r.statusCode, 404)
  })

  test('it rejects alternative uuid formats', async () => {
    for (const u of [check.code.replaceAll('-', ''), check.code.toUpperCase(), `{${check.code}}`]) {
      const r = await h.app.inject({ method: 'GET', url: `/ping/${u}/` })
      assert.equal(r.statusCode, 404, u)
    }
    assert.equal((await readPings(h.ctx)).length, 0)
  })

  test('it handles missing check', async () => {
    const r = await h.app.inject({
      method: 'GET',
      url: '/ping/07c2f548-9850-4b27-af5d-6c9dc157ec02/',
    })
    assert.equal(r.statusCode, 404)
    assert.equal(r.body, 'not found')
    assert.equal(r.headers['access-control-allow-origin'], undefined)
  })

  test('an unknown suffix falls to the slug route and is not found', async () => {
    const r = await h.app.inject({ method: 'GET', url: `${url}/foo` })
    assert.equal(r.statusCode, 404)
    assert.equal(r.body, 'not found')
    assert.equal((await readPings(h.ctx)).length, 0)
  })

  test('it handles 120 char ua', async () => {
    const ua =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/44.0.2403.89 Safari/537.36'
    await h.app.inject({ method: 'GET', url, headers: { 'user-agent': ua } })
    assert.equal((await onlyPing(h.ctx)).ua, ua)
  })

  test('it truncates long ua', async () => {
    const ua = '01234567890'.repeat(30)
    await h.app.inject({ method: 'GET', url, headers: { 'user-agent': ua } })
    assert.equal((await onlyPing(h.ctx)).ua, ua.slice(0, 200))
  })

  test('it reads the socket address without forwarding headers', async () => {
    await h.app.inject({ method: 'GET', url, remoteAddress: '10.1.2.3' })
    assert.equal((await onlyPing(h.ctx)).remote_addr, '10.1.2.3')
  })

  test('it reads forwarded ip', async () => {
    await h.app.inject({ method: 'GET', url, headers: { 'x-forwarded-for': '1.1.1.1' } })
    assert.equal((await onlyPing(h.ctx)).remote_addr, '1.1.1.1')
  })

  test('it reads forwarded ipv6 ip', async () => {
    await h.app.inject({ method: 'GET', url, headers: { 'x-forwarded-for': '2001::1' } })
    assert.equal((await onlyPing(h.ctx)).remote_addr, '2001::1')
  })

  test('it reads first forwarded ip', async () => {
    await h.app.inject({
      method: 'GET',
      url,
      remoteAddress: '3.3.3.3',
      headers: { 'x-forwarded-for': '1.1.1.1, 2.2.2.2' },
    })
    assert.equal((await onlyPing(h.ctx)).remote_addr, '1.1.1.1')
  })

  test('it handles forwarded ip plus port', async () => {
    await h.app.inject({
      method: 'GET',
      url,
      remoteAddress: '3.3.3.3',
      headers: { 'x-forwarded-for': '1.1.1.1:1234' },
    })
    assert.equal((await onlyPing(h.ctx)).remote_addr, '1.1.1.1')
  })

  test('it stores no address when the forwarded one is not an address', async () => {
    const r = await h.app.inject({ method: 'GET', url, headers: { 'x-forwarded-for': 'unknown' } })
    assert.equal(r.statusCode, 200)
    assert.equal((await onlyPing(h.ctx)).remote_addr, null)
  })

  test('it reads forwarded protocol', async () => {
    await h.app.inject({ method: 'GET', url, headers: { 'x-forwarded-proto': 'https' } })
    assert.equal((await onlyPing(h.ctx)).scheme, 'https')
  })

  test('it updates confirmation flag', async () => {
    await h.app.inject({
      method: 'POST',
      url,
      payload: 'Please Confirm ...',
      headers: { 'content-type': 'text/plain' },
    })
    assert.equal((await refresh()).has_confirmation_link, 1)
    await h.app.inject({
      method: 'POST',
      url,
      payload: 'nothing to see',
      headers: { 'content-type': 'text/plain' },
    })
    assert.equal((await refresh()).has_confirmation_link, 0)
  })

  test('fail endpoint works', async () => {
    const r = await h.app.inject({ method: 'GET', url: `${url}/fail` })
    assert.equal(r.statusCode, 200)
    const c = await refresh()
    assert.equal(c.status, 'down')
    assert.equal(c.alert_after, null)
    assert.equal((await onlyPing(h.ctx)).kind, 'fail')
    const flips = await readFlips(h.ctx, check.id)
    assert.equal(flips.length, 1)
    assert.equal(
      `${flips[0].old_status}->${flips[0].new_status}:${flips[0].reason}`,
      'new->down:fail',
    )
  })

  test('fail flips an up check down', async () => {
    await h.app.inject({ method: 'GET', url })
    await h.app.inject({ method: 'GET', url: `${url}/fail` })
    const flips = await readFlips(h.ctx, check.id)
    assert.deepEqual(
      flips.map((f) => `${f.old_status}->${f.new_status}:${f.reason}`),
      ['new->up:', 'up->down:fail'],
    )
  })

  test('start endpoint works', async () => {
    const lastPing = h.ctx.clock.now() - 2 * HOUR
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ last_ping: lastPing })
      .where('id', '=', check.id)
      .execute()
    const r = await h.app.inject({ method: 'GET', url: `${url}/start` })
    assert.equal(r.statusCode, 200)
    const c = await refresh()
    assert.equal(c.last_start, h.ctx.clock.now())
    assert.equal(c.last_ping, lastPing)
    assert.equal(c.status, 'new')
    assert.equal((await onlyPing(h.ctx)).kind, 'start')
    assert.equal((await readFlips(h.ctx, check.id)).length, 0)
  })

  test('start on a new check sets alert_after to start plus grace', async () => {
    await h.app.inject({ method: 'GET', url: `${url}/start` })
    assert.equal((await refresh()).alert_after, h.ctx.clock.now() + HOUR)
  })

  test('start on a down check leaves alert_after empty', async () => {
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ status: 'down' })
      .where('id', '=', check.id)
      .execute()
    await h.app.inject({ method: 'GET', url: `${url}/start` })
    const c = await refresh()
    assert.equal(c.last_start, h.ctx.clock.now())
    assert.equal(c.alert_after, null)
  })

  test('start does not change status of paused check', async () => {
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ status: 'paused' })
      .where('id', '=', check.id)
      .execute()
    await h.app.inject({ method: 'GET', url: `${url}/start` })
    const c = await refresh()
    assert.equal(c.last_start, h.ctx.clock.now())
    assert.equal(c.status, 'paused')
    assert.equal(c.alert_after, h.ctx.clock.now() + HOUR)
  })

  test('start sets last_start_rid', async () => {
    const rid = randomUUID()
    await h.app.inject({ method: 'GET', url: `${url}/start?rid=${rid}` })
    assert.equal((await refresh()).last_start_rid, rid)
  })

  test('it sets last_duration', async () => {
    await h.app.inject({ method: 'GET', url: `${url}/start` })
    h.ctx.clock.advance(10_000)
    await h.app.inject({ method: 'GET', url })
    const c = await refresh()
    assert.equal(c.last_duration_ms, 10_000)
    assert.equal(c.last_start, null)
  })

  test('it does not update last_start on rid mismatch', async () => {
    const t = h.ctx.clock.now() - 10_000
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ last_start: t, last_start_rid: randomUUID() })
      .where('id', '=', check.id)
      .execute()
    const r = await h.app.inject({ method: 'GET', url: `${url}?rid=${randomUUID()}` })
    assert.equal(r.statusCode, 200)
    const c = await refresh()
    assert.equal(c.last_start, t)
    assert.equal(c.last_duration_ms, null)
    // It still counts as a success.
    assert.equal(c.last_ping, h.ctx.clock.now())
    assert.equal(c.status, 'up')
  })

  test('it clears last_start and sets last_duration if rid matches', async () => {
    const rid = randomUUID()
    await h.app.inject({ method: 'GET', url: `${url}/start?rid=${rid}` })
    h.ctx.clock.advance(10_000)
    // The rid is compared as a UUID, so case does not matter.
    await h.app.inject({ method: 'GET', url: `${url}?rid=${rid.toUpperCase()}` })
    const c = await refresh()
    assert.equal(c.last_start, null)
    assert.equal(c.last_duration_ms, 10_000)
  })

  test('it clears last_start if rid is absent', async () => {
    await h.app.inject({ method: 'GET', url: `${url}/start?rid=${randomUUID()}` })
    h.ctx.clock.advance(10_000)
    await h.app.inject({ method: 'GET', url })
    const c = await refresh()
    assert.equal(c.last_start, null)
    assert.equal(c.last_duration_ms, null)
  })

  test('it clears last_start on failure', async () => {
    await h.app.inject({ method: 'GET', url: `${url}/start?rid=${randomUUID()}` })
    h.ctx.clock.advance(10_000)
    await h.app.inject({ method: 'GET', url: `${url}/fail?rid=${randomUUID()}` })
    const c = await refresh()
    assert.equal(c.last_start, null)
    assert.equal(c.last_duration_ms, null)
  })

  test('it requires post', async () => {
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ methods: 'POST' })
      .where('id', '=', check.id)
      .execute()
    const r = await h.app.inject({ method: 'GET', url })
    assert.equal(r.statusCode, 200)
    const c = await refresh()
    assert.equal(c.status, 'new')
    assert.equal(c.last_ping, null)
    assert.equal(c.n_pings, 1)
    assert.equal((await onlyPing(h.ctx)).kind, 'ign')
  })

  test('it records an ignored ping and its confirmation link', async () => {
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ methods: 'POST' })
      .where('id', '=', check.id)
      .execute()
    await h.app.inject({
      method: 'PUT',
      url,
      payload: 'please confirm',
      headers: { 'content-type': 'text/plain' },
    })
    const c = await refresh()
    assert.equal(c.has_confirmation_link, 1)
    assert.equal(c.n_pings, 1)
  })

  test('it handles manual resume flag', async () => {
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ status: 'paused', manual_resume: 1 })
      .where('id', '=', check.id)
      .execute()
    for (const suffix of ['', '/fail', '/start']) {
      const r = await h.app.inject({ method: 'GET', url: url + suffix })
      assert.equal(r.statusCode, 200)
    }
    const c = await refresh()
    assert.equal(c.status, 'paused')
    assert.equal(c.last_start, null)
    assert.deepEqual(
      (await readPings(h.ctx)).map((p) => p.kind),
      ['ign', 'ign', 'ign'],
    )
  })

  test('zero exit status works', async () => {
    const r = await h.app.inject({ method: 'GET', url: `${url}/0` })
    assert.equal(r.statusCode, 200)
    assert.equal((await refresh()).status, 'up')
    const ping = await onlyPing(h.ctx)
    assert.equal(ping.kind, 'success')
    assert.equal(ping.exitstatus, 0)
  })

  test('nonzero exit status works', async () => {
    const r = await h.app.inject({ method: 'GET', url: `${url}/123` })
    assert.equal(r.statusCode, 200)
    assert.equal((await refresh()).status, 'down')
    const ping = await onlyPing(h.ctx)
    assert.equal(ping.kind, 'fail')
    assert.equal(ping.exitstatus, 123)
  })

  test('exit status 255 is a failure', async () => {
    const r = await h.app.inject({ method: 'GET', url: `${url}/255` })
    assert.equal(r.statusCode, 200)
    assert.equal((await onlyPing(h.ctx)).exitstatus, 255)
  })

  test('it rejects exit status over 255', async () => {
    for (const code of ['256', '99999999999999999999999']) {
      const r = await h.app.inject({ method: 'GET', url: `${url}/${code}` })
      assert.equal(r.statusCode, 400)
      assert.equal(r.body, 'invalid url format')
    }
    assert.equal((await readPings(h.ctx)).length, 0)
  })

  test('a missing check wins over a bad exit status and a bad rid', async () => {
    const r = await h.app.inject({ method: 'GET', url: `/ping/${randomUUID()}/256?rid=nope` })
    assert.equal(r.statusCode, 404)
  })

  test('a bad exit status wins over a bad rid', async () => {
    const r = await h.app.inject({ method: 'GET', url: `${url}/256?rid=nope` })
    assert.equal(r.body, 'invalid url format')
  })

  test('it accepts bad unicode', async () => {
    const body = Buffer.from('Hello \xe9 World', 'latin1')
    const r = await h.app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { 'content-type': 'text/plain' },
    })
    assert.equal(r.statusCode, 200)
    assert.deepEqual((await onlyPing(h.ctx)).body, body)
  })

  test('log endpoint works', async () => {
    const r = await h.app.inject({
      method: 'POST',
      url: `${url}/log`,
      payload: 'hello',
      headers: { 'content-type': 'text/plain' },
    })
    assert.equal(r.statusCode, 200)
    const c = await refresh()
    assert.equal(c.status, 'new')
    assert.equal(c.alert_after, null)
    assert.equal(c.last_ping, null)
    const ping = await onlyPing(h.ctx)
    assert.equal(ping.kind, 'log')
    assert.deepEqual(ping.body, Buffer.from('hello'))
    assert.equal((await readFlips(h.ctx, check.id)).length, 0)
  })

  test('it saves run id', async () => {
    const rid = randomUUID()
    await h.app.inject({ method: 'GET', url: `${url}/start?rid=${rid.toUpperCase()}` })
    assert.equal((await onlyPing(h.ctx)).rid, rid)
  })

  test('it handles invalid rid', async () => {
    for (const sample of ['12345', '684e2e73-017e-465f-8149-d70b7c5aaa490', '']) {
      const r = await h.app.inject({ method: 'GET', url: `${url}/start?rid=${sample}` })
      assert.equal(r.statusCode, 400, sample)
      assert.equal(r.body, 'invalid uuid format')
    }
    assert.equal((await readPings(h.ctx)).length, 0)
    assert.equal((await refresh()).n_pings, 0)
  })

  test('numbers pings of a check from 1', async () => {
    for (let i = 0; i < 3; i++) await h.app.inject({ method: 'GET', url })
    assert.deepEqual(
      (await readPings(h.ctx)).map((p) => p.n),
      [1, 2, 3],
    )
  })
})

// The keyword filters and their precedence (spec §3.3, §10 item 4).
describeEachDatabase('ping classification', (dialect) => {
  let h: PingHarness
  let check: Check
  let url: string
  beforeEach(async () => {
    h = await createPingHarness(dialect)
    check = await buildCheck(h.ctx, h.alice.project, {
      filter_http_body: 1,
      success_kw: 'SUCCESS, all good ,',
      failure_kw: 'ERROR,FAIL',
      start_kw: 'STARTING',
    })
    url = `/ping/${check.code}`
  })
  afterEach(() => h.close())

  const post = (u: string, body: string | Buffer) =>
    h.app.inject({
      method: 'POST',
      url: u,
      payload: body,
      headers: { 'content-type': 'text/plain' },
    })

  test('a failure keyword makes a success URL a failure', async () => {
    await post(url, 'backup: ERROR while copying')
    assert.equal((await onlyPing(h.ctx)).kind, 'fail')
    assert.equal((await readCheck(h.ctx, check.id)).status, 'down')
  })

  test('failure keywords beat success keywords', async () => {
    await post(url, 'SUCCESS then FAIL')
    assert.equal((await onlyPing(h.ctx)).kind, 'fail')
  })

  test('a success keyword makes a fail URL a success', async () => {
    await post(`${url}/fail`, 'it was all good in the end')
    assert.equal((await onlyPing(h.ctx)).kind, 'success')
  })

  test('a start keyword makes a log URL a start', async () => {
    await post(`${url}/log`, 'STARTING backup')
    assert.equal((await onlyPing(h.ctx)).kind, 'start')
  })

  test('keywords are case-sensitive and a body without any is ignored', async () => {
    await post(url, 'success, error, starting')
    assert.equal((await onlyPing(h.ctx)).kind, 'ign')
    assert.equal((await readCheck(h.ctx, check.id)).status, 'new')
  })

  test('with default fail a body without keywords is a failure', async () => {
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ filter_default_fail: 1 })
      .where('id', '=', check.id)
      .execute()
    await post(url, 'nothing recognisable')
    assert.equal((await onlyPing(h.ctx)).kind, 'fail')
  })

  test('an empty body is classified too', async () => {
    await h.app.inject({ method: 'GET', url })
    assert.equal((await onlyPing(h.ctx)).kind, 'ign')
  })

  test('invalid UTF-8 does not hide the keywords', async () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xfe, 0xe9]), Buffer.from(' SUCCESS ')])
    const r = await post(url, body)
    assert.equal(r.statusCode, 200)
    const ping = await onlyPing(h.ctx)
    assert.equal(ping.kind, 'success')
    assert.deepEqual(ping.body, body)
  })

  test('manual resume takes precedence over keywords', async () => {
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ status: 'paused', manual_resume: 1 })
      .where('id', '=', check.id)
      .execute()
    await post(url, 'ERROR')
    assert.equal((await onlyPing(h.ctx)).kind, 'ign')
    assert.equal((await readCheck(h.ctx, check.id)).status, 'paused')
  })

  test('allowed methods take precedence over keywords', async () => {
    await h.ctx.db.kysely
      .updateTable('checks')
      .set({ methods: 'POST' })
      .where('id', '=', check.id)
      .execute()
    await h.app.inject({
      method: 'PUT',
      url,
      payload: 'ERROR',
      headers: { 'content-type': 'text/plain' },
    })
    assert.equal((await onlyPing(h.ctx)).kind, 'ign')
  })

  test('keywords override a nonzero exit status but the status is kept', async () => {
    await post(`${url}/3`, 'all good')
    const ping = await onlyPing(h.ctx)
    assert.equal(ping.kind, 'success')
    assert.equal(ping.exitstatus, 3)
  })
})

describeEachDatabase('ping body limit', (dialect) => {
  let h: PingHarness
  afterEach(() => h.close())

  test('it chops long body', async () => {
    h = await createPingHarness(dialect, { PING_BODY_LIMIT: '5' })
    const check = await buildCheck(h.ctx, h.alice.project)
    const r = await h.app.inject({
      method: 'POST',
      url: `/ping/${check.code}`,
      payload: 'hello world',
    })
    assert.equal(r.headers['ping-body-limit'], '5')
    const ping = await onlyPing(h.ctx)
    assert.equal(ping.method, 'POST')
    assert.deepEqual(ping.body, Buffer.from('hello'))
  })

  test('it allows unlimited body', async () => {
    h = await createPingHarness(dialect, { PING_BODY_LIMIT: 'None' })
    const check = await buildCheck(h.ctx, h.alice.project)
    const r = await h.app.inject({
      method: 'POST',
      url: `/ping/${check.code}`,
      payload: 'A'.repeat(20000),
    })
    assert.equal(r.headers['ping-body-limit'], undefined)
    assert.equal((await onlyPing(h.ctx)).body?.length, 20000)
  })

  test('a body over the request size limit gets a 413, not a 500', async () => {
    h = await createPingHarness(dialect)
    const check = await buildCheck(h.ctx, h.alice.project)
    const r = await h.app.inject({
      method: 'POST',
      url: `/ping/${check.code}`,
      payload: Buffer.alloc(4 * 1024 * 1024, 97),
    })
    assert.equal(r.statusCode, 413)
    assert.equal((await readPings(h.ctx)).length, 0)
  })
})
