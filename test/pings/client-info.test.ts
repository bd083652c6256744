import assert from 'node:assert/strict'
import { test } from 'node:test'
import { clientInfo, remoteAddress, truncateChars } from '../../src/pings/client-info.js'

test('remote address: the first forwarded entry, else the socket', () => {
  const cases: Array<[string | undefined, string | undefined, string | null]> = [
    [undefined, '3.3.3.3', '3.3.3.3'],
    ['', '3.3.3.3', '3.3.3.3'],
    ['1.1.1.1', '3.3.3.3', '1.1.1.1'],
    ['1.1.1.1, 2.2.2.2', '3.3.3.3', '1.1.1.1'],
    ['1.1.1.1:1234', '3.3.3.3', '1.1.1.1'],
    ['2001::1', undefined, '2001::1'],
    ['[2001::1]:443', undefined, '2001::1'],
    [undefined, '::ffff:127.0.0.1', '::ffff:127.0.0.1'],
    ['unknown', '3.3.3.3', null],
    ['999.1.1.1:80', undefined, null],
    [undefined, undefined, null],
  ]
  for (const [xff, socket, expected] of cases) {
    assert.equal(remoteAddress(xff, socket), expected, `${xff} / ${socket}`)
  }
})

test('truncation counts characters, not UTF-16 units', () => {
  assert.equal(truncateChars('abc', 2), 'ab')
  assert.equal(truncateChars('😀😀😀', 2), '😀😀')
  assert.equal(truncateChars('short', 200), 'short')
})

test('the body is cut to the limit, kept whole without one, and empty is null', () => {
  const req = {
    method: 'POST',
    headers: {},
    socketAddress: '127.0.0.1',
    body: Buffer.from('hello world'),
  }
  assert.deepEqual(clientInfo(req, 5).body, Buffer.from('hello'))
  assert.deepEqual(clientInfo(req, null).body, Buffer.from('hello world'))
  assert.equal(clientInfo(req, 0).body, null)
  assert.equal(clientInfo({ ...req, body: Buffer.alloc(0) }, 10).body, null)
  assert.equal(clientInfo({ ...req, body: undefined }, 10).body, null)
})

test('scheme comes from X-Forwarded-Proto, else http', () => {
  const req = { method: 'GET', headers: {}, socketAddress: '127.0.0.1', body: undefined }
  assert.equal(clientInfo(req, null).scheme, 'http')
  assert.equal(
    clientInfo({ ...req, headers: { 'x-forwarded-proto': 'https' } }, null).scheme,
    'https',
  )
})
