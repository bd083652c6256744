import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { copyCheck, transferCheck } from '../../src/checks/index.js'
import type { Check, Project } from '../../src/db/index.js'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

describeEachDatabase('dependencies on copy and transfer', (dialect) => {
  let ctx: TestContext
  let project: Project
  let net: Check
  let backup: Check
  let report: Check
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    project = (await buildProject(ctx)).project
    net = await buildCheck(ctx, project, { name: 'net' })
    backup = await buildCheck(ctx, project, { name: 'backup' })
    report = await buildCheck(ctx, project, { name: 'report' })
    await ctx.db.kysely
      .insertInto('check_dependencies')
      .values([
        { check_id: backup.id, depends_on_id: net.id },
        { check_id: report.id, depends_on_id: backup.id },
      ])
      .execute()
  })
  afterEach(() => ctx.drop())

  const edges = async () =>
    (
      await ctx.db.kysely
        .selectFrom('check_dependencies')
        .select(['check_id', 'depends_on_id'])
        .orderBy('check_id')
        .orderBy('depends_on_id')
        .execute()
    ).map((e) => [e.check_id, e.depends_on_id])

  test('a copy depends on the same parents; nothing depends on the copy', async () => {
    const r = await copyCheck(ctx, { check: backup, project })
    assert.ok(r.ok)
    assert.deepEqual(await edges(), [
      [backup.id, net.id],
      [report.id, backup.id],
      [r.value.id, net.id],
    ])
  })

  test('a check moved to another project loses its dependencies both ways', async () => {
    const other = (await buildProject(ctx, 'alice@example.org', 'Other')).project
    const r = await transferCheck(ctx, { check: backup, from: project, to: other })
    assert.ok(r.ok)
    assert.deepEqual(await edges(), [])
  })
})
