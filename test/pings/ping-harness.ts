/**
 * What the ping route tests share: a test context with the app built over it, Alice's project,
 * and readers for the rows a ping writes. Real database, real app, `inject` only.
 */
import type { FastifyInstance } from 'fastify'
import type { Env } from '../../src/config/index.js'
import type { Check, Flip, Ping } from '../../src/db/index.js'
import { type BuiltProject, buildProject } from '../helpers/builders.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import type { TestDialect } from '../helpers/databases.js'
import { releaseApp, testApp } from '../helpers/shared-app.js'

export interface PingHarness {
  ctx: TestContext
  app: FastifyInstance
  alice: BuiltProject
  close(): Promise<void>
}

export async function createPingHarness(dialect: TestDialect, env: Env = {}): Promise<PingHarness> {
  const ctx = await createTestContext(dialect, env)
  const app = await testApp(ctx, { web: false })
  const alice = await buildProject(ctx)
  return {
    ctx,
    app,
    alice,
    async close() {
      await releaseApp(app)
      await ctx.drop()
    },
  }
}

export function readCheck(ctx: TestContext, id: number): Promise<Check> {
  return ctx.db.kysely
    .selectFrom('checks')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}

export function readPings(ctx: TestContext, checkId?: number): Promise<Ping[]> {
  let q = ctx.db.kysely.selectFrom('pings').selectAll().orderBy('id')
  if (checkId !== undefined) q = q.where('check_id', '=', checkId)
  return q.execute()
}

export function readFlips(ctx: TestContext, checkId: number): Promise<Flip[]> {
  return ctx.db.kysely
    .selectFrom('flips')
    .selectAll()
    .where('check_id', '=', checkId)
    .orderBy('id')
    .execute()
}

/** The only ping row of the database (fails the test otherwise). */
export async function onlyPing(ctx: TestContext): Promise<Ping> {
  const rows = await readPings(ctx)
  if (rows.length !== 1) throw new Error(`expected exactly one ping, found ${rows.length}`)
  return rows[0]
}

export const HOUR = 3600_000
export const DAY = 24 * HOUR
