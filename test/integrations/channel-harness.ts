/**
 * A fixed scene for channel-kind tests: Alice's project "Alices Project" with the check
 * "Nightly backup" (tags `prod db`, period 1 hour, grace 5 minutes, 7 pings, the last a success
 * with body "backup done" at 10:00 UTC), a loopback capture server standing in for the service,
 * and the worker's own steps to flip the check down (handleGoingDown at 12:00, so the flip is
 * dated 11:05) and back up, queue the notifications and deliver them.
 */
import { after, afterEach, before, beforeEach } from 'node:test'
import {
  type DeliveryOutcome,
  deliverDueNotifications,
  handleGoingDown,
  processFlips,
} from '../../src/alerts/index.js'
import type { Env } from '../../src/config/index.js'
import type { Channel, Check, Notification, Project } from '../../src/db/index.js'
import { buildChannel, buildCheck, buildProject } from '../helpers/builders.js'
import { type CaptureServer, startCaptureServer } from '../helpers/capture-server.js'
import { createTestContext, type TestContext } from '../helpers/context.js'
import type { TestDialect } from '../helpers/databases.js'

export const WORKER = 'test-worker'
export const LAST_PING_AT = Date.parse('2026-01-15T10:00:00Z')
/** last ping + 1 hour + 5 minutes. */
export const DOWN_AT = Date.parse('2026-01-15T11:05:00Z')

export interface ChannelScene {
  ctx: TestContext
  project: Project
  check: Check
  cap: CaptureServer
  /** A channel of the project attached to the check. */
  channel(kind: string, value: unknown): Promise<Channel>
  /** The worker notices the missed deadline; returns the delivery outcomes. */
  goDown(): Promise<DeliveryOutcome[]>
  /** A ping brings the check back up (flip inserted as the ping path does); returns outcomes. */
  comeUp(): Promise<DeliveryOutcome[]>
  notifications(): Promise<Notification[]>
  channelRow(id: number): Promise<Channel>
}

/**
 * Declares the hooks of a suite and returns a getter for the scene of the current test.
 * `env` may refer to the capture server's URL (for the *_API_URL settings).
 */
export function useChannelScene(
  dialect: TestDialect,
  env: (capUrl: string) => Env = () => ({}),
): () => ChannelScene {
  let cap: CaptureServer
  let scene: ChannelScene
  before(async () => {
    cap = await startCaptureServer()
  })
  after(() => cap.close())
  beforeEach(async () => {
    cap.requests.length = 0
    cap.script(200)
    const ctx = await createTestContext(dialect, { WEBHOOK_TIMEOUT: '2', ...env(cap.url) })
    const { project } = await buildProject(ctx)
    // The builder's email channel would queue mail too; these tests look at one kind only.
    await ctx.db.kysely.deleteFrom('channels').where('project_id', '=', project.id).execute()
    let check = await buildCheck(ctx, project, {
      name: 'Nightly backup',
      slug: 'nightly-backup',
      tags: 'prod db',
      kind: 'simple',
      timeout: 3600,
      grace: 300,
      status: 'up',
      n_pings: 7,
      last_ping: LAST_PING_AT,
      alert_after: DOWN_AT,
    })
    await ctx.db.kysely
      .insertInto('pings')
      .values({
        check_id: check.id,
        n: 7,
        created: LAST_PING_AT,
        kind: 'success',
        scheme: 'http',
        remote_addr: '192.0.2.1',
        method: 'POST',
        ua: 'curl/8',
        body: Buffer.from('backup done'),
        exitstatus: null,
        rid: null,
      })
      .execute()
    const deliver = async () => {
      await processFlips(ctx, ctx.clock.now())
      return deliverDueNotifications(ctx, { workerId: WORKER, limit: 100 })
    }
    scene = {
      ctx,
      project,
      get check() {
        return check
      },
      cap,
      channel: (kind, value) => buildChannel(ctx, project, kind, value, [check]),
      async goDown() {
        await handleGoingDown(ctx, ctx.clock.now())
        check = await ctx.db.kysely
          .selectFrom('checks')
          .selectAll()
          .where('id', '=', check.id)
          .executeTakeFirstOrThrow()
        return deliver()
      },
      async comeUp() {
        const now = ctx.clock.now()
        await ctx.db.kysely
          .updateTable('checks')
          .set({ status: 'up', last_ping: now, alert_after: now + 3_900_000 })
          .where('id', '=', check.id)
          .execute()
        await ctx.db.kysely
          .insertInto('flips')
          .values({
            check_id: check.id,
            created: now,
            old_status: 'down',
            new_status: 'up',
            reason: '',
          })
          .execute()
        return deliver()
      },
      notifications: () =>
        ctx.db.kysely.selectFrom('notifications').selectAll().orderBy('id').execute(),
      channelRow: (id) =>
        ctx.db.kysely
          .selectFrom('channels')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow(),
    }
  })
  afterEach(() => scene.ctx.drop())
  return () => scene
}

/** The request body parsed as JSON. */
export function jsonBody(req: { body: string }): unknown {
  return JSON.parse(req.body)
}
