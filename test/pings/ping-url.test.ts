import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isValidExitStatus, parsePingPath, parseRid } from '../../src/pings/ping-url.js'

const U = '07c2f548-9850-4b27-af5d-6c9dc157ec02'
const KEY = 'abcdefghijklmnopqrstuv'

test('the uuid forms name the check by code', () => {
  const cases: Array<[string, string, number | null]> = [
    [U, 'success', null],
    [`${U}/`, 'success', null],
    [`${U}/start`, 'start', null],
    [`${U}/fail`, 'fail', null],
    [`${U}/log`, 'log', null],
    [`${U}/0`, 'success', 0],
    [`${U}/007`, 'success', 7],
    [`${U}/256`, 'success', 256],
  ]
  for (const [path, action, exitstatus] of cases) {
    assert.deepEqual(
      parsePingPath(path),
      { kind: 'ping', target: { code: U }, action, exitstatus },
      path,
    )
  }
})

test('the slug forms name the check by ping key and slug', () => {
  const cases: Array<[string, string, number | null]> = [
    [`${KEY}/foo`, 'success', null],
    [`${KEY}/foo/start`, 'start', null],
    [`${KEY}/foo/fail`, 'fail', null],
    [`${KEY}/foo/log`, 'log', null],
    [`${KEY}/foo-bar_1/12`, 'success', 12],
  ]
  for (const [path, action, exitstatus] of cases) {
    const slug = path.split('/')[1]
    assert.deepEqual(
      parsePingPath(path),
      { kind: 'ping', target: { pingKey: KEY, slug }, action, exitstatus },
      path,
    )
  }
})

test('a uuid with an unknown suffix falls to the slug route', () => {
  assert.deepEqual(parsePingPath(`${U}/foo`), {
    kind: 'ping',
    target: { pingKey: U, slug: 'foo' },
    action: 'success',
    exitstatus: null,
  })
})

test('an uppercase uuid with a suffix is a slug route too', () => {
  assert.deepEqual(parsePingPath(`${U.toUpperCase()}/start`), {
    kind: 'ping',
    target: { pingKey: U.toUpperCase(), slug: 'start' },
    action: 'success',
    exitstatus: null,
  })
})

test('paths no route matches', () => {
  for (const path of [
    '',
    'not-uuid',
    'not-uuid/',
    U.toUpperCase(),
    `${U.toUpperCase()}/`,
    U.replaceAll('-', ''),
    `${U}/start/`,
    `${U}/1.5`,
    `${KEY}/foo/`,
    `${KEY}/foo/bar`,
    `${KEY}/foo/start/`,
    `${KEY}/foo/1/2`,
    `${KEY}/fo.o`,
    `${KEY}//start`,
    `/${KEY}/foo`,
  ]) {
    assert.deepEqual(parsePingPath(path), { kind: 'no-route' }, path)
  }
})

test('an uppercase slug is an invalid url', () => {
  assert.deepEqual(parsePingPath(`${KEY}/Foo`), { kind: 'invalid-slug' })
  assert.deepEqual(parsePingPath(`${KEY}/FOO/fail`), { kind: 'invalid-slug' })
  // The ping key may have uppercase letters.
  assert.equal(parsePingPath(`ABC/foo`).kind, 'ping')
})

test('exit statuses up to 255 are valid', () => {
  assert.equal(isValidExitStatus(null), true)
  assert.equal(isValidExitStatus(0), true)
  assert.equal(isValidExitStatus(255), true)
  assert.equal(isValidExitStatus(256), false)
})

test('rid is a canonical uuid in any case', () => {
  assert.equal(parseRid(null), null)
  assert.equal(parseRid(U), U)
  assert.equal(parseRid(U.toUpperCase()), U)
  for (const bad of ['', '12345', `${U}0`, U.replaceAll('-', ''), `{${U}}`, ` ${U}`]) {
    assert.equal(parseRid(bad), undefined, bad)
  }
})
