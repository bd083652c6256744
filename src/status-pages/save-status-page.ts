/**
 * Creating and editing a status page (a project write: the web guard lets only members and up
 * post). Both validate the form, refuse a slug another page has (slugs are unique on the
 * instance), keep only checks of the project, and replace the page's chosen checks in one
 * transaction. A page that becomes private gets a fresh access token, returned once; only its
 * SHA-256 is stored. Going public drops the token.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Ctx } from '../context.js'
import { type Database, type Project, type StatusPage, withTransaction } from '../db/index.js'
import { err, ok, type Result } from '../result.js'
import { newToken, newUuid, sha256Hex } from '../tokens.js'
import { isSlugTaken } from './queries.js'
import {
  type StatusPageInput,
  type StatusPageInputError,
  validateStatusPageInput,
} from './status-page-input.js'

export type SaveStatusPageError =
  | StatusPageInputError
  | { kind: 'slug-taken' }
  | { kind: 'status-page-not-found' }

export interface SavedStatusPage {
  page: StatusPage
  /** The new access token of a page that just became private (shown once), else null. */
  token: string | null
}

/** True for a unique-constraint violation on either database (a slug raced by another save). */
function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE'
}

async function replaceChecks(
  trx: Transaction<Database>,
  page: StatusPage,
  checks: StatusPageInput['checks'],
): Promise<void> {
  await trx.deleteFrom('status_page_checks').where('page_id', '=', page.id).execute()
  if (checks.length === 0) return
  const rows = await trx
    .selectFrom('checks')
    .select(['id', 'code'])
    .where('project_id', '=', page.project_id)
    .where(
      'code',
      'in',
      checks.map((c) => c.code),
    )
    .execute()
  const idOf = new Map(rows.map((r) => [r.code, r.id]))
  const values = checks.flatMap((c, position) => {
    const checkId = idOf.get(c.code)
    return checkId === undefined
      ? []
      : [{ page_id: page.id, check_id: checkId, public_name: c.publicName, position }]
  })
  if (values.length > 0) await trx.insertInto('status_page_checks').values(values).execute()
}

async function save(
  ctx: Ctx,
  input: StatusPageInput,
  exceptPageId: number | null,
  write: (
    trx: Transaction<Database>,
    value: StatusPageInput,
    token: string | null,
  ) => Promise<StatusPage | null>,
  wasPrivate: boolean,
): Promise<Result<SavedStatusPage, SaveStatusPageError>> {
  const valid = validateStatusPageInput(input)
  if (!valid.ok) return err(valid.error)
  const value = valid.value
  const token = value.private && !wasPrivate ? newToken() : null
  try {
    return await withTransaction(ctx, async (_t, trx) => {
      if (await isSlugTaken(trx as Kysely<Database>, value.slug, exceptPageId))
        return err({ kind: 'slug-taken' as const })
      const page = await write(trx, value, token)
      if (!page) return err({ kind: 'status-page-not-found' as const })
      await replaceChecks(trx, page, value.checks)
      return ok({ page, token })
    })
  } catch (e) {
    if (isUniqueViolation(e)) return err({ kind: 'slug-taken' })
    throw e
  }
}

export function createStatusPage(
  ctx: Ctx,
  input: { project: Project; page: StatusPageInput },
): Promise<Result<SavedStatusPage, SaveStatusPageError>> {
  const now = ctx.clock.now()
  return save(
    ctx,
    input.page,
    null,
    (trx, v, token) =>
      trx
        .insertInto('status_pages')
        .values({
          code: newUuid(),
          project_id: input.project.id,
          slug: v.slug,
          title: v.title,
          description: v.description,
          tags: v.tags,
          token_hash: token === null ? null : sha256Hex(token),
          created: now,
          updated: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow(),
    false,
  )
}

export function updateStatusPage(
  ctx: Ctx,
  input: { page: StatusPage; changes: StatusPageInput },
): Promise<Result<SavedStatusPage, SaveStatusPageError>> {
  const { page } = input
  const wasPrivate = page.token_hash !== null
  return save(
    ctx,
    input.changes,
    page.id,
    async (trx, v, token) => {
      const tokenHash = !v.private ? null : token === null ? page.token_hash : sha256Hex(token)
      const row = await trx
        .updateTable('status_pages')
        .set({
          slug: v.slug,
          title: v.title,
          description: v.description,
          tags: v.tags,
          token_hash: tokenHash,
          updated: ctx.clock.now(),
        })
        .where('id', '=', page.id)
        .returningAll()
        .executeTakeFirst()
      return row ?? null
    },
    wasPrivate,
  )
}

/** A new access token for a page (making it private): the old link stops working. */
export async function renewStatusPageToken(
  ctx: Ctx,
  page: StatusPage,
): Promise<{ page: StatusPage; token: string }> {
  const token = newToken()
  const row = await ctx.db.kysely
    .updateTable('status_pages')
    .set({ token_hash: sha256Hex(token), updated: ctx.clock.now() })
    .where('id', '=', page.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return { page: row, token }
}

export async function deleteStatusPage(ctx: Ctx, page: StatusPage): Promise<void> {
  await ctx.db.kysely.deleteFrom('status_pages').where('id', '=', page.id).execute()
}
