/**
 * Object storage for ping bodies (S3_*, objects/): OBJ-001 (`--network`) writes and deletes a
 * probe object in S3_BUCKET with the configured credentials within S3_TIMEOUT; OBJ-002 counts
 * bodies waiting in the database because the store was down when they came. Nothing without
 * S3_BUCKET. Healthchecks has no such check: a wrong bucket there shows only as missing bodies.
 */
import type { Ctx } from '../context.js'
import { bodyStoreFor, countWaitingBodies } from '../objects/index.js'
import type { Finding } from './findings.js'

/** OBJ-001: the bucket takes a write with these credentials. */
export async function objectStoreNetworkFindings(ctx: Ctx): Promise<Finding[]> {
  const s3 = ctx.config.s3
  const store = bodyStoreFor(ctx.config)
  if (!s3 || !store) return []
  const problem = await store.probe()
  if (problem === null) return []
  return [
    {
      id: 'OBJ-001',
      severity: 'error',
      message: `Object storage ${s3.endpoint} (bucket ${s3.bucket}) cannot be used: ${problem}. Large ping bodies are kept in the database until it can.`,
      hint: 'Check S3_ENDPOINT, S3_REGION, S3_BUCKET (the bucket must exist), S3_ACCESS_KEY and S3_SECRET_KEY (they need to put, get and delete objects), then run `vigil doctor --network` again.',
    },
  ]
}

/** OBJ-002: bodies wait in the database for the object store. */
export async function waitingBodiesFindings(ctx: Ctx): Promise<Finding[]> {
  if (!ctx.config.s3) return []
  const waiting = await countWaitingBodies(ctx)
  if (waiting === 0) return []
  return [
    {
      id: 'OBJ-002',
      severity: 'warning',
      message: `${waiting} ping bodies wait in the database because object storage did not take them; the worker moves them once it does.`,
      hint: 'Run `vigil doctor --network` to see why the store refuses (OBJ-001), and check that a worker runs.',
    },
  ]
}
