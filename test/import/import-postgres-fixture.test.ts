/**
 * The PostgreSQL side of a Healthchecks installation: the fixture's pg_dump is restored with psql
 * into a database this file creates (and drops at the end), then imported into Vigil on both
 * databases. The source is read in a READ ONLY transaction: a write through it is refused.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, afterEach, before, beforeEach, test } from 'node:test'
import pg from 'pg'
import { openHcSource } from '../../src/import/index.js'
import type { TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'
import {
  assertFixtureWorks,
  countRows,
  FIXTURE_COUNTS,
  FIXTURE_DIR,
  importContext,
  runImport,
} from './import-harness.js'

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const HC_DB = `hc_fixture_${process.pid}`

function urlFor(database: string): string {
  const u = new URL(PG_URL)
  u.pathname = `/${database}`
  return u.toString()
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL })
  await c.connect()
  try {
    await c.query(sql)
  } finally {
    await c.end()
  }
}

/** md5 of every row of the tables the import reads: proves the source did not change. */
async function sourceDigest(): Promise<string> {
  const c = new pg.Client({ connectionString: urlFor(HC_DB) })
  await c.connect()
  try {
    const parts: string[] = []
    for (const t of [
      'auth_user',
      'accounts_profile',
      'accounts_project',
      'api_check',
      'api_ping',
    ]) {
      const r = await c.query(`select md5(string_agg(t::text, '|' order by t.id)) as d from ${t} t`)
      parts.push(String(r.rows[0].d))
    }
    return parts.join(',')
  } finally {
    await c.end()
  }
}

let restored = false
before(async () => {
  try {
    await adminQuery(`drop database if exists ${HC_DB} with (force)`)
    await adminQuery(`create database ${HC_DB} template template0`)
  } catch {
    return // PostgreSQL unreachable: describeEachDatabase reports it.
  }
  // pg_dump 15.20 brackets the script with \restrict/\unrestrict, which psql before 15.14 (and
  // the like in other majors) rejects; they only guard against a hostile dump, so drop them.
  const dump = readFileSync(join(FIXTURE_DIR, 'hc-public.sql'), 'utf8')
    .split('\n')
    .filter((line) => !/^\\(un)?restrict /.test(line))
    .join('\n')
  execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-d', urlFor(HC_DB)], {
    input: dump,
    stdio: ['pipe', 'ignore', 'pipe'],
  })
  restored = true
})

after(async () => {
  if (restored) await adminQuery(`drop database if exists ${HC_DB} with (force)`)
})

describeEachDatabase('import from the Healthchecks v2.10 PostgreSQL dump', (dialect) => {
  let ctx: TestContext
  beforeEach(async () => {
    ctx = await importContext(dialect)
  })
  afterEach(async () => {
    await ctx.drop()
  })

  test('imports the same rows as from SQLite, and the old URLs, keys and logins work', async (t) => {
    if (!restored) return t.skip('the dump could not be restored')
    const before = await sourceDigest()
    const report = await runImport(ctx, urlFor(HC_DB))
    assert.equal(report.source, 'postgres')
    assert.deepEqual(report.created, FIXTURE_COUNTS)
    assert.deepEqual(report.skipped, [])
    assert.deepEqual(await countRows(ctx), FIXTURE_COUNTS)
    assert.equal(await sourceDigest(), before)
    const backup = await ctx.db.kysely
      .selectFrom('checks')
      .select(['last_duration_ms', 'grace', 'timeout'])
      .where('code', '=', '03d6cf9e-9068-4b9a-bd6e-35183c378abe')
      .executeTakeFirstOrThrow()
    assert.equal(Math.round((backup.last_duration_ms ?? 0) / 1000), 539)
    assert.equal(backup.grace, 3600)
    await assertFixtureWorks(ctx)
    const again = await runImport(ctx, urlFor(HC_DB))
    for (const n of Object.values(again.created)) assert.equal(n, 0)
  })

  test('the PostgreSQL source refuses writes', async (t) => {
    if (!restored) return t.skip('the dump could not be restored')
    const src = await openHcSource(urlFor(HC_DB))
    assert.ok(src.ok)
    try {
      await assert.rejects(
        src.value.all("update auth_user set email = 'x@example.com'"),
        /read-only transaction/,
      )
    } finally {
      await src.value.close()
    }
  })
})
