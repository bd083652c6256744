import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type DependencyEdge, findDependencyCycle } from '../../src/checks/dependency-graph.js'

const e = (checkId: number, dependsOnId: number): DependencyEdge => ({ checkId, dependsOnId })

test('no edges and distinct parents: no cycle', () => {
  assert.equal(findDependencyCycle([], 1, [2, 3]), null)
})

test('a self-dependency is the cycle [c, c]', () => {
  assert.deepEqual(findDependencyCycle([], 1, [1]), [1, 1])
})

test('a direct cycle: 2 already depends on 1', () => {
  assert.deepEqual(findDependencyCycle([e(2, 1)], 1, [2]), [1, 2, 1])
})

test('a long cycle is reported along its path', () => {
  const edges = [e(2, 3), e(3, 4), e(4, 1)]
  assert.deepEqual(findDependencyCycle(edges, 1, [2]), [1, 2, 3, 4, 1])
})

test('a diamond is not a cycle', () => {
  // 1 → 2 → 4 and 1 → 3 → 4
  assert.equal(findDependencyCycle([e(2, 4), e(3, 4)], 1, [2, 3]), null)
})

test("the check's own current edges are replaced, not counted", () => {
  // 1 depended on 2; now 2 may depend on 1 only if 1 stops depending on 2.
  assert.equal(findDependencyCycle([e(1, 2)], 1, []), null)
  assert.deepEqual(findDependencyCycle([e(1, 2)], 2, [1]), [2, 1, 2])
})

test('a cycle elsewhere in the project does not hang the walk', () => {
  assert.equal(findDependencyCycle([e(5, 6), e(6, 5), e(2, 5)], 1, [2]), null)
})
