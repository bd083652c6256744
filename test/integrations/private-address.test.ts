import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isPrivateAddress, parseIPv6 } from '../../src/integrations/private-address.js'

const PRIVATE = [
  '127.0.0.1',
  '127.255.255.254',
  '10.0.0.1',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '100.127.255.255',
  '0.0.0.0',
  '224.0.0.1',
  '255.255.255.255',
  '192.0.2.10',
  '::',
  '::1',
  'fe80::1',
  'fe80::1%eth0',
  'fc00::1',
  'fd12:3456::1',
  'ff02::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:10.1.2.3',
  '::127.0.0.1',
  '64:ff9b::a00:1',
  '2002:c0a8:0101::1',
  '2001:db8::1',
  'not-an-ip',
]

const PUBLIC = [
  '8.8.8.8',
  '1.1.1.1',
  '172.15.255.255',
  '172.32.0.0',
  '100.63.255.255',
  '100.128.0.0',
  '192.169.0.1',
  '2606:4700:4700::1111',
  '2a00:1450:4001:80b::200e',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:0808:0808::1',
]

for (const ip of PRIVATE) {
  test(`${ip} counts as private`, () => assert.equal(isPrivateAddress(ip), true))
}
for (const ip of PUBLIC) {
  test(`${ip} counts as public`, () => assert.equal(isPrivateAddress(ip), false))
}

test('parseIPv6 expands :: and a trailing dotted quad', () => {
  assert.deepEqual(parseIPv6('::ffff:1.2.3.4'), [0, 0, 0, 0, 0, 0xffff, 0x102, 0x304])
  assert.deepEqual(parseIPv6('2001:db8::1'), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1])
  assert.equal(parseIPv6('1.2.3.4'), null)
})
