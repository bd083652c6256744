import assert from 'node:assert/strict'
import { afterEach, beforeEach, test } from 'node:test'
import { otherDownChecks, projectTags } from '../../src/checks/index.js'
import type { Project } from '../../src/db/index.js'
import { buildCheck, buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import { describeEachDatabase } from '../helpers/databases.js'

describeEachDatabase('checks queries', (dialect) => {
  let ctx: TestContext
  let project: Project
  beforeEach(async () => {
    ctx = await createTestContext(dialect)
    project = (await buildProject(ctx)).project
  })
  afterEach(() => ctx.drop())

  test('otherDownChecks is null when the project has no other check', async () => {
    const only = await buildCheck(ctx, project, { status: 'down' })
    assert.equal(await otherDownChecks(ctx.db.kysely, only, 10), null)
  })

  test('otherDownChecks lists the other down checks by name, at most limit, with the total', async () => {
    const self = await buildCheck(ctx, project, { status: 'down', name: 'self' })
    await buildCheck(ctx, project, { status: 'up', name: 'fine' })
    for (const name of ['c', 'a', 'b']) await buildCheck(ctx, project, { status: 'down', name })
    const other = (await buildProject(ctx, 'bob@example.org', 'Bobs')).project
    await buildCheck(ctx, other, { status: 'down', name: 'elsewhere' })
    const r = await otherDownChecks(ctx.db.kysely, self, 2)
    assert.deepEqual(
      r?.rows.map((c) => c.name),
      ['a', 'b'],
    )
    assert.equal(r?.total, 3)
  })

  test('otherDownChecks is empty, not null, when the others are all up', async () => {
    const self = await buildCheck(ctx, project, { status: 'down' })
    await buildCheck(ctx, project, { status: 'up' })
    assert.deepEqual(await otherDownChecks(ctx.db.kysely, self, 10), { rows: [], total: 0 })
  })

  test('projectTags gives each tag of the project once, sorted', async () => {
    await buildCheck(ctx, project, { tags: 'prod db' })
    await buildCheck(ctx, project, { tags: 'db  backup' })
    assert.deepEqual(await projectTags(ctx.db.kysely, project.id), ['backup', 'db', 'prod'])
  })
})
