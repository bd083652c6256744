/**
 * The test databases themselves (test/helpers/databases.ts): a PostgreSQL schema goes back to the
 * pool emptied, with its connections, and one whose shape a test changed is never handed out
 * again. The whole suite's isolation rests on these.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sql } from 'kysely'
import { createTestDatabase, enabledDialects } from '../helpers/databases.js'

const postgres = enabledDialects().includes('postgres')

async function columnsOfChecks(t: Awaited<ReturnType<typeof createTestDatabase>>) {
  const r = await sql<{ c: string }>`select column_name as c from information_schema.columns
    where table_schema = ${t.db.schema} and table_name = 'checks'`.execute(t.db.kysely)
  return r.rows.map((x) => x.c)
}

test('PostgreSQL: the next test gets the schema back emptied, ids restarted, over the same connections', {
  skip: !postgres && 'TEST_DB leaves PostgreSQL out',
}, async () => {
  const first = await createTestDatabase('postgres')
  const addUser = (t: typeof first) =>
    t.db.kysely
      .insertInto('users')
      .values({ email: 'a@example.org', created: 0 })
      .returning('id')
      .executeTakeFirstOrThrow()
  const { id } = await addUser(first)
  await first.db.kysely
    .insertInto('system_status')
    .values({ key: 'k', value: '1', updated: 0 })
    .execute()
  const pool = first.db.pool
  const schema = first.db.schema
  await first.drop()
  const second = await createTestDatabase('postgres')
  try {
    assert.equal(second.db.schema, schema)
    assert.equal(second.db.pool, pool, 'the idle pool is handed on')
    assert.notEqual(second.db, first.db, 'a Db of its own (caches keyed by it start empty)')
    assert.deepEqual(await second.db.kysely.selectFrom('users').selectAll().execute(), [])
    assert.deepEqual(await second.db.kysely.selectFrom('system_status').selectAll().execute(), [])
    assert.equal((await addUser(second)).id, id, 'the id sequence restarted')
  } finally {
    await second.drop()
  }
})

test('PostgreSQL: a schema a test altered is dropped, not handed out again', {
  skip: !postgres && 'TEST_DB leaves PostgreSQL out',
}, async () => {
  const first = await createTestDatabase('postgres')
  const schema = first.db.schema
  await sql`alter table checks add column leaked_column integer`.execute(first.db.kysely)
  await first.drop()
  const second = await createTestDatabase('postgres')
  try {
    assert.notEqual(second.db.schema, schema)
    assert.ok(!(await columnsOfChecks(second)).includes('leaked_column'))
    const gone = await sql<{ n: number }>`select count(*)::int as n from information_schema.schemata
      where schema_name = ${schema}`.execute(second.db.kysely)
    assert.equal(gone.rows[0].n, 0, 'the altered schema was dropped')
  } finally {
    await second.drop()
  }
})

test('PostgreSQL: DDL rolled back leaves the schema reusable; a Db the test closed is not reused', {
  skip: !postgres && 'TEST_DB leaves PostgreSQL out',
}, async () => {
  const first = await createTestDatabase('postgres')
  const schema = first.db.schema
  await first.db.kysely
    .transaction()
    .execute(async (trx) => {
      await sql`alter table checks add column rolled_back integer`.execute(trx)
      throw new Error('roll back')
    })
    .catch(() => {})
  await first.db.close()
  await first.drop()
  const second = await createTestDatabase('postgres')
  try {
    assert.equal(second.db.schema, schema)
    assert.notEqual(second.db.pool, first.db.pool, 'a closed pool is not handed on')
    assert.ok(!(await columnsOfChecks(second)).includes('rolled_back'))
    await second.db.kysely.selectFrom('checks').select('id').execute()
  } finally {
    await second.drop()
  }
})
