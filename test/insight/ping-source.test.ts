// Source keys: addresses and their /24 or /64 networks, IPv6 compression and IPv4-mapped IPv6.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type SourceScope, sourceKey } from '../../src/insight/ping-source.js'

const cases: Array<[string | null, SourceScope, string | null]> = [
  ['203.0.113.7', 'address', '203.0.113.7'],
  ['203.0.113.7', 'network', '203.0.113.0/24'],
  ['2001:db8:0:0:1:0:0:1', 'address', '2001:db8::1:0:0:1'],
  ['2001:DB8::abcd', 'address', '2001:db8::abcd'],
  ['2001:db8:1:2:3:4:5:6', 'network', '2001:db8:1:2::/64'],
  ['2001:db8:1:2::9', 'network', '2001:db8:1:2::/64'],
  ['fe80::1%eth0', 'address', 'fe80::1'],
  ['::1', 'address', '::1'],
  ['::ffff:192.0.2.1', 'address', '192.0.2.1'],
  ['::ffff:192.0.2.1', 'network', '192.0.2.0/24'],
  ['::ffff:c000:0201', 'address', '192.0.2.1'],
  ['::192.0.2.1', 'address', '::c000:201'],
  ['not-an-ip', 'address', null],
  [null, 'network', null],
]
for (const [addr, scope, key] of cases) {
  test(`${addr} under ${scope} is ${key}`, () => {
    assert.equal(sourceKey(addr, scope), key)
  })
}

test('two addresses of one IPv6 /64 share a network key but not an address key', () => {
  const a = '2001:db8:aa:bb::1'
  const b = '2001:db8:aa:bb:ffff::2'
  assert.equal(sourceKey(a, 'network'), sourceKey(b, 'network'))
  assert.notEqual(sourceKey(a, 'address'), sourceKey(b, 'address'))
})
