/**
 * Looks up the check an API request names: by UUID (another project's check is "forbidden",
 * Healthchecks' 403) or by the read-only `unique_key` (only the key's project is scanned, so
 * another project's check is simply not found). Returns the row with its channel UUIDs. Use
 * cases that change a check lock it here first (`withLockedCheck`).
 */
import type { Kysely } from 'kysely'
import type { Ctx } from '../context.js'
import { type Check, type Database, lockForUpdate } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { channelCodesOf } from './check-channels.js'
import { dependsOnOf } from './check-dependencies.js'
import { uniqueKey } from './json.js'
import { checkByCode, checkById } from './queries.js'

export type FindCheckError = { kind: 'check-not-found' } | { kind: 'check-forbidden' }

export interface CheckWithChannels {
  check: Check
  /** UUIDs of the check's channels. */
  channelCodes: string[]
  /** UUIDs of the checks it depends on (check-dependencies.ts); absent where not loaded. */
  dependsOn?: string[]
}

/** A check by UUID, if it belongs to the project. */
export async function findProjectCheck(
  db: Kysely<Database>,
  projectId: number,
  code: string,
): Promise<Result<Check, FindCheckError>> {
  const check = await checkByCode(db, code)
  if (!check) return err({ kind: 'check-not-found' })
  if (check.project_id !== projectId) return err({ kind: 'check-forbidden' })
  return ok(check)
}

/** A check of the project by unique_key (SHA-1 of the first 16 hex digits of its UUID). */
export async function findCheckByUniqueKey(
  db: Kysely<Database>,
  projectId: number,
  key: string,
): Promise<Result<Check, FindCheckError>> {
  // unique_key is derived, not stored: scan the project's checks as Healthchecks does.
  const codes = await db
    .selectFrom('checks')
    .select(['id', 'code'])
    .where('project_id', '=', projectId)
    .orderBy('id')
    .execute()
  const hit = codes.find((c) => uniqueKey(c.code) === key)
  if (!hit) return err({ kind: 'check-not-found' })
  const check = await checkById(db, hit.id)
  return check ? ok(check) : err({ kind: 'check-not-found' })
}

/** Either lookup, by the shape of `ref` (a 40-character key or a UUID), with channel UUIDs. */
export async function getCheck(
  db: Kysely<Database>,
  projectId: number,
  ref: { code: string } | { uniqueKey: string },
): Promise<Result<CheckWithChannels, FindCheckError>> {
  const r =
    'code' in ref
      ? await findProjectCheck(db, projectId, ref.code)
      : await findCheckByUniqueKey(db, projectId, ref.uniqueKey)
  if (!r.ok) return r
  return ok(await withLinks(db, r.value))
}

/** The check with its channel UUIDs and the UUIDs it depends on, read through `db`. */
export async function withLinks(db: Kysely<Database>, check: Check): Promise<CheckWithChannels> {
  return {
    check,
    channelCodes: await channelCodesOf(db, check.id),
    dependsOn: await dependsOnOf(db, check.id),
  }
}

/**
 * Runs `fn` in a transaction on the project's check `code`, locked first (lockForUpdate): the
 * frame of the read-then-write use cases (pause, resume, snooze). Another project's check is
 * "forbidden" and a missing one "not found", as findProjectCheck answers; `now` is read once.
 */
export async function withLockedCheck<T, E extends { kind: string }>(
  ctx: Ctx,
  input: { projectId: number; code: string },
  fn: (trx: Kysely<Database>, check: Check, now: number) => Promise<Result<T, E>>,
): Promise<Result<T, E | FindCheckError>> {
  const now = ctx.clock.now()
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const check = await lockForUpdate(
      ctx.db,
      trx.selectFrom('checks').selectAll().where('code', '=', input.code),
    ).executeTakeFirst()
    if (!check) return err({ kind: 'check-not-found' as const })
    if (check.project_id !== input.projectId) return err({ kind: 'check-forbidden' as const })
    return fn(trx, check, now)
  })
}
