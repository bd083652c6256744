import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, test } from 'node:test'
import { createProject } from '../../src/projects/create-project.js'
import { sha256Hex } from '../../src/tokens.js'
import { buildUser } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

describeEachDatabase('createProject', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    await buildUser(ctx, 'ops@example.com')
  })
  afterEach(() => ctx.drop())

  test('AK-1 it stores only keyed hashes of the API keys and returns the plain keys once', async () => {
    const r = await createProject(ctx, { ownerEmail: 'ops@example.com', name: 'Backups' })
    assert.ok(r.ok)
    assert.match(r.value.apiKey, /^hcw_[A-Za-z0-9]{28}$/)
    assert.match(r.value.apiKeyReadonly, /^hcr_[A-Za-z0-9]{28}$/)
    const rows = await ctx.db.kysely
      .selectFrom('api_keys')
      .selectAll()
      .where('project_id', '=', r.value.project.id)
      .orderBy('readonly')
      .execute()
    const hmac = (key: string) =>
      createHmac('sha256', 'test-secret-key-0123456789').update(key).digest('hex')
    assert.deepEqual(
      rows.map((k) => [k.readonly, k.stored, k.created_by]),
      [
        [0, `${r.value.apiKey.slice(4, 12)}.${hmac(r.value.apiKey)}`, r.value.project.owner_id],
        [
          1,
          `${r.value.apiKeyReadonly.slice(4, 12)}.${hmac(r.value.apiKeyReadonly)}`,
          r.value.project.owner_id,
        ],
      ],
    )
    assert.equal(r.value.project.api_key_hash, null)
    assert.match(r.value.project.ping_key ?? '', /^[a-z0-9]{22}$/)
  })

  test('AK-1 a given legacy key is stored as its SHA-256 digest and a hcw_ key the Healthchecks way', async () => {
    const legacy = 'b'.repeat(32)
    const hashed = 'hcw_Ab3dEf6hIj9kLm2nOp5qRs8tUv1w'
    const r = await createProject(ctx, {
      ownerEmail: 'ops@example.com',
      name: 'Imported',
      apiKey: hashed,
      apiKeyReadonly: legacy,
    })
    assert.ok(r.ok)
    const rows = await ctx.db.kysely
      .selectFrom('api_keys')
      .select(['readonly', 'stored'])
      .where('project_id', '=', r.value.project.id)
      .orderBy('readonly')
      .execute()
    assert.deepEqual(rows, [
      {
        readonly: 0,
        stored: 'Ab3dEf6h.8ff2b7c6f9108ee005cfd40b4f5660c5ab3ed027939116ad3c9b13b5143d1fc0',
      },
      { readonly: 1, stored: sha256Hex(legacy) },
    ])
    const wrongKind = await createProject(ctx, {
      ownerEmail: 'ops@example.com',
      name: 'X',
      apiKey: 'hcr_Zy9xWv8uTs7rQp6oNm5lKj4iHg3f',
    })
    assert.equal(wrongKind.ok ? null : wrongKind.error.kind, 'invalid-key')
  })

  test('it gives the project an email channel for its owner', async () => {
    const r = await createProject(ctx, { ownerEmail: 'OPS@example.com', name: 'Backups' })
    assert.ok(r.ok)
    const channels = await ctx.db.kysely
      .selectFrom('channels')
      .selectAll()
      .where('project_id', '=', r.value.project.id)
      .execute()
    assert.equal(channels.length, 1)
    assert.equal(channels[0].kind, 'email')
    assert.equal(JSON.parse(channels[0].value).value, 'ops@example.com')
  })

  test('it refuses an unknown owner, a short key and a reused key', async () => {
    const unknown = await createProject(ctx, { ownerEmail: 'nobody@example.com', name: 'X' })
    assert.deepEqual(unknown, {
      ok: false,
      error: { kind: 'owner-not-found', email: 'nobody@example.com' },
    })
    const short = await createProject(ctx, {
      ownerEmail: 'ops@example.com',
      name: 'X',
      apiKey: 'short',
    })
    assert.equal(short.ok ? null : short.error.kind, 'invalid-key')
    const key = 'a'.repeat(32)
    assert.ok(
      (await createProject(ctx, { ownerEmail: 'ops@example.com', name: 'A', apiKey: key })).ok,
    )
    const again = await createProject(ctx, {
      ownerEmail: 'ops@example.com',
      name: 'B',
      apiKeyReadonly: key,
    })
    assert.deepEqual(again.ok ? null : again.error, {
      kind: 'key-taken',
      field: 'api-key-readonly',
    })
  })
})
