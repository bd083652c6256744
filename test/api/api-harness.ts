/**
 * What the management API tests share: the whole app (one per file and settings, see
 * helpers/shared-app.ts) over a fresh database, the fixed cast
 * (Alice owns a project, Bob owns another one: a stranger to Alice's checks) and small request
 * helpers. Real database, real app, `inject` only.
 */
import assert from 'node:assert/strict'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Env } from '../../src/config/index.js'
import type { Check, Flip, Ping } from '../../src/db/index.js'
import { type BuiltProject, buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import type { TestDialect } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'

export const SITE_ROOT = 'http://localhost:8000'

export interface ApiHarness {
  ctx: TestContext
  app: FastifyInstance
  alice: BuiltProject
  bob: BuiltProject
  close(): Promise<void>
}

export async function createApiHarness(dialect: TestDialect, env: Env = {}): Promise<ApiHarness> {
  const ctx = await createTestContext(dialect, { SITE_ROOT, ...env })
  const app = await testApp(ctx)
  const alice = await buildProject(ctx, 'alice@example.org', 'Alices Project')
  const bob = await buildProject(ctx, 'bob@example.org', 'Bobs Project')
  return {
    ctx,
    app,
    alice,
    bob,
    async close() {
      await releaseApp(app)
      await ctx.drop()
    },
  }
}

type Method = 'GET' | 'POST' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'PUT' | 'PATCH'

/** A request with an optional X-Api-Key header and a body (objects are sent as JSON). */
export function call(
  app: FastifyInstance,
  method: Method,
  url: string,
  o: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...o.headers }
  if (o.key !== undefined) headers['x-api-key'] = o.key
  let payload: string | undefined
  if (typeof o.body === 'string') payload = o.body
  else if (o.body !== undefined) {
    payload = JSON.stringify(o.body)
    headers['content-type'] ??= 'application/json'
  }
  return app.inject({ method, url, headers, payload })
}

/** Asserts a JSON `{"error": message}` answer. */
export function assertError(r: LightMyRequestResponse, status: number, message: string): void {
  assert.equal(r.statusCode, status, r.body)
  assert.match(String(r.headers['content-type']), /^application\/json/)
  assert.deepEqual(r.json(), { error: message })
}

export function readCheck(ctx: TestContext, id: number): Promise<Check> {
  return ctx.db.kysely
    .selectFrom('checks')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}

export function countChecks(ctx: TestContext): Promise<number> {
  return ctx.db.kysely
    .selectFrom('checks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n))
}

export function readFlips(ctx: TestContext, checkId: number): Promise<Flip[]> {
  return ctx.db.kysely
    .selectFrom('flips')
    .selectAll()
    .where('check_id', '=', checkId)
    .orderBy('id')
    .execute()
}

/** Channel UUIDs assigned to a check, sorted. */
export async function channelCodesOfCheck(ctx: TestContext, checkId: number): Promise<string[]> {
  const rows = await ctx.db.kysely
    .selectFrom('check_channels')
    .innerJoin('channels', 'channels.id', 'check_channels.channel_id')
    .select('channels.code')
    .where('check_channels.check_id', '=', checkId)
    .execute()
  return rows.map((r) => r.code).sort()
}

/** Asserts Healthchecks' CORS headers with the given allowed methods. */
export function assertCors(r: LightMyRequestResponse, methods: string): void {
  assert.equal(r.headers['access-control-allow-origin'], '*')
  assert.equal(r.headers['access-control-allow-headers'], 'X-Api-Key')
  assert.equal(r.headers['access-control-allow-methods'], methods)
  assert.equal(r.headers['access-control-max-age'], '600')
}

/** Inserts a ping row (the API only reads them). */
export async function buildPing(
  ctx: TestContext,
  check: Check,
  fields: Partial<Omit<Ping, 'id' | 'check_id'>> & { n: number },
): Promise<Ping> {
  return ctx.db.kysely
    .insertInto('pings')
    .values({
      check_id: check.id,
      created: ctx.clock.now(),
      kind: 'success',
      scheme: 'http',
      remote_addr: '192.0.2.1',
      method: 'GET',
      ua: 'curl/8',
      body: null,
      exitstatus: null,
      rid: null,
      ...fields,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}
