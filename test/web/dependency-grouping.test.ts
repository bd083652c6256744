import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Check } from '../../src/db/index.js'
import type { DashboardRow } from '../../src/web/dashboard/dashboard-view.js'
import { groupHeldChildren } from '../../src/web/dashboard/dependency-grouping.js'

function row(id: number, name: string, status: 'up' | 'down'): DashboardRow {
  const check = { id, name, code: `c${id}`, status } as Check
  return { check, status, started: false, integrations: 0 }
}
const statuses = (rows: DashboardRow[]) =>
  new Map(rows.map((r) => [r.check.id, { status: r.check.status, name: r.check.name }]))
const view = (rows: DashboardRow[]) =>
  rows.map(
    (r) =>
      `${r.check.name}${r.heldUnder ? ' (under)' : ''}${r.heldBy ? ` held by ${r.heldBy}` : ''}`,
  )

test('a down child moves under its down parent', () => {
  const rows = [row(1, 'backup', 'down'), row(2, 'net', 'down'), row(3, 'api', 'up')]
  const out = groupHeldChildren(rows, [{ checkId: 1, dependsOnId: 2 }], statuses(rows))
  assert.deepEqual(view(out), ['net', 'backup (under) held by net', 'api'])
})

test('an up parent holds nothing and moves nothing', () => {
  const rows = [row(1, 'backup', 'down'), row(2, 'net', 'up')]
  const out = groupHeldChildren(rows, [{ checkId: 1, dependsOnId: 2 }], statuses(rows))
  assert.deepEqual(view(out), ['backup', 'net'])
})

test('a child whose parent row is filtered out stays in place, still marked', () => {
  const all = [row(1, 'backup', 'down'), row(2, 'net', 'down')]
  const out = groupHeldChildren([all[0]], [{ checkId: 1, dependsOnId: 2 }], statuses(all))
  assert.deepEqual(view(out), ['backup held by net'])
})

test('a chain nests one level: the grandchild stays a marked plain row', () => {
  const rows = [row(1, 'net', 'down'), row(2, 'db', 'down'), row(3, 'report', 'down')]
  const edges = [
    { checkId: 2, dependsOnId: 1 },
    { checkId: 3, dependsOnId: 2 },
  ]
  const out = groupHeldChildren(rows, edges, statuses(rows))
  assert.deepEqual(view(out), ['net', 'db (under) held by net', 'report held by db'])
})
