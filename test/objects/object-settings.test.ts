/**
 * The pure parts of object storage: the S3_* settings, Healthchecks' key layout (hc/lib/s3.py
 * `enc`) and which bodies go to the bucket.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type ConfigError, loadConfig } from '../../src/config/index.js'
import {
  belongsInObjectStore,
  bodyStoreFor,
  encodeSequence,
  healthchecksObjectKey,
  OBJECT_BODY_THRESHOLD,
} from '../../src/objects/index.js'

const S3 = { S3_BUCKET: 'bodies', S3_ACCESS_KEY: 'ak', S3_SECRET_KEY: 'sk' }

test('without S3_BUCKET there is no object store, whatever else is set', () => {
  const config = loadConfig({ S3_ENDPOINT: 'minio:9000', S3_ACCESS_KEY: 'ak' })
  assert.equal(config.s3, null)
  assert.equal(bodyStoreFor(config), null)
  assert.equal(belongsInObjectStore(config, Buffer.alloc(5000)), false)
})

test('a bare S3_ENDPOINT host gets https, or http with S3_SECURE=False; a URL is kept', () => {
  const host = loadConfig({ ...S3, S3_ENDPOINT: 's3.eu-central-1.amazonaws.com' }).s3
  assert.equal(host?.endpoint, 'https://s3.eu-central-1.amazonaws.com')
  const insecure = loadConfig({ ...S3, S3_ENDPOINT: 'minio:9000', S3_SECURE: 'False' }).s3
  assert.equal(insecure?.endpoint, 'http://minio:9000')
  const url = loadConfig({ ...S3, S3_ENDPOINT: 'http://127.0.0.1:9000/' }).s3
  assert.equal(url?.endpoint, 'http://127.0.0.1:9000')
})

test('S3 defaults: region us-east-1 and a 60 s timeout, as Healthchecks', () => {
  const s3 = loadConfig({ ...S3, S3_ENDPOINT: 'minio:9000' }).s3
  assert.deepEqual(s3, {
    endpoint: 'https://minio:9000',
    region: 'us-east-1',
    bucket: 'bodies',
    accessKey: 'ak',
    secretKey: 'sk',
    timeoutMs: 60_000,
  })
  assert.equal(loadConfig({ ...S3, S3_ENDPOINT: 'm', S3_TIMEOUT: '250ms' }).s3?.timeoutMs, 250)
})

test('S3_BUCKET without S3_ENDPOINT, and a bad S3_TIMEOUT, name the variable', () => {
  assert.throws(
    () => loadConfig(S3),
    (e: ConfigError) => e.variable === 'S3_ENDPOINT',
  )
  assert.throws(
    () => loadConfig({ ...S3, S3_ENDPOINT: 'm', S3_TIMEOUT: '0' }),
    (e: ConfigError) => e.variable === 'S3_TIMEOUT' && /between 0.01 and 600/.test(e.problem),
  )
})

test("Healthchecks' enc(n): larger numbers sort first", () => {
  assert.equal(encodeSequence(0), 'zj-0')
  assert.equal(encodeSequence(1), 'zi-1')
  assert.equal(encodeSequence(123), 'xihg-123')
  assert.equal(healthchecksObjectKey('c0de', 10), 'c0de/yij-10')
  const keys = [1, 9, 10, 99, 100, 12345].map(encodeSequence)
  assert.deepEqual([...keys].sort(), [...keys].reverse())
})

test('only bodies longer than the threshold go to the bucket', () => {
  const config = loadConfig({ ...S3, S3_ENDPOINT: 'minio:9000' })
  assert.equal(OBJECT_BODY_THRESHOLD, 100)
  assert.equal(belongsInObjectStore(config, Buffer.alloc(100)), false)
  assert.equal(belongsInObjectStore(config, Buffer.alloc(101)), true)
  assert.equal(belongsInObjectStore(config, null), false)
})
