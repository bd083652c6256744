import assert from 'node:assert/strict'
import { test } from 'node:test'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect, sql } from 'kysely'
import { withStatementCache } from '../../src/db/index.js'

test('the same SQL text gets the same prepared statement', () => {
  const db = withStatementCache(new SQLite(':memory:'))
  assert.equal(db.prepare('select 1'), db.prepare('select 1'))
  assert.notEqual(db.prepare('select 1'), db.prepare('select 2'))
  db.close()
})

test('the least recently used statement leaves a full cache', () => {
  const db = withStatementCache(new SQLite(':memory:'), 2)
  const one = db.prepare('select 1')
  db.prepare('select 2')
  assert.equal(db.prepare('select 1'), one) // now the most recent
  const two = db.prepare('select 2')
  db.prepare('select 3') // evicts "select 1"
  assert.equal(db.prepare('select 2'), two)
  assert.notEqual(db.prepare('select 1'), one)
  db.close()
})

test('a statement still being iterated is not handed out again', () => {
  const db = withStatementCache(new SQLite(':memory:'))
  const first = db.prepare('select value from json_each(?)')
  const rows = first.iterate(['[1,2,3]'])
  rows.next()
  const second = db.prepare('select value from json_each(?)')
  assert.notEqual(second, first)
  assert.deepEqual(second.all(['[4]']), [{ value: 4 }])
  assert.deepEqual([...rows], [{ value: 2 }, { value: 3 }])
  db.close()
})

test('through Kysely, a cached select sees a column added after it was first run', async () => {
  const k = new Kysely<{ t: { a: number; b?: number } }>({
    dialect: new SqliteDialect({ database: withStatementCache(new SQLite(':memory:')) }),
  })
  await sql`create table t (a integer)`.execute(k)
  await k.insertInto('t').values({ a: 1 }).execute()
  assert.deepEqual(await k.selectFrom('t').selectAll().execute(), [{ a: 1 }])
  await sql`alter table t add column b integer default 2`.execute(k)
  assert.deepEqual(await k.selectFrom('t').selectAll().execute(), [{ a: 1, b: 2 }])
  await k.destroy()
})
