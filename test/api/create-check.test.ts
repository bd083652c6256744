import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { buildChannel, buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import {
  type ApiHarness,
  assertError,
  call,
  channelCodesOfCheck,
  countChecks,
  createApiHarness,
  readCheck,
  SITE_ROOT,
} from './api-harness.js'

const URL = '/api/v3/checks/'

describeEachDatabase('API: create check', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect)
  })
  afterEach(() => h.close())

  /** `key` null: no X-Api-Key header. */
  const post = (body: unknown, url = URL, key: string | null = h.alice.apiKey) =>
    call(h.app, 'POST', url, { key: key ?? undefined, body })
  const onlyCheck = async () => {
    const rows = await h.ctx.db.kysely.selectFrom('checks').selectAll().execute()
    assert.equal(rows.length, 1)
    return rows[0]
  }

  test('it creates a check and answers 201 with its JSON', async () => {
    const r = await post({ name: 'Foo', tags: 'bar,baz', timeout: 3600, grace: 60 })
    assert.equal(r.statusCode, 201)
    const check = await onlyCheck()
    const doc = r.json()
    assert.equal(doc.uuid, check.code)
    assert.equal(doc.name, 'Foo')
    assert.equal(doc.tags, 'bar,baz')
    assert.equal(doc.timeout, 3600)
    assert.equal(doc.grace, 60)
    assert.equal(doc.status, 'new')
    assert.equal(doc.channels, '')
    assert.equal(doc.update_url, `${SITE_ROOT}/api/v3/checks/${check.code}`)
    assert.equal(check.project_id, h.alice.project.id)
    assert.equal(check.alert_after, null)
  })

  test('it assigns no channels unless channels is given', async () => {
    await post({ name: 'Foo' })
    const check = await onlyCheck()
    assert.deepEqual(await channelCodesOfCheck(h.ctx, check.id), [])
  })

  test('channels "*" assigns every channel of the project', async () => {
    const extra = await buildChannel(h.ctx, h.alice.project, 'webhook', { url: 'http://x' })
    await buildChannel(h.ctx, h.bob.project, 'webhook', { url: 'http://y' })
    const r = await post({ channels: '*' })
    const check = await onlyCheck()
    const codes = await channelCodesOfCheck(h.ctx, check.id)
    assert.equal(codes.length, 2)
    assert.ok(codes.includes(extra.code))
    assert.equal(r.json().channels, codes.join(','))
  })

  test('channels accepts UUIDs and names', async () => {
    const a = await buildChannel(h.ctx, h.alice.project, 'webhook', { url: 'http://a' })
    const b = await buildChannel(h.ctx, h.alice.project, 'webhook', { url: 'http://b' })
    await h.ctx.db.kysely
      .updateTable('channels')
      .set({ name: 'ops' })
      .where('id', '=', b.id)
      .execute()
    const r = await post({ channels: `${a.code},ops` })
    assert.equal(r.statusCode, 201)
    assert.deepEqual(
      await channelCodesOfCheck(h.ctx, (await onlyCheck()).id),
      [a.code, b.code].sort(),
    )
  })

  test('it refuses bad channel references and creates nothing', async () => {
    const dup = await buildChannel(h.ctx, h.alice.project, 'webhook', { url: 'http://a' })
    await buildChannel(h.ctx, h.alice.project, 'webhook', { url: 'http://b' })
    await h.ctx.db.kysely
      .updateTable('channels')
      .set({ name: 'twin' })
      .where('project_id', '=', h.alice.project.id)
      .where('kind', '=', 'webhook')
      .execute()
    const bobs = await buildChannel(h.ctx, h.bob.project, 'webhook', { url: 'http://c' })
    assertError(await post({ channels: ',' }), 400, 'empty channel identifier')
    assertError(await post({ channels: 'nope' }), 400, 'invalid channel identifier: nope')
    assertError(
      await post({ channels: bobs.code }),
      400,
      `invalid channel identifier: ${bobs.code}`,
    )
    assertError(await post({ channels: 'twin' }), 400, 'non-unique channel identifier: twin')
    assert.ok(dup)
    assert.equal(await countChecks(h.ctx), 0)
  })

  test('v1 and v2 derive the slug from the name, v3 does not', async () => {
    assert.equal(
      (await post({ name: 'Nightly Backup' }, '/api/v1/checks/')).json().slug,
      'nightly-backup',
    )
    assert.equal(
      (await post({ name: 'Nightly Backup' }, '/api/v2/checks/')).json().slug,
      'nightly-backup',
    )
    assert.equal((await post({ name: 'Nightly Backup' }, '/api/v3/checks/')).json().slug, '')
    assert.equal(
      (await post({ name: 'Nightly Backup', slug: 'nb' }, '/api/v1/checks/')).json().slug,
      'nb',
    )
  })

  test('response URLs use the request version', async () => {
    const doc = (await post({}, '/api/v1/checks/')).json()
    assert.equal(doc.update_url, `${SITE_ROOT}/api/v1/checks/${doc.uuid}`)
    assert.equal(doc.pause_url, `${SITE_ROOT}/api/v1/checks/${doc.uuid}/pause`)
    assert.equal(doc.resume_url, `${SITE_ROOT}/api/v1/checks/${doc.uuid}/resume`)
  })

  test('it creates a cron check with a time zone, rewriting a legacy zone name', async () => {
    const r = await post({ schedule: '5 * * * *', tz: 'Europe/Kiev', timeout: 120 })
    assert.equal(r.statusCode, 201)
    const doc = r.json()
    assert.equal(doc.schedule, '5 * * * *')
    assert.equal(doc.tz, 'Europe/Kyiv')
    assert.equal(doc.timeout, undefined)
    const check = await onlyCheck()
    assert.equal(check.kind, 'cron')
    assert.equal(check.timeout, 86400)
  })

  test('it stores tz even without a schedule', async () => {
    await post({ tz: 'UCT' })
    assert.equal((await onlyCheck()).tz, 'Etc/UTC')
  })

  test('it sets the keyword filters and the deprecated subject fields', async () => {
    const r = await post({
      subject: 'SUCCESS',
      subject_fail: 'ERROR',
      start_kw: 'go',
      filter_body: true,
      filter_http_body: true,
      filter_default_fail: true,
      methods: 'POST',
      manual_resume: true,
      desc: 'd',
    })
    const doc = r.json()
    assert.equal(doc.success_kw, 'SUCCESS')
    assert.equal(doc.failure_kw, 'ERROR')
    assert.equal(doc.subject, 'SUCCESS')
    assert.equal(doc.subject_fail, 'ERROR')
    assert.equal(doc.filter_subject, true)
    assert.equal(doc.filter_body, true)
    assert.equal(doc.filter_http_body, true)
    assert.equal(doc.filter_default_fail, true)
    assert.equal(doc.start_kw, 'go')
    assert.equal(doc.methods, 'POST')
    assert.equal(doc.manual_resume, true)
    assert.equal(doc.desc, 'd')
  })

  test('an explicit filter_subject beats the one derived from subject', async () => {
    const doc = (await post({ subject: 'SUCCESS', filter_subject: false })).json()
    assert.equal(doc.filter_subject, false)
    assert.equal(doc.success_kw, 'SUCCESS')
  })

  test('unique finds the existing check, updates it and answers 200', async () => {
    const existing = await buildCheck(h.ctx, h.alice.project, { name: 'Foo', tags: 'x' })
    const r = await post({ name: 'Foo', tags: 'y', unique: ['name'] })
    assert.equal(r.statusCode, 200)
    assert.equal(r.json().uuid, existing.code)
    assert.equal((await readCheck(h.ctx, existing.id)).tags, 'y')
    assert.equal(await countChecks(h.ctx), 1)
  })

  test('unique matches on every listed field', async () => {
    const existing = await buildCheck(h.ctx, h.alice.project, {
      name: 'Foo',
      slug: 'foo',
      timeout: 600,
      grace: 120,
      tags: 'a',
    })
    const same = await post({
      name: 'Foo',
      slug: 'foo',
      tags: 'a',
      timeout: 600,
      grace: 120,
      unique: ['name', 'slug', 'tags', 'timeout', 'grace'],
    })
    assert.equal(same.statusCode, 200)
    assert.equal(same.json().uuid, existing.code)
    const other = await post({ name: 'Foo', timeout: 900, unique: ['name', 'timeout'] })
    assert.equal(other.statusCode, 201)
  })

  test('unique creates a new check when a listed field is absent from the request', async () => {
    await buildCheck(h.ctx, h.alice.project, { name: 'Foo' })
    const r = await post({ tags: 'x', unique: ['name'] })
    assert.equal(r.statusCode, 201)
    assert.equal(await countChecks(h.ctx), 2)
  })

  test("unique never matches another project's check", async () => {
    await buildCheck(h.ctx, h.bob.project, { name: 'Foo' })
    assert.equal((await post({ name: 'Foo', unique: ['name'] })).statusCode, 201)
  })

  test('unique [] always creates', async () => {
    await buildCheck(h.ctx, h.alice.project, { name: 'Foo' })
    assert.equal((await post({ name: 'Foo', unique: [] })).statusCode, 201)
  })

  test('it answers 403 when the check limit is reached, but still upserts', async () => {
    await h.ctx.db.kysely
      .updateTable('projects')
      .set({ check_limit: 1 })
      .where('id', '=', h.alice.project.id)
      .execute()
    await buildCheck(h.ctx, h.alice.project, { name: 'Foo' })
    const r = await post({ name: 'Bar' })
    assert.equal(r.statusCode, 403)
    assert.equal(r.body, '')
    assert.equal((await post({ name: 'Foo', unique: ['name'] })).statusCode, 200)
  })

  test('the check limit counts checks in every project of the owner', async () => {
    const second = await h.ctx.db.kysely
      .insertInto('projects')
      .values({
        code: '00000000-0000-4000-8000-000000000001',
        name: 'Second',
        owner_id: h.alice.owner.id,
        badge_key: 'bk2',
        created: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await h.ctx.db.kysely
      .updateTable('projects')
      .set({ check_limit: 1 })
      .where('id', '=', h.alice.project.id)
      .execute()
    await h.ctx.db.kysely
      .insertInto('checks')
      .values({
        code: '00000000-0000-4000-8000-000000000002',
        badge_key: 'b',
        project_id: second.id,
        created: 0,
      })
      .execute()
    assert.equal((await post({ name: 'Bar' })).statusCode, 403)
  })

  test("it validates fields with Healthchecks' messages", async () => {
    assertError(
      await post({ name: 'x'.repeat(101) }),
      400,
      'json validation error: name is too long (at most 100 characters)',
    )
    assertError(
      await post({ timeout: 59 }),
      400,
      'json validation error: timeout is too small (allowed: 60 to 31536000 seconds)',
    )
    assertError(
      await post({ timeout: 31536001 }),
      400,
      'json validation error: timeout is too large (allowed: 60 to 31536000 seconds)',
    )
    assertError(
      await post({ timeout: '600' }),
      400,
      'json validation error: timeout is not a number',
    )
    assertError(
      await post({ grace: true }),
      400,
      'json validation error: grace is too small (allowed: 60 to 31536000 seconds)',
    )
    assertError(
      await post({ schedule: '* * * * * *' }),
      400,
      'json validation error: schedule is not a valid cron or OnCalendar expression',
    )
    assertError(
      await post({ tz: 'Mars/Base' }),
      400,
      'json validation error: tz is not a valid timezone',
    )
    assertError(
      await post({ methods: 'GET' }),
      400,
      'json validation error: methods has unexpected value',
    )
    assertError(
      await post({ unique: 'name' }),
      400,
      'json validation error: unique is not an array',
    )
    assertError(
      await post({ unique: ['desc'] }),
      400,
      "json validation error: an item in 'unique' has unexpected value",
    )
    assertError(
      await post({ manual_resume: 'yes' }),
      400,
      'json validation error: manual_resume is not a boolean',
    )
    assertError(
      await post({ slug: 'UPPER' }),
      400,
      'json validation error: slug does not match pattern',
    )
    assertError(await post({ name: null }), 400, 'json validation error: name is not a string')
    assert.equal(await countChecks(h.ctx), 0)
  })

  test('a float timeout is refused even when it is whole', async () => {
    const r = await call(h.app, 'POST', URL, { key: h.alice.apiKey, body: '{"timeout": 3600.0}' })
    assertError(r, 400, 'json validation error: timeout is not a number')
  })

  test('it refuses a body that is not JSON or not an object', async () => {
    assertError(
      await call(h.app, 'POST', URL, { key: h.alice.apiKey, body: '{nope' }),
      400,
      'could not parse request body',
    )
    assertError(
      await call(h.app, 'POST', URL, { key: h.alice.apiKey, body: '[1, 2]' }),
      400,
      'json validation error: value is not an object',
    )
    assertError(
      await call(h.app, 'POST', URL, { key: h.alice.apiKey, body: '"str"' }),
      400,
      'json validation error: value is not an object',
    )
  })

  test('the body is parsed before the key is checked', async () => {
    assertError(
      await call(h.app, 'POST', URL, { body: 'not json' }),
      400,
      'could not parse request body',
    )
  })

  test('an empty body creates a check with defaults', async () => {
    const r = await call(h.app, 'POST', URL, { key: h.alice.apiKey })
    assert.equal(r.statusCode, 201)
    assert.equal(r.json().timeout, 86400)
    assert.equal(r.json().grace, 3600)
  })

  test('it accepts the key in the body, and the header wins', async () => {
    const r = await call(h.app, 'POST', URL, { body: { api_key: h.alice.apiKey, name: 'Foo' } })
    assert.equal(r.statusCode, 201)
    const both = await call(h.app, 'POST', URL, {
      key: 'x'.repeat(32),
      body: { api_key: h.alice.apiKey },
    })
    assertError(both, 401, 'wrong api key')
  })

  test('it answers 401 for a missing, short or wrong key, and for a read-only key', async () => {
    assertError(await post({}, URL, null), 401, 'missing api key')
    assertError(await post({}, URL, 'short'), 401, 'missing api key')
    assertError(await post({}, URL, 'y'.repeat(32)), 401, 'wrong api key')
    assertError(await post({}, URL, h.alice.apiKeyReadonly), 401, 'wrong api key')
    assertError(await post({ api_key: 123 }, URL, null), 401, 'missing api key')
    assert.equal(await countChecks(h.ctx), 0)
  })

  test('it ignores the Content-Type header', async () => {
    const r = await call(h.app, 'POST', URL, {
      key: h.alice.apiKey,
      body: '{"name": "x"}',
      headers: { 'content-type': 'text/plain' },
    })
    assert.equal(r.statusCode, 201)
    const empty = await call(h.app, 'POST', URL, {
      key: h.alice.apiKey,
      body: '{"name": "y"}',
      headers: { 'content-type': '' },
    })
    assert.equal(empty.statusCode, 201)
  })

  test('the URL without a trailing slash works too', async () => {
    assert.equal((await post({}, '/api/v3/checks')).statusCode, 201)
  })
})
