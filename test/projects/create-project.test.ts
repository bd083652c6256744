import assert from 'node:assert/strict'
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

  test('it stores only digests of the API keys and returns the plain keys once', async () => {
    const r = await createProject(ctx, { ownerEmail: 'ops@example.com', name: 'Backups' })
    assert.ok(r.ok)
    assert.equal(r.value.apiKey.length, 32)
    assert.equal(r.value.project.api_key_hash, sha256Hex(r.value.apiKey))
    assert.equal(r.value.project.api_key_readonly_hash, sha256Hex(r.value.apiKeyReadonly))
    assert.match(r.value.project.ping_key ?? '', /^[a-z0-9]{22}$/)
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
