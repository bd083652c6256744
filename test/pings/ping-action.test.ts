import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  type ActionRules,
  classifyBody,
  containsKeyword,
  decideAction,
} from '../../src/pings/ping-action.js'

const NO_RULES: ActionRules = {
  methods: '',
  filter_http_body: 0,
  filter_default_fail: 0,
  start_kw: '',
  success_kw: '',
  failure_kw: '',
}
const FILTERED: ActionRules = {
  ...NO_RULES,
  filter_http_body: 1,
  success_kw: 'OK',
  failure_kw: 'ERR, FAIL',
  start_kw: 'GO',
}

const ping = (fields: Partial<Parameters<typeof decideAction>[1]> = {}) => ({
  action: 'success' as const,
  exitstatus: null,
  method: 'GET',
  body: null,
  ...fields,
})

test('keywords are comma-separated, trimmed, case-sensitive substrings', () => {
  assert.equal(containsKeyword('foo, bar ', 'xxbarxx'), true)
  assert.equal(containsKeyword('foo, bar ', 'BAR'), false)
  assert.equal(containsKeyword('', 'anything'), false)
  // Empty entries do not match everything.
  assert.equal(containsKeyword(' , ,', 'anything'), false)
})

test('classification order is fail, success, start, then default', () => {
  assert.equal(classifyBody(FILTERED, 'OK ERR GO'), 'fail')
  assert.equal(classifyBody(FILTERED, 'OK GO'), 'success')
  assert.equal(classifyBody(FILTERED, 'GO'), 'start')
  assert.equal(classifyBody(FILTERED, 'nothing'), 'ign')
  assert.equal(classifyBody({ ...FILTERED, filter_default_fail: 1 }, 'nothing'), 'fail')
})

test('the URL action applies without rules', () => {
  for (const action of ['success', 'start', 'fail', 'log'] as const) {
    assert.equal(decideAction(NO_RULES, ping({ action })), action)
  }
})

test('a nonzero exit status is a failure and zero a success', () => {
  assert.equal(decideAction(NO_RULES, ping({ exitstatus: 0 })), 'success')
  assert.equal(decideAction(NO_RULES, ping({ exitstatus: 1 })), 'fail')
})

test('methods POST ignores other methods, even with keywords', () => {
  const rules = { ...FILTERED, methods: 'POST' }
  assert.equal(decideAction(rules, ping({ method: 'GET', body: Buffer.from('ERR') })), 'ign')
  assert.equal(decideAction(rules, ping({ method: 'POST', body: Buffer.from('ERR') })), 'fail')
})

test('keywords override the URL action, start, fail and log included', () => {
  assert.equal(decideAction(FILTERED, ping({ action: 'fail', body: Buffer.from('OK') })), 'success')
  assert.equal(decideAction(FILTERED, ping({ action: 'start', body: Buffer.from('ERR') })), 'fail')
  assert.equal(decideAction(FILTERED, ping({ action: 'log', body: Buffer.from('GO') })), 'start')
  assert.equal(decideAction(FILTERED, ping({ action: 'log', body: null })), 'ign')
})

test('invalid UTF-8 is decoded leniently', () => {
  const body = Buffer.concat([Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('OK')])
  assert.equal(decideAction(FILTERED, ping({ body })), 'success')
})
