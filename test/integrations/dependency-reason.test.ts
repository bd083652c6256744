import assert from 'node:assert/strict'
import { test } from 'node:test'
import { reasonLong } from '../../src/integrations/message-facts.js'

test('a down alert released after its parent recovered gives the reason after the usual one', () => {
  const held_reason = 'parent net was down; still down after it recovered'
  assert.equal(
    reasonLong({ reason: 'timeout', held_reason }),
    'success signal did not arrive on time, grace time passed; parent net was down; still down after it recovered',
  )
})

test('other gate reasons (flapping protection) never reach the message', () => {
  const held_reason = 'flapping protection: waiting until it has been down 600 s'
  assert.equal(reasonLong({ reason: 'fail', held_reason }), 'received a failure signal')
})
