/**
 * The object store behind ping bodies: put, get, delete and a probe, over S3's API with
 * @aws-sdk/client-s3 (loaded only when S3_BUCKET is set, so an instance without it pays nothing
 * and opens no connection). One store per configuration. Every call is bounded by S3_TIMEOUT and
 * tried once: the callers have their own fallback (the database) and retry (the worker).
 * Not here: which bodies go where (ping-bodies.ts).
 */
import type { S3Client } from '@aws-sdk/client-s3'
import type { Config, S3Config } from '../config/index.js'

export interface BodyStore {
  readonly bucket: string
  put(key: string, body: Buffer): Promise<void>
  /** The object's bytes, or null when there is no such object. */
  get(key: string): Promise<Buffer | null>
  /** Deletes these objects (missing ones count as deleted). */
  delete(keys: string[]): Promise<void>
  /** Null when the bucket exists and takes a write and a delete with these credentials; else the problem. */
  probe(): Promise<string | null>
}

type Sdk = typeof import('@aws-sdk/client-s3')

let sdkLoading: Promise<Sdk> | null = null
const loadSdk = (): Promise<Sdk> => {
  sdkLoading ??= import('@aws-sdk/client-s3')
  return sdkLoading
}

/** S3 allows at most this many keys in one DeleteObjects request. */
const DELETE_CHUNK = 1000
const PROBE_KEY = '.vigil-doctor-probe'

/** The SDK's error name and HTTP status, whatever shape the error has. */
function describe(e: unknown): { name: string; status: number | undefined; message: string } {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }
  return {
    name: err?.name ?? 'Error',
    status: err?.$metadata?.httpStatusCode,
    message: err?.message || String(e),
  }
}

export function createS3BodyStore(s3: S3Config): BodyStore {
  let client: Promise<S3Client> | null = null
  const clientOf = (): Promise<S3Client> => {
    client ??= loadSdk().then(
      (sdk) =>
        new sdk.S3Client({
          endpoint: s3.endpoint,
          region: s3.region,
          // Path-style requests work on every S3-compatible server; AWS keeps virtual hosts.
          forcePathStyle: !/\.amazonaws\.com$/i.test(new URL(s3.endpoint).hostname),
          credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
          maxAttempts: 1,
          // Checksums only where S3 requires them: many S3-compatible servers refuse the SDK's
          // default trailing CRC32 (aws-chunked uploads).
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }),
    )
    return client
  }
  const bounded = () => ({ abortSignal: AbortSignal.timeout(s3.timeoutMs) })

  return {
    bucket: s3.bucket,
    async put(key, body) {
      const [sdk, c] = await Promise.all([loadSdk(), clientOf()])
      await c.send(new sdk.PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }), bounded())
    },
    async get(key) {
      const [sdk, c] = await Promise.all([loadSdk(), clientOf()])
      const signal = bounded()
      try {
        const r = await c.send(new sdk.GetObjectCommand({ Bucket: s3.bucket, Key: key }), signal)
        if (!r.Body) return Buffer.alloc(0)
        return Buffer.from(await r.Body.transformToByteArray())
      } catch (e) {
        if (describe(e).name === 'NoSuchKey') return null
        throw e
      }
    },
    async delete(keys) {
      if (keys.length === 0) return
      const [sdk, c] = await Promise.all([loadSdk(), clientOf()])
      for (let i = 0; i < keys.length; i += DELETE_CHUNK) {
        const chunk = keys.slice(i, i + DELETE_CHUNK)
        const r = await c.send(
          new sdk.DeleteObjectsCommand({
            Bucket: s3.bucket,
            Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true },
          }),
          bounded(),
        )
        const failed = (r.Errors ?? []).filter((x) => x.Code !== 'NoSuchKey')
        if (failed.length > 0) {
          throw new Error(
            `${failed.length} object(s) not deleted, e.g. ${failed[0].Key}: ${failed[0].Code} ${failed[0].Message ?? ''}`.trim(),
          )
        }
      }
    },
    async probe() {
      try {
        const [sdk, c] = await Promise.all([loadSdk(), clientOf()])
        await c.send(new sdk.HeadBucketCommand({ Bucket: s3.bucket }), bounded())
        await c.send(
          new sdk.PutObjectCommand({ Bucket: s3.bucket, Key: PROBE_KEY, Body: 'vigil doctor' }),
          bounded(),
        )
        await c.send(new sdk.DeleteObjectCommand({ Bucket: s3.bucket, Key: PROBE_KEY }), bounded())
        return null
      } catch (e) {
        const d = describe(e)
        if (d.status === 404 || d.name === 'NoSuchBucket' || d.name === 'NotFound')
          return `the bucket "${s3.bucket}" does not exist`
        if (d.status === 401 || d.status === 403)
          return `the credentials were refused (HTTP ${d.status} ${d.name})`
        if (d.name === 'TimeoutError' || d.name === 'AbortError')
          return `no answer within ${s3.timeoutMs / 1000} s`
        return `${d.name}: ${d.message}`
      }
    },
  }
}

const stores = new WeakMap<S3Config, BodyStore>()

/** The object store of this configuration, or null when S3_BUCKET is not set. */
export function bodyStoreFor(config: Config): BodyStore | null {
  const s3 = config.s3
  if (!s3) return null
  let store = stores.get(s3)
  if (!store) {
    store = createS3BodyStore(s3)
    stores.set(s3, store)
  }
  return store
}
