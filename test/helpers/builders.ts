/**
 * Builders for test data with a fixed cast, as Healthchecks' hc/test.py: Alice owns a project,
 * Bob is another user with his own project (a stranger to Alice's). Anything a test leaves out
 * gets a sensible default.
 */
import { createUser } from '../../src/accounts/users/create-user.js'
import type { Ctx } from '../../src/context.js'
import type { Channel, Check, NewCheck, Project, User } from '../../src/db/index.js'
import type { PingableCheck } from '../../src/pings/ping-effect.js'
import { createProject } from '../../src/projects/create-project.js'
import { newUuid } from '../../src/tokens.js'

export async function buildUser(
  ctx: Ctx,
  email = 'alice@example.org',
  password = 'correct horse battery',
): Promise<User> {
  const r = await createUser(ctx, { email, password })
  if (!r.ok) throw new Error(`buildUser: ${r.error.kind}`)
  return r.value
}

export interface BuiltProject {
  owner: User
  project: Project
  apiKey: string
  apiKeyReadonly: string
}

/** A user and a project of theirs (with the owner's email channel). */
export async function buildProject(
  ctx: Ctx,
  email = 'alice@example.org',
  name = 'Alices Project',
): Promise<BuiltProject> {
  const owner =
    (await ctx.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirst()) ?? (await buildUser(ctx, email))
  const r = await createProject(ctx, { ownerEmail: email, name })
  if (!r.ok) throw new Error(`buildProject: ${r.error.kind}`)
  return {
    owner,
    project: r.value.project,
    apiKey: r.value.apiKey,
    apiKeyReadonly: r.value.apiKeyReadonly,
  }
}

export async function buildCheck(
  ctx: Ctx,
  project: Project,
  fields: Partial<NewCheck> = {},
): Promise<Check> {
  return ctx.db.kysely
    .insertInto('checks')
    .values({
      code: newUuid(),
      badge_key: newUuid(),
      project_id: project.id,
      created: ctx.clock.now(),
      ...fields,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function buildChannel(
  ctx: Ctx,
  project: Project,
  kind: string,
  value: unknown,
  checks: Check[] = [],
  options: { notify_late?: boolean } = {},
): Promise<Channel> {
  const channel = await ctx.db.kysely
    .insertInto('channels')
    .values({
      code: newUuid(),
      project_id: project.id,
      kind,
      value: typeof value === 'string' ? value : JSON.stringify(value),
      email_verified: 1,
      created: ctx.clock.now(),
      // Opted in to warnings (late…); the column's default is off.
      ...(options.notify_late ? { notify_late: 1 } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  for (const check of checks) {
    await ctx.db.kysely
      .insertInto('check_channels')
      .values({ check_id: check.id, channel_id: channel.id })
      .execute()
  }
  return channel
}

/**
 * The schedule and state a pure alert rule reads (flapping, thresholds): a simple check of one
 * hour plus five minutes' grace, down, last pinged at `lastPing`, no run in progress. Rule tests
 * add their own policy fields.
 */
export function ruleCheckBase(lastPing: number) {
  return {
    kind: 'simple' as const,
    timeout: 3600,
    grace: 300,
    schedule: '* * * * *',
    tz: 'UTC',
    status: 'down' as const,
    last_ping: lastPing,
    last_start: null,
  }
}

/** A check as pingEffect (src/pings/ping-effect.ts) reads it: new, never pinged, no run limits. */
export function pingableCheck(fields: Partial<PingableCheck> = {}): PingableCheck {
  return {
    kind: 'simple',
    timeout: 86400,
    grace: 3600,
    schedule: '* * * * *',
    tz: 'UTC',
    status: 'new',
    manual_resume: 0,
    last_ping: null,
    last_start: null,
    last_start_rid: null,
    last_duration_ms: null,
    max_runtime: null,
    min_runtime: null,
    last_progress: null,
    ...fields,
  }
}
