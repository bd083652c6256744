import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  DEPENDENCY_RECHECK_MS,
  decideDependency,
  type ParentState,
} from '../../src/alerts/dependency-rule.js'

const NOW = Date.parse('2026-01-15T12:00:00Z')
const parent = (name: string, f: Partial<ParentState> = {}): ParentState => ({
  name,
  status: 'up',
  alertAfter: NOW + 3_600_000,
  ...f,
})

test('a down flip with no parents alerts', () => {
  assert.deepEqual(decideDependency('down', [], NOW), { kind: 'alert' })
})

test('a down flip while a parent is down is held, naming the parent', () => {
  assert.deepEqual(
    decideDependency('down', [parent('db'), parent('net', { status: 'down' })], NOW),
    {
      kind: 'hold',
      recheckAt: NOW + DEPENDENCY_RECHECK_MS,
      reason: 'parent net is down',
    },
  )
})

test('an up flip is never held, even while a parent is down', () => {
  assert.deepEqual(decideDependency('up', [parent('net', { status: 'down' })], NOW), {
    kind: 'alert',
  })
})

test('same tick: a parent overdue but not yet flipped holds the child until the next pass', () => {
  const d = decideDependency('down', [parent('net', { alertAfter: NOW })], NOW)
  assert.deepEqual(d, {
    kind: 'hold',
    recheckAt: NOW + 1,
    reason: 'waiting to learn whether parent net is down',
  })
})

test('a parent whose deadline is a millisecond away does not hold the child', () => {
  assert.deepEqual(decideDependency('down', [parent('net', { alertAfter: NOW + 1 })], NOW), {
    kind: 'alert',
  })
})

test('paused and new parents do not hold the child', () => {
  const parents = [
    parent('a', { status: 'paused', alertAfter: null }),
    parent('b', { status: 'new', alertAfter: null }),
  ]
  assert.deepEqual(decideDependency('down', parents, NOW), { kind: 'alert' })
})

test('a parent that recovered (up, deadline ahead) lets the still-down child alert', () => {
  assert.deepEqual(decideDependency('down', [parent('net')], NOW), { kind: 'alert' })
})
