/**
 * Use case: create a project for an owner, with read-write and read-only API keys (hcw_/hcr_,
 * stored as Healthchecks does — api-key-hash.ts — and returned once), a ping key and a badge key. Like Healthchecks' sign-up, the new
 * project gets an email channel addressed to its owner, so alerts reach someone from the start.
 */
import type { Ctx } from '../context.js'
import type { Project } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { newPingKey, newUuid } from '../tokens.js'
import { newHashedApiKey, storedFormOf } from './api-key-hash.js'

export interface CreateProjectInput {
  ownerEmail: string
  name: string
  /**
   * Keys to use instead of fresh random ones (32 characters each): `hcw_`/`hcr_` keys are stored
   * the Healthchecks way, other (legacy) keys as SHA-256 digests.
   */
  apiKey?: string
  apiKeyReadonly?: string
  pingKey?: string
}

export interface CreatedProject {
  project: Project
  /** Plain keys: shown once, never stored. */
  apiKey: string
  apiKeyReadonly: string
}

export type CreateProjectError =
  | { kind: 'owner-not-found'; email: string }
  | { kind: 'invalid-name' }
  | { kind: 'invalid-key'; field: 'api-key' | 'api-key-readonly' | 'ping-key'; problem: string }
  | { kind: 'key-taken'; field: 'api-key' | 'api-key-readonly' | 'ping-key' }

const PING_KEY_RE = /^[-a-zA-Z0-9_]{1,128}$/

export async function createProject(
  ctx: Ctx,
  input: CreateProjectInput,
): Promise<Result<CreatedProject, CreateProjectError>> {
  const name = input.name.trim()
  if (!name || name.length > 200) return err({ kind: 'invalid-name' })
  for (const [field, key] of [
    ['api-key', input.apiKey],
    ['api-key-readonly', input.apiKeyReadonly],
  ] as const) {
    if (key !== undefined && key.length !== 32) {
      return err({ kind: 'invalid-key', field, problem: 'must be exactly 32 characters' })
    }
  }
  if (input.apiKey?.startsWith('hcr_'))
    return err({ kind: 'invalid-key', field: 'api-key', problem: 'hcr_ keys are read-only keys' })
  if (input.apiKeyReadonly?.startsWith('hcw_'))
    return err({
      kind: 'invalid-key',
      field: 'api-key-readonly',
      problem: 'hcw_ keys are read-write keys',
    })
  if (input.apiKey !== undefined && input.apiKey === input.apiKeyReadonly) {
    return err({
      kind: 'invalid-key',
      field: 'api-key-readonly',
      problem: 'must differ from the read-write key',
    })
  }
  if (input.pingKey !== undefined && !PING_KEY_RE.test(input.pingKey)) {
    return err({
      kind: 'invalid-key',
      field: 'ping-key',
      problem: 'use 1-128 characters from a-z, A-Z, 0-9, - and _',
    })
  }
  const owner = await ctx.db.kysely
    .selectFrom('users')
    .select(['id', 'email'])
    .where('email', '=', input.ownerEmail.trim().toLowerCase())
    .executeTakeFirst()
  if (!owner) return err({ kind: 'owner-not-found', email: input.ownerEmail })

  const hmacKey = ctx.config.accounts.apiKeyHmacKey
  const rw = input.apiKey
    ? { key: input.apiKey, ...storedFormOf(input.apiKey, hmacKey) }
    : newHashedApiKey('hcw_', hmacKey)
  const ro = input.apiKeyReadonly
    ? { key: input.apiKeyReadonly, ...storedFormOf(input.apiKeyReadonly, hmacKey) }
    : newHashedApiKey('hcr_', hmacKey)
  const apiKey = rw.key
  const apiKeyReadonly = ro.key
  const pingKey = input.pingKey ?? newPingKey()
  const k = ctx.db.kysely
  // A key must not match any project's key of either kind, or authentication would be ambiguous.
  // The stored form is a function of the key, so equal stored values mean equal keys.
  const isKeyTaken = async (stored: string) =>
    (await k
      .selectFrom('api_keys')
      .select('id')
      .where('stored', '=', stored)
      .executeTakeFirst()) !== undefined
  if (input.apiKey && (await isKeyTaken(rw.stored)))
    return err({ kind: 'key-taken', field: 'api-key' })
  if (input.apiKeyReadonly && (await isKeyTaken(ro.stored)))
    return err({ kind: 'key-taken', field: 'api-key-readonly' })
  if (
    await k.selectFrom('projects').select('id').where('ping_key', '=', pingKey).executeTakeFirst()
  ) {
    return err({ kind: 'key-taken', field: 'ping-key' })
  }

  const now = ctx.clock.now()
  const project = await k.transaction().execute(async (trx) => {
    const p = await trx
      .insertInto('projects')
      .values({
        code: newUuid(),
        name,
        owner_id: owner.id,
        ping_key: pingKey,
        badge_key: newUuid(),
        created: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('api_keys')
      .values(
        [rw, ro].map((key, i) => ({
          project_id: p.id,
          readonly: i,
          lookup: key.lookup,
          stored: key.stored,
          created_by: owner.id,
          created_at: now,
        })),
      )
      .execute()
    await trx
      .insertInto('channels')
      .values({
        code: newUuid(),
        project_id: p.id,
        kind: 'email',
        value: JSON.stringify({ value: owner.email, up: true, down: true }),
        email_verified: 1,
        created: now,
      })
      .execute()
    return p
  })
  return ok({ project, apiKey, apiKeyReadonly })
}
