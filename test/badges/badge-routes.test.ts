import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { Check, NewCheck } from '../../src/db/index.js'
import { badgeSignature, badgeUrl } from '../../src/projects/badge-signature.js'
import { type ApiHarness, call, createApiHarness, SITE_ROOT } from '../api/api-harness.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR

describeEachDatabase('badge images', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect, { MASTER_BADGE_LABEL: 'All my jobs' })
  })
  afterEach(() => h.close())

  const now = () => h.ctx.clock.now()
  const up = (): Partial<NewCheck> => ({ status: 'up', last_ping: now() - HOUR })
  // Default period 1 day, grace 1 hour: a ping 1 day and 1 minute ago is late.
  const late = (): Partial<NewCheck> => ({ status: 'up', last_ping: now() - DAY - 60_000 })
  const down = (): Partial<NewCheck> => ({ status: 'down', last_ping: now() - 2 * DAY })

  /** The path of Alice's badge for `tag`. */
  function path(tag: string, fmt: 'svg' | 'json' | 'shields', withLate = true): string {
    const o = { siteRoot: SITE_ROOT, secretKey: h.ctx.config.secretKey }
    return badgeUrl(o, h.alice.project.badge_key, tag, fmt, withLate).slice(SITE_ROOT.length)
  }

  async function json(url: string) {
    const r = await call(h.app, 'GET', url)
    assert.equal(r.statusCode, 200, r.body)
    assert.match(String(r.headers['content-type']), /^application\/json/)
    return r.json()
  }

  test('a tag badge counts only the project’s checks with that tag', async () => {
    await buildCheck(h.ctx, h.alice.project, { tags: 'db backups', ...up() })
    await buildCheck(h.ctx, h.alice.project, { tags: 'db', ...late() })
    await buildCheck(h.ctx, h.alice.project, { tags: 'dbx web', ...down() })
    await buildCheck(h.ctx, h.bob.project, { tags: 'db', ...down() })
    assert.deepEqual(await json(path('db', 'json')), {
      status: 'late',
      total: 2,
      grace: 1,
      down: 0,
    })
  })

  test('the -2 signature shows late as up', async () => {
    await buildCheck(h.ctx, h.alice.project, { tags: 'db', ...late() })
    assert.equal(path('db', 'json', false).split('/')[3].length, 10)
    assert.deepEqual(await json(path('db', 'json', false)), {
      status: 'up',
      total: 1,
      grace: 1,
      down: 0,
    })
  })

  test('new, paused and running checks show as up', async () => {
    await buildCheck(h.ctx, h.alice.project, { tags: 'x' })
    await buildCheck(h.ctx, h.alice.project, { tags: 'x', status: 'paused' })
    await buildCheck(h.ctx, h.alice.project, { tags: 'x', ...up(), last_start: now() - 60_000 })
    assert.equal((await json(path('x', 'json'))).status, 'up')
  })

  test('a start older than the grace time makes even a new check down', async () => {
    await buildCheck(h.ctx, h.alice.project, { tags: 'x', last_start: now() - 2 * HOUR })
    assert.equal((await json(path('x', 'json'))).status, 'down')
  })

  test('the all-checks badge uses MASTER_BADGE_LABEL and every check', async () => {
    await buildCheck(h.ctx, h.alice.project, { tags: 'a', ...up() })
    await buildCheck(h.ctx, h.alice.project, { ...down() })
    const url = path('*', 'shields')
    assert.match(url, /^\/badge\/[^/]+\/[-\w]{8}\.shields$/)
    assert.deepEqual(await json(url), {
      schemaVersion: 1,
      label: 'All my jobs',
      message: 'down',
      color: 'critical',
    })
    assert.deepEqual(await json(path('*', 'json')), { status: 'down', total: 2, grace: 0, down: 1 })
  })

  test('the SVG badge is an image labelled with the tag, without caching', async () => {
    await buildCheck(h.ctx, h.alice.project, { tags: 'db', ...late() })
    const r = await call(h.app, 'GET', path('db', 'svg'))
    assert.equal(r.statusCode, 200)
    assert.equal(r.headers['content-type'], 'image/svg+xml')
    assert.match(r.body, /<text x="[\d.]+" y="14">db<\/text>/)
    assert.match(r.body, /<text x="[\d.]+" y="14">late<\/text>/)
    assert.equal(
      r.headers['cache-control'],
      'max-age=0, no-cache, no-store, must-revalidate, private',
    )
    assert.equal(r.headers.expires, new Date(now()).toUTCString())
    assert.equal(r.headers['access-control-allow-origin'], '*')
  })

  test('shields JSON for a tag is labelled with the tag', async () => {
    await buildCheck(h.ctx, h.alice.project, { tags: 'db', ...up() })
    assert.deepEqual(await json(path('db', 'shields')), {
      schemaVersion: 1,
      label: 'db',
      message: 'up',
      color: 'success',
    })
  })

  test('tags outside ASCII work through their quoted URLs', async () => {
    await buildCheck(h.ctx, h.alice.project, { tags: 'café', ...down() })
    const url = path('café', 'json')
    assert.match(url, /\/caf%C3%A9\.json$/)
    assert.equal((await json(url)).status, 'down')
  })

  test('a wrong signature is 404', async () => {
    const key = h.alice.project.badge_key
    for (const url of [
      `/badge/${key}/AAAAAAAA/db.svg`,
      `/badge/${key}/AAAAAAAA.json`,
      // Bob's signature does not open Alice's tag.
      `/badge/${key}/${badgeSignature(h.bob.project.badge_key, 'db', h.ctx.config.secretKey)}/db.svg`,
      // A signature for another tag.
      path('db', 'json').replace('/db.json', '/web.json'),
    ]) {
      const r = await call(h.app, 'GET', url)
      assert.equal(r.statusCode, 404, url)
    }
  })

  test('an unknown format or a malformed path is 404', async () => {
    assert.equal(
      (await call(h.app, 'GET', path('db', 'svg').replace('.svg', '.png'))).statusCode,
      404,
    )
    assert.equal((await call(h.app, 'GET', path('db', 'svg').replace('.svg', ''))).statusCode, 404)
    assert.equal(
      (await call(h.app, 'GET', path('db', 'svg').replace('/db.', '/a%20b.'))).statusCode,
      404,
    )
  })

  test('OPTIONS answers 204 with CORS, other methods 405', async () => {
    const options = await call(h.app, 'OPTIONS', path('db', 'svg'))
    assert.equal(options.statusCode, 204)
    assert.equal(options.headers['access-control-allow-methods'], 'GET, OPTIONS')
    assert.equal(options.headers['access-control-max-age'], '600')
    for (const method of ['POST', 'HEAD', 'DELETE'] as const) {
      assert.equal((await call(h.app, method, path('db', 'svg'))).statusCode, 405, method)
    }
    assert.equal((await call(h.app, 'POST', `/b/2/${crypto.randomUUID()}.svg`)).statusCode, 405)
  })

  async function checkBadge(check: Check, states: number, fmt: string) {
    return call(h.app, 'GET', `/b/${states}/${check.badge_key}.${fmt}`)
  }

  test('a check badge is at the URL the API gives as badge_url', async () => {
    const check = await buildCheck(h.ctx, h.alice.project, { name: 'Backups', ...up() })
    const api = await call(h.app, 'GET', `/api/v3/checks/${check.code}`, { key: h.alice.apiKey })
    const url = String(api.json().badge_url)
    assert.equal(url, `${SITE_ROOT}/b/2/${check.badge_key}.svg`)
    const r = await call(h.app, 'GET', url.slice(SITE_ROOT.length))
    assert.equal(r.statusCode, 200)
    assert.equal(r.headers['content-type'], 'image/svg+xml')
    assert.match(r.body, />Backups<\/text>/)
    assert.match(r.body, />up<\/text>/)
  })

  test('a late check is late only on the 3-state check badge', async () => {
    const check = await buildCheck(h.ctx, h.alice.project, { name: 'Backups', ...late() })
    assert.deepEqual((await checkBadge(check, 3, 'json')).json(), {
      status: 'late',
      total: 1,
      grace: 1,
      down: 0,
    })
    assert.deepEqual((await checkBadge(check, 2, 'json')).json(), {
      status: 'up',
      total: 1,
      grace: 1,
      down: 0,
    })
  })

  test('a check badge is labelled with the UUID when the check has no name', async () => {
    const check = await buildCheck(h.ctx, h.alice.project, { ...down() })
    assert.deepEqual((await checkBadge(check, 3, 'shields')).json(), {
      schemaVersion: 1,
      label: check.code,
      message: 'down',
      color: 'critical',
    })
  })

  test('an unknown check badge key, format or states is 404', async () => {
    const check = await buildCheck(h.ctx, h.alice.project, {})
    assert.equal((await call(h.app, 'GET', `/b/2/${crypto.randomUUID()}.svg`)).statusCode, 404)
    assert.equal((await checkBadge(check, 2, 'png')).statusCode, 404)
    assert.equal((await call(h.app, 'GET', `/b/x/${check.badge_key}.svg`)).statusCode, 404)
    const upper = check.badge_key.toUpperCase()
    assert.equal((await call(h.app, 'GET', `/b/2/${upper}.svg`)).statusCode, 404)
  })
})
