import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import { sha256Hex } from '../../src/tokens.js'
import { describeEachDatabase } from '../helpers/databases.js'
import { type ApiHarness, assertError, call, createApiHarness } from './api-harness.js'

// Computed with Healthchecks' own code path in Python:
//   key[4:12] + "." + hmac.digest(SECRET_KEY.encode(), key.encode(), "sha256").hex()
// with SECRET_KEY = "test-secret-key-0123456789" (the test context's).
const HC_RW_KEY = 'hcw_Ab3dEf6hIj9kLm2nOp5qRs8tUv1w'
const HC_RW_STORED = 'Ab3dEf6h.8ff2b7c6f9108ee005cfd40b4f5660c5ab3ed027939116ad3c9b13b5143d1fc0'
const HC_RO_KEY = 'hcr_Zy9xWv8uTs7rQp6oNm5lKj4iHg3f'
const HC_RO_STORED = 'Zy9xWv8u.e7aead8ed7336c2df2acd9c509b6199cfd4f01ba7a1fcd75cac2be537bde2608'
const HOUR = 3_600_000

describeEachDatabase('API keys: Healthchecks format, legacy keys, expiry, last use', (dialect) => {
  let h: ApiHarness
  afterEach(() => h.close())

  /** Replaces a project's key of one kind with a row as a Healthchecks import would write it. */
  async function storeKey(readonly: 0 | 1, stored: string, lookup: string, expires?: number) {
    const k = h.ctx.db.kysely
    await k
      .deleteFrom('api_keys')
      .where('project_id', '=', h.alice.project.id)
      .where('readonly', '=', readonly)
      .execute()
    await k
      .insertInto('api_keys')
      .values({
        project_id: h.alice.project.id,
        readonly,
        lookup,
        stored,
        created_by: null,
        created_at: h.ctx.clock.now(),
        expires_at: expires ?? null,
      })
      .execute()
  }

  test('T-35 a key stored the Healthchecks way with the same SECRET_KEY authenticates', async () => {
    h = await createApiHarness(dialect)
    await storeKey(0, HC_RW_STORED, HC_RW_STORED.slice(0, 8))
    await storeKey(1, HC_RO_STORED, HC_RO_STORED.slice(0, 8))
    const rw = await call(h.app, 'POST', '/api/v3/checks/', { key: HC_RW_KEY, body: { name: 'x' } })
    assert.equal(rw.statusCode, 201, rw.body)
    const ro = await call(h.app, 'GET', '/api/v3/checks/', { key: HC_RO_KEY })
    assert.equal(ro.statusCode, 200)
    assert.ok(ro.json().checks[0].unique_key, 'answers as to a read-only key')
    // A read-only key on a read-write endpoint is a wrong key, as in Healthchecks.
    assertError(
      await call(h.app, 'POST', '/api/v3/checks/', { key: HC_RO_KEY, body: {} }),
      401,
      'wrong api key',
    )
  })

  test('AK-1 API_KEY_HMAC_KEY replaces SECRET_KEY as the HMAC key of stored keys', async () => {
    h = await createApiHarness(dialect, { API_KEY_HMAC_KEY: 'another-key-for-api-keys' })
    await storeKey(0, HC_RW_STORED, HC_RW_STORED.slice(0, 8))
    assertError(
      await call(h.app, 'GET', '/api/v3/checks/', { key: HC_RW_KEY }),
      401,
      'wrong api key',
    )
    // Keys made under the configured HMAC key work.
    const r = await call(h.app, 'GET', '/api/v3/checks/', { key: h.bob.apiKey })
    assert.equal(r.statusCode, 200)
  })

  test('AK-1 new keys are hcw_/hcr_ + 28 characters, stored as 8 characters, "." and the HMAC', async () => {
    h = await createApiHarness(dialect)
    assert.match(h.alice.apiKey, /^hcw_[A-Za-z0-9]{28}$/)
    assert.match(h.alice.apiKeyReadonly, /^hcr_[A-Za-z0-9]{28}$/)
    const rows = await h.ctx.db.kysely
      .selectFrom('api_keys')
      .selectAll()
      .where('project_id', '=', h.alice.project.id)
      .orderBy('readonly')
      .execute()
    assert.equal(rows.length, 2)
    assert.match(rows[0].stored, new RegExp(`^${h.alice.apiKey.slice(4, 12)}\\.[0-9a-f]{64}$`))
    assert.match(
      rows[1].stored,
      new RegExp(`^${h.alice.apiKeyReadonly.slice(4, 12)}\\.[0-9a-f]{64}$`),
    )
    for (const row of rows) {
      assert.ok(!row.stored.includes(h.alice.apiKey.slice(12)), 'no more of the key than 8 chars')
    }
  })

  test('AK-1 a legacy 32-character key (stored as its SHA-256 digest) keeps working', async () => {
    h = await createApiHarness(dialect)
    const legacy = 'abcdefghijklmnopqrstuvwxyz012345'
    await storeKey(0, sha256Hex(legacy), sha256Hex(legacy))
    assert.equal((await call(h.app, 'GET', '/api/v3/checks/', { key: legacy })).statusCode, 200)
    assertError(
      await call(h.app, 'GET', '/api/v3/checks/', { key: `${legacy.slice(1)}X` }),
      401,
      'wrong api key',
    )
  })

  test('AK-2 an expired key answers 401 "wrong api key"', async () => {
    h = await createApiHarness(dialect)
    const expires = h.ctx.clock.now() + HOUR
    await storeKey(0, HC_RW_STORED, HC_RW_STORED.slice(0, 8), expires)
    assert.equal((await call(h.app, 'GET', '/api/v3/checks/', { key: HC_RW_KEY })).statusCode, 200)
    h.ctx.clock.set(expires)
    assertError(
      await call(h.app, 'GET', '/api/v3/checks/', { key: HC_RW_KEY }),
      401,
      'wrong api key',
    )
  })

  test('AK-2 last_used_at is written on first use and then at most once an hour', async () => {
    h = await createApiHarness(dialect)
    const lastUsed = async () =>
      (
        await h.ctx.db.kysely
          .selectFrom('api_keys')
          .select('last_used_at')
          .where('project_id', '=', h.alice.project.id)
          .where('readonly', '=', 0)
          .executeTakeFirstOrThrow()
      ).last_used_at
    assert.equal(await lastUsed(), null)
    const t0 = h.ctx.clock.now()
    await call(h.app, 'GET', '/api/v3/checks/', { key: h.alice.apiKey })
    assert.equal(Number(await lastUsed()), t0)
    h.ctx.clock.advance(HOUR - 1)
    await call(h.app, 'GET', '/api/v3/checks/', { key: h.alice.apiKey })
    assert.equal(Number(await lastUsed()), t0, 'not again within the hour')
    h.ctx.clock.advance(1)
    await call(h.app, 'GET', '/api/v3/checks/', { key: h.alice.apiKey })
    assert.equal(Number(await lastUsed()), t0 + HOUR)
  })
})
