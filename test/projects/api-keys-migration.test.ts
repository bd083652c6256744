import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import type { Kysely } from 'kysely'
import { up } from '../../src/db/migrations/0008-api-keys.js'
import { findProjectByApiKey } from '../../src/projects/api-key-auth.js'
import { sha256Hex } from '../../src/tokens.js'
import { buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

describeEachDatabase('migration 0008: API keys move to their own table', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
  })
  afterEach(() => ctx.drop())

  test('AK-1 SHA-256 digests stored on projects before 0008 become legacy keys that still work', async () => {
    const { project, owner } = await buildProject(ctx, 'alice@example.org', 'Backups')
    const rw = 'abcdefghijklmnopqrstuvwxyz012345'
    const ro = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'
    // The database as 0007 left it: digests on the project row, no api_keys table.
    await ctx.db.kysely.schema.dropTable('api_keys').execute()
    await ctx.db.kysely
      .updateTable('projects')
      .set({ api_key_hash: sha256Hex(rw), api_key_readonly_hash: sha256Hex(ro) })
      .where('id', '=', project.id)
      .execute()
    await up(ctx.db.kysely as unknown as Kysely<unknown>, dialect)

    const rows = await ctx.db.kysely
      .selectFrom('api_keys')
      .select(['readonly', 'stored', 'created_by'])
      .orderBy('readonly')
      .execute()
    assert.deepEqual(
      rows.map((r) => [r.readonly, r.stored, Number(r.created_by)]),
      [
        [0, sha256Hex(rw), owner.id],
        [1, sha256Hex(ro), owner.id],
      ],
    )
    const after = await ctx.db.kysely
      .selectFrom('projects')
      .select(['api_key_hash', 'api_key_readonly_hash'])
      .where('id', '=', project.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(after, { api_key_hash: null, api_key_readonly_hash: null })
    const found = await findProjectByApiKey(ctx, rw, false)
    assert.ok(found.ok && !found.value.readonly)
    const foundRo = await findProjectByApiKey(ctx, ro, true)
    assert.ok(foundRo.ok && foundRo.value.readonly)
    assert.equal((await findProjectByApiKey(ctx, ro, false)).ok, false, 'read-only stays read-only')
  })
})
