import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, test } from 'node:test'
import { databaseEnv, runVigil } from '../helpers/cli.js'
import {
  createTestDatabase,
  describeEachDatabase,
  type TestDatabase,
} from '../helpers/databases.js'
import { copyFixtureSqlite, HC_SECRET_KEY } from './import-harness.js'

describeEachDatabase('vigil import healthchecks', (dialect) => {
  let tdb: TestDatabase
  let hc: { file: string; remove(): void }
  let env: Record<string, string>
  beforeEach(async () => {
    tdb = await createTestDatabase(dialect)
    hc = copyFixtureSqlite()
    env = { ...databaseEnv(tdb.dbConfig), SECRET_KEY: HC_SECRET_KEY }
  })
  afterEach(async () => {
    await tdb.drop()
    hc.remove()
  })

  test('prints the report; --dry-run --json writes nothing and says so', async () => {
    const dry = await runVigil(
      env,
      'import',
      'healthchecks',
      '--from',
      hc.file,
      '--dry-run',
      '--json',
    )
    assert.equal(dry.code, 0, dry.err)
    const report = JSON.parse(dry.out)
    assert.equal(report.dryRun, true)
    assert.equal(report.created.checks, 15)
    const users = await tdb.db.kysely.selectFrom('users').select('id').execute()
    assert.equal(users.length, 0)

    const real = await runVigil(env, 'import', 'healthchecks', '--from', hc.file)
    assert.equal(real.code, 0, real.err)
    assert.match(real.out, /^checks\s+15\s+0$/m)
    assert.match(real.out, /Skipped: nothing\./)
  })

  test('answers a clear error for a missing file or a database that is not Healthchecks', async () => {
    const missing = await runVigil(
      env,
      'import',
      'healthchecks',
      '--from',
      '/nonexistent/hc.sqlite',
    )
    assert.equal(missing.code, 1)
    assert.match(missing.err, /no such file/)
    const dir = mkdtempSync(join(tmpdir(), 'vigil-nothc-'))
    try {
      const other = join(dir, 'other.sqlite')
      writeFileSync(other, '')
      const r = await runVigil(env, 'import', 'healthchecks', '--from', other)
      assert.equal(r.code, 1)
      assert.match(r.err, /is not a Healthchecks database \(missing tables: auth_user/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const usage = await runVigil(env, 'import', 'healthchecks')
    assert.equal(usage.code, 2)
    assert.match(usage.err, /--from is required/)
  })
})
