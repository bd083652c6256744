/**
 * A real S3-compatible server on loopback for the object-storage tests: s3rver (pure JavaScript,
 * runs in the test process; it refuses unknown access keys but does not verify SigV4 signatures,
 * so a wrong secret key goes unnoticed) with a fresh folder and one bucket.
 * `env()` gives Vigil's S3_* settings for it; `keys()` lists the bucket with the AWS SDK, so
 * tests check what the server holds, not what Vigil believes it wrote.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import S3rver from 's3rver'
import type { Env } from '../../src/config/index.js'

/** s3rver's fixed credentials. */
export const S3RVER_KEY = 'S3RVER'
export const BUCKET = 'vigil-bodies'

export interface S3TestServer {
  port: number
  endpoint: string
  /** S3_* settings for this server (overrides win). */
  env(overrides?: Env): Env
  /** Every key in the bucket, sorted. */
  keys(): Promise<string[]>
  /** An object's bytes, or null when it does not exist. */
  read(key: string): Promise<Buffer | null>
  close(): Promise<void>
}

/** Starts s3rver on 127.0.0.1 (on `port`, or any free one) with an empty BUCKET. */
export async function startS3Server(port = 0): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-s3-'))
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    directory,
    silent: true,
    configureBuckets: [{ name: BUCKET }],
  })
  const info = await server.run()
  const endpoint = `http://127.0.0.1:${info.port}`
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
  })
  return {
    port: info.port,
    endpoint,
    env: (overrides = {}) => ({
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_BUCKET: BUCKET,
      S3_ACCESS_KEY: S3RVER_KEY,
      S3_SECRET_KEY: S3RVER_KEY,
      S3_TIMEOUT: '5',
      ...overrides,
    }),
    async keys() {
      const r = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))
      return (r.Contents ?? []).map((o) => o.Key ?? '').sort()
    },
    async read(key) {
      try {
        const r = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
        return Buffer.from((await r.Body?.transformToByteArray()) ?? [])
      } catch (e) {
        if ((e as Error).name === 'NoSuchKey') return null
        throw e
      }
    },
    async close() {
      client.destroy()
      await server.close()
      rmSync(directory, { recursive: true, force: true })
    },
  }
}

/** A loopback server that accepts connections and never answers: an object store that hangs. */
export async function startSilentServer(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close() {
      for (const s of sockets) s.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
