import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, test } from 'node:test'
import {
  badgeSignature,
  badgeUrl,
  isValidBadgeSignature,
} from '../../src/projects/badge-signature.js'
import { buildCheck } from '../helpers/builders.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, assertError, call, createApiHarness, SITE_ROOT } from './api-harness.js'

describe('badge signatures', () => {
  // Vectors computed with Django's base64_hmac (salted_hmac, SHA-1, url-safe, unpadded).
  test('they match Healthchecks byte for byte', () => {
    assert.equal(badgeSignature('alice', 'foo', 'abc'), 'z3VtwVCi')
    assert.equal(
      badgeSignature('6d6a2b6e-1b0b-4d1a-9f0e-8e8f2d3f4a5b', '*', 'test-secret-key-0123456789'),
      'zTUx-7md',
    )
    assert.equal(badgeSignature('x', 'a b/é', 's'), 'JqI0wgCm')
  })

  test('only the first 8 characters are compared', () => {
    assert.ok(isValidBadgeSignature('alice', 'foo', 'z3VtwVCi-2', 'abc'))
    assert.ok(!isValidBadgeSignature('alice', 'foo', 'z3VtwVCj', 'abc'))
    assert.ok(!isValidBadgeSignature('alice', 'foo', 'z3Vt', 'abc'))
  })

  test('tags are quoted as Python quote(safe="") does', () => {
    const url = badgeUrl({ siteRoot: 'https://x', secretKey: 's' }, 'k', "a b/é!*()~'", 'svg', true)
    assert.match(url, /\/a%20b%2F%C3%A9%21%2A%28%29~%27\.svg$/)
  })
})

describeEachDatabase('API: badges', (dialect) => {
  let h: ApiHarness
  beforeEach(async () => {
    h = await createApiHarness(dialect)
  })
  afterEach(() => h.close())

  test('it lists six URLs for every tag and for *', async () => {
    await buildCheck(h.ctx, h.alice.project, { tags: 'foo bar' })
    await buildCheck(h.ctx, h.alice.project, { tags: 'foo' })
    await buildCheck(h.ctx, h.bob.project, { tags: 'secret' })
    const r = await call(h.app, 'GET', '/api/v3/badges/', { key: h.alice.apiKeyReadonly })
    assert.equal(r.statusCode, 200)
    const badges = r.json().badges
    assert.deepEqual(Object.keys(badges).sort(), ['*', 'bar', 'foo'])
    const key = h.alice.project.badge_key
    const sig = badgeSignature(key, 'foo', h.ctx.config.secretKey)
    assert.deepEqual(badges.foo, {
      svg: `${SITE_ROOT}/badge/${key}/${sig}-2/foo.svg`,
      svg3: `${SITE_ROOT}/badge/${key}/${sig}/foo.svg`,
      json: `${SITE_ROOT}/badge/${key}/${sig}-2/foo.json`,
      json3: `${SITE_ROOT}/badge/${key}/${sig}/foo.json`,
      shields: `${SITE_ROOT}/badge/${key}/${sig}-2/foo.shields`,
      shields3: `${SITE_ROOT}/badge/${key}/${sig}/foo.shields`,
    })
    const all = badgeSignature(key, '*', h.ctx.config.secretKey)
    assert.equal(badges['*'].svg, `${SITE_ROOT}/badge/${key}/${all}-2.svg`)
  })

  test('it answers 401 without a key', async () => {
    assertError(await call(h.app, 'GET', '/api/v3/badges/'), 401, 'missing api key')
  })
})
