/**
 * The migrations themselves. Every other test gets a copy of a database migrated once per test
 * process (test/helpers/databases.ts); these run them as production does: from an empty
 * database, and one at a time over a database that already holds data.
 */
import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import { sql } from 'kysely'
import type { Db } from '../../src/db/index.js'
import { migrateTo, migrationNames, pendingMigrations } from '../../src/db/migrate.js'
import {
  createScratchDatabase,
  createTestDatabase,
  describeEachDatabase,
  type TestDatabase,
} from '../helpers/databases.js'

/** Tables and their columns, as Kysely introspects them, without the migrator's own tables. */
async function shape(db: Db): Promise<string[]> {
  const tables = await db.kysely.introspection.getTables()
  return tables
    .filter((t) => !t.name.startsWith('kysely_'))
    .map(
      (t) =>
        `${t.name}(${t.columns
          .map((c) => `${c.name} ${c.dataType}${c.isNullable ? '' : ' not null'}`)
          .join(', ')})`,
    )
    .sort()
}

describeEachDatabase('migrations', (dialect) => {
  const open: TestDatabase[] = []
  afterEach(async () => {
    for (const t of open.splice(0)) await t.drop()
  })

  test('an empty database migrates to the same schema the other tests get', async () => {
    const scratch = await createScratchDatabase(dialect)
    open.push(scratch)
    const copy = await createTestDatabase(dialect)
    open.push(copy)
    assert.deepEqual(await pendingMigrations(scratch.db), [])
    const applied = await scratch.db.kysely
      .selectFrom('kysely_migration' as never)
      .select(sql<string>`name`.as('name'))
      .orderBy(sql`name`)
      .execute()
    assert.deepEqual(
      applied.map((r) => r.name),
      migrationNames(),
    )
    const scratchShape = await shape(scratch.db)
    assert.ok(scratchShape.some((t) => t.startsWith('checks(')))
    assert.deepEqual(scratchShape, await shape(copy.db))
    assert.deepEqual(await pendingMigrations(copy.db), [])
  })

  test('every migration runs in order over a database that holds data, and keeps it', async () => {
    const t = await createScratchDatabase(dialect, migrationNames()[0])
    open.push(t)
    const k = t.db.kysely
    // Rows as the first schema knew them, including a project API key stored on the project row.
    await sql`INSERT INTO users (email, created) VALUES ('alice@example.org', 1)`.execute(k)
    await sql`INSERT INTO projects (code, name, owner_id, api_key_hash, badge_key, created)
      SELECT 'p-code', 'Backups', id, 'digest-rw', 'badge-p', 2 FROM users`.execute(k)
    await sql`INSERT INTO checks (code, project_id, name, badge_key, created)
      SELECT 'c-code', id, 'nightly', 'badge-c', 3 FROM projects`.execute(k)
    await sql`INSERT INTO pings (check_id, n, created, kind, scheme, method, ua)
      SELECT id, 1, 4, 'success', 'http', 'GET', 'curl' FROM checks`.execute(k)

    for (const name of migrationNames().slice(1)) {
      const r = await migrateTo(t.db, name)
      assert.equal(r.error, undefined, `${name}: ${r.error}`)
      assert.deepEqual(
        r.results?.map((m) => [m.migrationName, m.status]),
        [[name, 'Success']],
      )
    }
    assert.deepEqual(await pendingMigrations(t.db), [])

    const user = await k.selectFrom('users').select(['id', 'email']).executeTakeFirstOrThrow()
    assert.equal(user.email, 'alice@example.org')
    const check = await k
      .selectFrom('checks')
      .innerJoin('projects', 'projects.id', 'checks.project_id')
      .select(['checks.name as check', 'projects.name as project', 'checks.n_pings'])
      .executeTakeFirstOrThrow()
    assert.deepEqual(check, { check: 'nightly', project: 'Backups', n_pings: 0 })
    assert.equal((await k.selectFrom('pings').select('n').execute()).length, 1)
    // 0008 moved the project's key into api_keys, owned by the project's owner.
    const keys = await k
      .selectFrom('api_keys')
      .select(['stored', 'readonly', 'created_by'])
      .execute()
    assert.deepEqual(
      keys.map((r) => [r.stored, r.readonly, Number(r.created_by)]),
      [['digest-rw', 0, Number(user.id)]],
    )
  })
})
